import Foundation
import ModelZoo
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
        guard let table = try? CSVTable.parse(body, options: CSVOptions(delimiter: delimiter)) else { return }
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

    /// Model-file bytes through the reader, every plugin's loader, and one prediction.
    ///
    /// First byte 0: the rest is a whole file (framing, checksums, caps). First byte 1: the rest is
    /// `u32 metaLength, META JSON, raw tensor payload`, framed with valid checksums and zlib here, so
    /// mutations reach the metadata decoder, the tensor table and the plugins' loaders behind the CRCs.
    public static func nnm(_ input: [UInt8]) {
        guard let mode = input.first else { return }
        var bytes = Array(input.dropFirst())
        if mode & 1 == 1 {
            guard bytes.count >= 4 else { return }
            let n = Int(UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
            guard n <= bytes.count - 4 else { return }
            guard let framed = try? NNMFile.assemble(meta: Array(bytes[4..<(4 + n)]), rawTensors: Array(bytes[(4 + n)...])) else { return }
            bytes = framed
        }
        guard let file = try? NNMFile.decode(bytes) else { return }
        guard let model = try? TrainedModel.load(file, registry: builtinPlugins) else { return }
        let w = model.schema.encodedWidth
        let x = Matrix(rows: 3, cols: w, values: (0..<(3 * w)).map { Double($0 % 5) / 4 })
        let p = try! model.predict(encoded: x)  // a model that loaded must predict
        precondition(p.count == 3)
        // A loaded model saves again.
        _ = try? model.file().encode()
    }

    final class Discard: OutputSink {
        func write(_ bytes: [UInt8]) throws {}
        func commit() throws {}
        func abandon() {}
    }
}
