import ArgumentParser
import Foundation
import ModelZoo

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time loading a model and predicting a CSV (release builds only give meaningful numbers).",
        discussion: """
            Reports medians over --repeats runs: file load (read, verify, rebuild), CSV ingest (read the \
            file and find every record and field), ingest plus parsing and encoding the model's \
            features, model predict on the encoded rows, and end-to-end streaming prediction with the \
            output formatted and discarded.

            Examples:
              swift build -c release && .build/release/zoo bench models/bmi-forest.nnm --data data/bmi_data.csv
              zoo bench models/bmi-mlp.nnm --data /tmp/big.csv --repeats 3
            """
    )

    @Argument(help: "The .nnm model file.", completion: .file(extensions: ["nnm"]))
    var model: String

    @Option(help: "CSV to predict.")
    var data: String

    @Option(help: "Runs per measurement; the median is reported.")
    var repeats: Int = 5

    @OptionGroup var csv: CSVOptionGroup

    func validate() throws {
        guard repeats >= 1 else { throw ValidationError("--repeats must be ≥ 1") }
    }

    func median(_ f: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<repeats {
            let t0 = DispatchTime.now().uptimeNanoseconds
            try f()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    func run() throws {
        var trained = try ModelLoader.load(model)
        let load = try median { trained = try ModelLoader.load(model) }
        let options = try csv.csvOptions()
        var table = try CSVTable.read(path: data, options: options)
        let encoder = try FeatureEncoder(schema: trained.schema, header: table.header)
        var x = Matrix(rows: 0, cols: encoder.width)
        let parse = try median {
            table = try CSVTable.read(path: data, options: options)
            // Row slices on all cores, as `zoo predict` encodes (rows that cannot be encoded are left out).
            x = encoder.encodeAll(table).x
        }
        let scan = try median { table = try CSVTable.read(path: data, options: options) }
        var sink = 0.0
        let predict = try median { sink += try trained.predict(encoded: x).first ?? 0 }
        var options2 = PredictOptions()
        options2.csv = options
        options2.onError = .skip
        let e2e = try median {
            _ = try BatchPredictor.run(model: trained, input: try InputSource(path: data), output: NullSink(), options: options2)
        }
        let bytes = FileBytes.size(of: data) ?? 0
        print("model: \(model) (\(trained.metadata.summary))")
        print("rows: \(Format.count(table.rowCount)) (\(Format.count(x.rows)) usable), \(Format.bytes(bytes)); median of \(repeats)")
        var t = TextTable(["stage", "seconds", "rows/s", "MB/s"], rightAligned: [1, 2, 3])
        func row(_ name: String, _ s: Double, rows: Int, mb: Bool) {
            t.add([
                name, String(format: "%.4f", s), Format.count(Int(Double(rows) / max(s, 1e-9))),
                mb ? String(format: "%.0f", Double(bytes) / 1e6 / max(s, 1e-9)) : "-",
            ])
        }
        t.add(["load model", String(format: "%.4f", load), "-", "-"])
        row("read + scan (CSV ingest)", scan, rows: table.rowCount, mb: true)
        row("read + scan + encode", parse, rows: table.rowCount, mb: true)
        row("predict (encoded)", predict, rows: x.rows, mb: false)
        row("end to end (stream)", e2e, rows: table.rowCount, mb: true)
        print(t.render(), terminator: "")
        if sink.isNaN { print("") }
    }
}

/// Discards output (benchmarks).
final class NullSink: OutputSink {
    func write(_ bytes: [UInt8]) throws {}
    func commit() throws {}
    func abandon() {}
}
