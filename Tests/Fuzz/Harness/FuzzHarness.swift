import Foundation
@_spi(Fuzzing) import ModelZoo
import ZooPlugins

/// What the fuzz targets run on each input. Any input must end in a value or a typed error:
/// a crash, hang or sanitizer report is a bug. The same functions replay the regression corpus in
/// `swift test`.
public enum FuzzHarness {
    /// CSV bytes through the parser, training-data preparation and the feature encoder.
    public static func csv(_ bytes: [UInt8]) {
        // The first byte picks the delimiter, so ';' and tab paths are explored too.
        let delimiters: [UInt8] = [44, 59, 9, 124]
        let delimiter = bytes.first.map { delimiters[Int($0) % delimiters.count] } ?? 44
        let body = Array(bytes.dropFirst())
        let table = try? CSVTable.parse(body, options: CSVOptions(delimiter: delimiter))
        checkSlicedScan(body, delimiter: delimiter, whole: table)
        guard let table else { return }
        guard let target = table.header.last else { return }
        var options = DataOptions(target: target)
        options.impute = body.count % 2 == 0 ? .drop : .mean
        options.testFraction = 0.25
        guard let data = try? DatasetBuilder.prepare(table, options: options) else { return }
        precondition(data.trainX.rows == data.trainY.count && data.testX.rows == data.testY.count)
        precondition(data.trainX.values.allSatisfy(\.isFinite), "encoded features must be finite")
        // The streaming path over the same bytes, with a tiny chunk to cross every boundary.
        if let model = try? Trainer.train(plugin: try! builtinPlugins.plugin("linear"), data: data, options: options).model {
            let path = NSTemporaryDirectory() + "fuzz-\(getpid()).csv"
            _ = FileManager.default.createFile(atPath: path, contents: Data(body))
            defer { unlink(path) }
            var p = PredictOptions()
            p.csv = CSVOptions(delimiter: delimiter)
            p.chunkSize = 1 + body.count % 97
            p.onError = .skip
            if let input = try? InputSource(path: path) {
                _ = try? BatchPredictor.run(model: model, input: input, output: Discard(), options: p)
            }
        }
    }

    /// A large input's scan (slices, the scan kernel) on the same bytes finds the same records, or
    /// declines where the whole scan fails or quotes are present.
    static func checkSlicedScan(_ body: [UInt8], delimiter: UInt8, whole: CSVTable?) {
        let parts = 1 + body.count % 4
        let sliced = try? CSVTable.parseInSlices(body, options: CSVOptions(delimiter: delimiter), parts: parts)
        guard let sliced else {
            precondition(whole == nil || body.contains(34), "the sliced scan declined an input the whole scan read")
            return
        }
        guard let whole else { preconditionFailure("the sliced scan read an input the whole scan refused") }
        let (a, b) = (whole.records, sliced.records)
        precondition(
            a.starts == b.starts && a.ends == b.ends && a.lines == b.lines && a.recordStarts == b.recordStarts
                && a.recordEnds == b.recordEnds, "the sliced scan found other records")
    }

    /// Model-file bytes through the reader, every plugin's loader, and what `inspect`, `list`,
    /// `predict`, `compare` and `report` run on a loaded model.
    ///
    /// First byte 0 (mod 4): the rest is a whole file (framing, checksums, caps). 1: the rest is
    /// `u32 metaLength, META JSON, raw tensor payload`, framed with valid checksums and zlib here, so
    /// mutations reach the metadata decoder, the tensor table and the plugins' loaders behind the CRCs.
    /// 2 and 3: structure-aware; the rest is a program of edits to one of the valid base models
    /// (`FuzzModel`): hostile META values, tensor elements, shapes, then re-framed with valid checksums.
    public static func nnm(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var bytes = Array(input.dropFirst())
        switch mode & 3 {
        case 1:
            guard bytes.count >= 4 else { return }
            let n = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
            guard n <= bytes.count - 4 else { return }
            guard let framed = try? NNMFile.assemble(meta: Array(bytes[4..<(4 + n)]), rawTensors: Array(bytes[(4 + n)...])) else { return }
            bytes = framed
        case 2, 3:
            guard let mutated = FuzzModel.mutate(bytes) else { return }
            bytes = mutated
        default:
            break
        }
        exercise(bytes)
    }

    /// Everything a command does with a model file's bytes, in-process.
    public static func exercise(_ bytes: [UInt8]) {
        // `list`: the header and META only.
        if let (meta, _) = try? NNMFile.parts(bytes), let m = try? NNMFile.decodeMetadata(meta) {
            render(m)
        }
        guard let file = try? NNMFile.decode(bytes) else { return }
        guard let model = try? TrainedModel.load(file, registry: builtinPlugins) else { return }
        render(model.metadata)
        let w = model.schema.encodedWidth
        let x = Matrix(rows: 3, cols: w, values: (0..<(3 * w)).map { Double($0 % 5) / 4 })
        let p = try! model.predict(encoded: x)  // a model that loaded must predict
        precondition(p.count == 3)
        // `predict` / `compare`: a small CSV through the encoder (missing fields hit the imputation).
        let csv = sampleCSV(model.schema)
        if let table = try? CSVTable.parse(Array(csv.utf8)), let encoder = try? FeatureEncoder(schema: model.schema, header: table.header) {
            let (ex, rows) = encoder.encodeAll(table)
            precondition(ex.rows == rows.count)
            // `report`: metrics and every chart.
            var e = ModelEvaluation(name: "fuzz", path: "fuzz.nnm")
            do {
                if let classes = model.classes {
                    let actual = (0..<ex.rows).map { $0 % classes.count }
                    try ModelComparison.measureClassifier(model, x: ex, actual: actual, into: &e)
                } else {
                    try ModelComparison.measure(model, x: ex, actual: (0..<ex.rows).map { Double($0) * 1e150 - 1 }, into: &e)
                }
            } catch {
                e.error = "\(error)"  // an overflowing score is an error row
            }
            let html = HTMLReport.render(rows: [e], dataDescription: "fuzz", unit: "u")
            precondition(html.hasSuffix("</html>\n"))
        }
        // A loaded model saves again.
        _ = try? model.file().encode()
    }

    /// What `inspect` and `list` print from the metadata, escaped as they print it.
    static func render(_ m: ModelMetadata) {
        var text = [m.kind, m.summary, m.created, m.writer, m.hyperparameters.description, m.schema.target]
        text += m.schema.columns.flatMap { [$0.name] + ($0.levels ?? []) }
        text += m.extras.map { "\($0)=\($1)" } + [m.training.summary] + m.layers.map { "\($0.name) \($0.outputShape)" }
        for t in text {
            precondition(!t.escapedForTerminal.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
        }
        if let importances = m.fit.featureImportances {
            // inspect's bar: as clamped in InspectCommand.
            for v in importances {
                _ = String(repeating: "#", count: v.isFinite ? Int((min(max(v, 0), 1) * 40).rounded()) : 0)
            }
        }
    }

    /// A header of the schema's columns and three rows: typical values, extreme values, all missing.
    static func sampleCSV(_ schema: FeatureSchema) -> String {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        var lines = [schema.columns.map { q($0.name) }.joined(separator: ",")]
        for r in 0..<3 {
            lines.append(
                schema.columns.map { c -> String in
                    if r == 2 { return "" }
                    if let levels = c.levels, !levels.isEmpty { return q(r == 0 ? levels[0] : levels[levels.count - 1]) }
                    return r == 0 ? "1.5" : "-1e300"
                }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    final class Discard: OutputSink {
        func write(_ bytes: [UInt8]) throws {}
        func commit() throws {}
        func abandon() {}
    }
}
