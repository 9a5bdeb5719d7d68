import Foundation
import ModelZoo
import XCTest
import ZooPlugins
@testable import ZooServe
import TestScratch

/// Request parsing and response encoding of `zoo serve`, against the shipped linear model: every
/// format must give the predictions of the same rows read from a CSV by `zoo predict`'s path.
final class RequestParsingTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let modelPath = root.appendingPathComponent("models/bmi-linear.nnm").path

    static let served: ServedModel = {
        let trained = try! TrainedModel.load(path: modelPath, registry: builtinPlugins)
        return try! ServedModel(name: "bmi-linear", path: modelPath, trained: trained, identity: FileIdentity.of(modelPath)!)
    }()

    var model: ServedModel { Self.served }

    static let csv = """
        Sex,Age,Height(Inches),Weight(Pounds)
        Female,21,65.78331,112.9925
        Male,35,71.51521,136.4873
        Female,27.5,69.39874,153.0269

        """

    /// What `zoo predict` computes for `csv`: BatchPredictor's output column.
    func expected() throws -> [Double] {
        let dir = Scratch.unique("zoo-serve")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inPath = dir.appendingPathComponent("in.csv").path, outPath = dir.appendingPathComponent("out.csv").path
        try Self.csv.write(toFile: inPath, atomically: true, encoding: .utf8)
        let trained = model.trained
        let sink = try AtomicOutput(path: outPath)
        _ = try BatchPredictor.run(model: trained, input: try InputSource(path: inPath), output: sink, options: PredictOptions())
        try sink.commit()
        let lines = try String(contentsOfFile: outPath, encoding: .utf8).split(separator: "\n").dropFirst()
        return lines.map { Double($0.split(separator: ",").last!)! }
    }

    func values(_ outputs: [OutputTensor]) -> [Double] {
        guard case .fp64(let v) = outputs[0].values else { XCTFail("not FP64"); return [] }
        return v
    }

    func infer(_ json: String, binary: [UInt8] = []) throws -> [Double] {
        let body = Array(json.utf8) + binary
        let req = try OpenInference.parse(body: body, headerLength: binary.isEmpty ? nil : json.utf8.count, model: model, maxRows: 1000)
        return values(try model.predict(req.table))
    }

    func testJSONTensorsEqualZooPredict() throws {
        let json = """
            {"id":"7","inputs":[
             {"name":"Sex","shape":[3,1],"datatype":"BYTES","data":["Female","Male","Female"]},
             {"name":"Age","shape":[3],"datatype":"FP64","data":[21,35,27.5]},
             {"name":"Height(Inches)","shape":[3,1],"datatype":"FP64","data":[[65.78331],[71.51521],[69.39874]]},
             {"name":"Weight(Pounds)","shape":[3,1],"datatype":"FP64","data":[112.9925,136.4873,153.0269]}]}
            """
        let got = try infer(json)
        XCTAssertEqual(got.map(\.bitPattern), try expected().map(\.bitPattern))
    }

    func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    func testBinaryTensorsEqualZooPredict() throws {
        var blob: [UInt8] = []
        for s in ["Female", "Male", "Female"] { blob += le(UInt32(s.utf8.count)) + Array(s.utf8) }
        let sexSize = blob.count
        for column in [[21.0, 35, 27.5], [65.78331, 71.51521, 69.39874], [112.9925, 136.4873, 153.0269]] {
            for v in column { blob += le(v.bitPattern) }
        }
        let json = """
            {"inputs":[
             {"name":"Sex","shape":[3,1],"datatype":"BYTES","parameters":{"binary_data_size":\(sexSize)}},
             {"name":"Age","shape":[3,1],"datatype":"FP64","parameters":{"binary_data_size":24}},
             {"name":"Height(Inches)","shape":[3,1],"datatype":"FP64","parameters":{"binary_data_size":24}},
             {"name":"Weight(Pounds)","shape":[3,1],"datatype":"FP64","parameters":{"binary_data_size":24}}],
             "parameters":{"binary_data_output":true}}
            """
        XCTAssertEqual(try infer(json, binary: blob).map(\.bitPattern), try expected().map(\.bitPattern))

        // The response: JSON header, then the FP64 output as raw little-endian bytes.
        let req = try OpenInference.parse(body: Array(json.utf8) + blob, headerLength: json.utf8.count, model: model, maxRows: 10)
        let (body, h) = OpenInference.response(model: model, request: req, outputs: try model.predict(req.table))
        let header = try XCTUnwrap(h)
        let head = try JSONSerialization.jsonObject(with: Data(body[..<header])) as! [String: Any]
        let out = (head["outputs"] as! [[String: Any]])[0]
        XCTAssertEqual(out["name"] as? String, "BMI_pred")
        XCTAssertEqual(out["shape"] as? [Int], [3, 1])
        XCTAssertEqual((out["parameters"] as? [String: Any])?["binary_data_size"] as? Int, 24)
        let raw = Array(body[header...])
        let decoded = (0..<3).map { i in
            Double(bitPattern: raw[(i * 8)..<(i * 8 + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        XCTAssertEqual(decoded.map(\.bitPattern), try expected().map(\.bitPattern))
    }

    func testMLflowFormatsEqualZooPredict() throws {
        let want = try expected().map(\.bitPattern)
        let bodies = [
            #"{"dataframe_split":{"columns":["Sex","Age","Height(Inches)","Weight(Pounds)"],"data":[["Female",21,65.78331,112.9925],["Male",35,71.51521,136.4873],["Female",27.5,69.39874,153.0269]]}}"#,
            #"{"dataframe_records":[{"Sex":"Female","Age":21,"Height(Inches)":65.78331,"Weight(Pounds)":112.9925},{"Age":35,"Sex":"Male","Height(Inches)":71.51521,"Weight(Pounds)":136.4873},{"Sex":"Female","Age":27.5,"Height(Inches)":69.39874,"Weight(Pounds)":153.0269}]}"#,
            #"{"instances":[["Female",21,65.78331,112.9925],["Male",35,71.51521,136.4873],["Female",27.5,69.39874,153.0269]]}"#,
            #"{"inputs":{"Sex":["Female","Male","Female"],"Age":[21,35,27.5],"Height(Inches)":[65.78331,71.51521,69.39874],"Weight(Pounds)":[112.9925,136.4873,153.0269]}}"#,
        ]
        for b in bodies {
            let (table, encoder) = try MLflowScoring.parse(body: Array(b.utf8), contentType: "application/json", model: model, maxRows: 10)
            XCTAssertEqual(values(try model.predict(table, encoder: encoder)).map(\.bitPattern), want, b)
        }
        let (table, encoder) = try MLflowScoring.parse(
            body: Array(Self.csv.utf8), contentType: "text/csv; charset=utf-8", model: model, maxRows: 10)
        let outputs = try model.predict(table, encoder: encoder)
        XCTAssertEqual(values(outputs).map(\.bitPattern), want)
        // (Foundation's JSONSerialization does not round every decimal correctly: read the numbers' text.)
        let tape = try JSONTape(MLflowScoring.response(outputs))
        let predictions = try XCTUnwrap(tape.member(tape.root, "predictions"))
        XCTAssertEqual(tape.elements(predictions).map { tape.double($0)!.bitPattern }, want)
    }

    func assertStatus(_ status: Int, _ contains: String, _ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { e in
            guard let e = e as? RequestError else { return XCTFail("\(e)", file: file, line: line) }
            XCTAssertEqual(e.status, status, e.message, file: file, line: line)
            XCTAssertTrue(e.message.contains(contains), "\(e.message) lacks \(contains)", file: file, line: line)
        }
    }

    func testBadRowsNameRowAndColumn() {
        assertStatus(400, "row 1, column 'Sex': unknown category 'Robot'") {
            _ = try self.infer(
                #"{"inputs":[{"name":"Sex","shape":[2],"datatype":"BYTES","data":["Male","Robot"]},{"name":"Age","shape":[2],"datatype":"FP64","data":[1,2]},{"name":"Height(Inches)","shape":[2],"datatype":"FP64","data":[1,2]},{"name":"Weight(Pounds)","shape":[2],"datatype":"FP64","data":[1,2]}]}"#
            )
        }
        assertStatus(400, "missing input 'Weight(Pounds)'") {
            _ = try self.infer(
                #"{"inputs":[{"name":"Sex","shape":[1],"datatype":"BYTES","data":["Male"]},{"name":"Age","shape":[1],"datatype":"FP64","data":[1]},{"name":"Height(Inches)","shape":[1],"datatype":"FP64","data":[1]}]}"#
            )
        }
        assertStatus(400, "expected datatype BYTES") {
            _ = try self.infer(#"{"inputs":[{"name":"Sex","shape":[1],"datatype":"FP64","data":[1]}]}"#)
        }
        assertStatus(400, "row 0, column 'Age': missing value") {
            _ = try MLflowScoring.parse(
                body: Array(#"{"dataframe_records":[{"Sex":"Male","Height(Inches)":1,"Weight(Pounds)":2}]}"#.utf8),
                contentType: nil, model: self.model, maxRows: 10
            ).0.rowCount
            let (t, e) = try MLflowScoring.parse(
                body: Array(#"{"dataframe_records":[{"Sex":"Male","Height(Inches)":1,"Weight(Pounds)":2}]}"#.utf8),
                contentType: nil, model: self.model, maxRows: 10)
            _ = try self.model.predict(t, encoder: e)
        }
        assertStatus(400, "row 0, column 'Age': expected a number, found 'old'") {
            let (t, e) = try MLflowScoring.parse(
                body: Array(#"{"instances":[["Male","old",1,2]]}"#.utf8), contentType: nil, model: self.model, maxRows: 10)
            _ = try self.model.predict(t, encoder: e)
        }
        assertStatus(413, "at most 2") {
            _ = try MLflowScoring.parse(
                body: Array(#"{"instances":[["Male",1,1,2],["Male",1,1,2],["Male",1,1,2]]}"#.utf8), contentType: nil, model: self.model,
                maxRows: 2)
        }
        assertStatus(415, "text/plain") {
            _ = try MLflowScoring.parse(body: [], contentType: "text/plain", model: self.model, maxRows: 2)
        }
        assertStatus(400, "exactly one") {
            _ = try MLflowScoring.parse(body: Array(#"{"instances":[],"inputs":[]}"#.utf8), contentType: nil, model: self.model, maxRows: 2)
        }
        assertStatus(400, "binary_data_size 99 runs past the end") {
            _ = try OpenInference.parse(
                body: Array(#"{"inputs":[{"name":"Age","shape":[1],"datatype":"FP64","parameters":{"binary_data_size":99}}]}"#.utf8) + [
                    1, 2,
                ],
                headerLength: 94, model: self.model, maxRows: 10)
        }
    }

    func testStringsWithQuotesAndCommasReachTheEncoderIntact() {
        // A level with a quote and a comma must come through as one field, not split or unquoted.
        assertStatus(400, #"unknown category 'Ma"le,x'"#) {
            let (t, e) = try MLflowScoring.parse(
                body: Array(#"{"instances":[["Ma\"le,x",1,1,2]]}"#.utf8), contentType: nil, model: self.model, maxRows: 10)
            _ = try self.model.predict(t, encoder: e)
        }
    }

    func testJSONTape() throws {
        let t = try JSONTape(Array(#" {"a": [1, -2.5e3, "x\"y\u00e9"], "b": {"c": null, "d": true}} "#.utf8))
        XCTAssertEqual(t.kind(t.root), .object)
        let a = try XCTUnwrap(t.member(t.root, "a"))
        let el = Array(t.elements(a))
        XCTAssertEqual(el.count, 3)
        XCTAssertEqual(String(decoding: t.numberBytes(el[1]), as: UTF8.self), "-2.5e3")
        XCTAssertEqual(t.string(el[2]), "x\"yé")
        let b = try XCTUnwrap(t.member(t.root, "b"))
        XCTAssertEqual(t.kind(t.member(b, "c")!), .null)
        XCTAssertEqual(t.bool(t.member(b, "d")!), true)
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "[1] 2", String(repeating: "[", count: 100)] {
            XCTAssertThrowsError(try JSONTape(Array(bad.utf8)), bad)
        }
    }

    func testOpenAPIDocumentMatchesTheRepository() throws {
        let file = try Data(contentsOf: Self.root.appendingPathComponent("docs/openapi.json"))
        XCTAssertEqual(OpenAPIDocument.bytes, Array(file), "the served document is not docs/openapi.json: rebuild")
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: file) as? [String: Any])
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(document["paths"] as? [String: Any])
        for path in ["/v2/models/{model_name}/infer", "/invocations", "/openapi.json", "/metrics"] {
            XCTAssertNotNil(paths[path], "\(path) missing from the OpenAPI document")
        }
    }
}
