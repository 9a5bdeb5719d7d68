import Foundation
import XCTest
@testable import ZooServe

/// The encoders write whatever outputs a model has: a classifier's label (BYTES) and class
/// probabilities (FP64, one column per class) come out of the same code as a regression's value.
final class OutputEncodingTests: XCTestCase {
    let outputs = [
        OutputTensor(name: "Species_pred", columns: 1, values: .bytes(["setosa", "virginica"])),
        OutputTensor(name: "Species_proba", columns: 3, values: .fp64([0.9, 0.05, 0.05, 0.1, 0.2, 0.7])),
    ]

    func testMLflowWritesOneObjectPerRow() throws {
        let body = String(decoding: MLflowScoring.response(outputs), as: UTF8.self)
        XCTAssertEqual(
            body,
            #"{"predictions":[{"Species_pred":"setosa","Species_proba":[0.9,0.05,0.05]},{"Species_pred":"virginica","Species_proba":[0.1,0.2,0.7]}]}"#
        )
    }

    func testOIPWritesEveryOutputInJSONOrBinary() throws {
        let model = RequestParsingTests.served
        let table = try CSVBuilder(names: ["a"]).table(rows: 0)
        var req = OpenInference.Request(table: table, rows: 2, id: nil, outputs: nil, binaryByDefault: false)
        let (json, none) = OpenInference.response(model: model, request: req, outputs: outputs)
        XCTAssertNil(none)
        XCTAssertTrue(
            String(decoding: json, as: UTF8.self).hasSuffix(
                #""outputs":[{"name":"Species_pred","datatype":"BYTES","shape":[2,1],"data":["setosa","virginica"]},{"name":"Species_proba","datatype":"FP64","shape":[2,3],"data":[0.9,0.05,0.05,0.1,0.2,0.7]}]}"#
            ))

        req.binaryByDefault = true
        let (body, h) = OpenInference.response(model: model, request: req, outputs: outputs)
        let header = try XCTUnwrap(h)
        let head = String(decoding: body[..<header], as: UTF8.self)
        XCTAssertTrue(head.contains(#""name":"Species_pred","datatype":"BYTES","shape":[2,1],"parameters":{"binary_data_size":23}"#), head)
        XCTAssertTrue(head.contains(#""name":"Species_proba","datatype":"FP64","shape":[2,3],"parameters":{"binary_data_size":48}"#), head)
        let blob = Array(body[header...])
        XCTAssertEqual(blob.count, 23 + 48)
        XCTAssertEqual(Array(blob[0..<4]), [6, 0, 0, 0])  // 4-byte little-endian length, then the bytes
        XCTAssertEqual(String(decoding: blob[4..<10], as: UTF8.self), "setosa")
    }
}
