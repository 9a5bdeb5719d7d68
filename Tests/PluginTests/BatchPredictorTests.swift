import Foundation
import Testing
@testable import LinearBaseline
@testable import ModelZoo
import TestScratch

/// Streaming prediction: chunk boundaries anywhere, gzip in and out, column selection, ordering.
@Suite struct BatchPredictorTests {
    static func model() throws -> TrainedModel {
        let (data, options) = try Fixtures.bmi(rows: 300)
        return try Trainer.train(plugin: Plugin(LinearRegression.self), data: data, options: options).model
    }

    final class Collect: OutputSink {
        var bytes: [UInt8] = []
        var committed = false
        func write(_ b: [UInt8]) throws { bytes += b }
        func commit() throws { committed = true }
        func abandon() {}
    }

    func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
        let dir = Scratch.unique("bp")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func predict(_ model: TrainedModel, _ path: String, chunk: Int, configure: (inout PredictOptions) -> Void = { _ in }) throws -> (
        String, PredictSummary
    ) {
        var o = PredictOptions()
        o.chunkSize = chunk
        configure(&o)
        let sink = Collect()
        let s = try BatchPredictor.run(model: model, input: try InputSource(path: path), output: sink, options: o)
        return (String(decoding: sink.bytes, as: UTF8.self), s)
    }

    /// A CSV with CRLF, a quoted field holding a newline and a delimiter, an extra column, reordered columns.
    static let messy =
        "\u{FEFF}Note,Weight(Pounds),Sex,Age,Height(Inches)\r\n"
        + (0..<500).map { i in
            let note = i % 7 == 0 ? "\"multi\r\nline, \"\"quoted\"\"\"" : "n\(i)"
            return "\(note),\(120 + i % 40),\(i % 2 == 0 ? "Male" : "Female"),\(18 + i % 17),\(64 + Double(i % 9) * 0.5)"
        }.joined(separator: "\r\n") + "\r\n"

    @Test func chunkBoundariesDoNotChangeTheOutput() throws {
        let model = try Self.model()
        let path = try temp("m.csv", Array(Self.messy.utf8))
        let (reference, s) = try predict(model, path, chunk: 1 << 20)
        #expect(s.rows == 500)
        #expect(reference.split(separator: "\n").first == "Note,Weight(Pounds),Sex,Age,Height(Inches),BMI_pred")
        for chunk in [1, 2, 3, 7, 64, 1000] {
            #expect(try predict(model, path, chunk: chunk).0 == reference, "chunk \(chunk)")
        }
    }

    @Test func wideModelsReadFewerRowsPerChunkWithTheSameOutput() throws {
        let model = try Self.model()
        // A bad row (text age) so that skipped lines must keep their numbers across the row-capped tables.
        let csv = Self.messy.replacingOccurrences(of: "n10,130,Male,28,", with: "n10,130,Male,old,")
        let path = try temp("m.csv", Array(csv.utf8))
        let (reference, s) = try predict(model, path, chunk: 1 << 20) { $0.onError = .skip }
        #expect(s.rows == 500 && s.skipped == 1)
        let perRow = 8 * (model.schema.encodedWidth + 2)
        #expect(BatchPredictor.maxRows(model, PredictOptions()) == (64 << 20) / perRow)
        for rows in [1, 3, 64] {
            var o = PredictOptions()
            o.maxMatrixBytes = rows * perRow
            #expect(BatchPredictor.maxRows(model, o) == rows)
            let (out, t) = try predict(model, path, chunk: 1 << 20) {
                $0.onError = .skip; $0.maxMatrixBytes = rows * perRow
            }
            #expect(out == reference, "\(rows) rows a chunk")
            #expect(t.firstSkippedLines == s.firstSkippedLines && t.rows == 500)
        }
        // The tables really are capped: one progress report per table.
        var o = PredictOptions()
        o.onError = .skip
        o.maxMatrixBytes = 3 * perRow
        var tables = 0
        _ = try BatchPredictor.run(model: model, input: try InputSource(path: path), output: Collect(), options: o) { _ in tables += 1 }
        #expect(tables == 167)
    }

    @Test func gzipInputIsDetectedByItsBytes() throws {
        let model = try Self.model()
        let plain = try temp("p.csv", Array(Self.messy.utf8))
        // Compress with the output sink itself, then read it back as input.
        let gzPath = plain + ".gz"
        let out = try AtomicOutput(path: gzPath)
        let gz = try GzipSink(out)
        try gz.write(Array(Self.messy.utf8))
        try gz.commit()
        let gzBytes = try Data(contentsOf: URL(fileURLWithPath: gzPath))
        #expect(gzBytes.prefix(2) == Data([0x1F, 0x8B]))
        #expect(try predict(model, gzPath, chunk: 100).0 == (try predict(model, plain, chunk: 1 << 20).0))
        // Two gzip members back to back read as one stream, as `cat a.gz b.gz` makes.
        let twice = try temp("t.csv.gz", [UInt8](gzBytes) + [UInt8](gzBytes))
        let header = Self.messy.split(separator: "\r\n", maxSplits: 1)[0]
        // The second member repeats the header line, which then is a data row with a text Age: skipped.
        let (_, s) = try predict(model, twice, chunk: 4096) { $0.onError = .skip }
        #expect(s.rows == 1001)
        #expect(s.skipped == 1)
        _ = header
        let cut = try temp("c.csv.gz", Array([UInt8](gzBytes).prefix(gzBytes.count - 10)))
        #expect(throws: ZooError.self) { try predict(model, cut, chunk: 4096) }
    }

    /// Parts compressed in parallel come out as consecutive gzip members, in order, that decode to
    /// the parts joined; an output with nothing written is still a valid (empty) gzip file.
    @Test func gzipOutputIsOneMemberPerPartInOrder() throws {
        func decode(_ bytes: [UInt8]) throws -> [UInt8] {
            var fed = false
            let d = try GzipDecoder(name: "t") { _ in
                defer { fed = true }; return fed ? [] : bytes
            }
            var all: [UInt8] = []
            while case let chunk = try d.read(max: 1 << 16), !chunk.isEmpty { all += chunk }
            return all
        }
        var g = SplitMix64(seed: 5)
        let parts = (0..<5).map { k in (0..<(k == 2 ? 0 : 50_000 + k)).map { _ in UInt8(48 + g.below(10)) } }
        let sink = Collect()
        let gz = try GzipSink(sink)
        try gz.write(Array("head\n".utf8))
        try gz.write(parts: parts)
        try gz.commit()
        #expect(sink.committed)
        #expect(try decode(sink.bytes) == Array("head\n".utf8) + parts.flatMap { $0 })
        // Five members: the header and the four non-empty parts, each starting with the gzip magic.
        var members = 0
        for i in 0..<(sink.bytes.count - 2) where sink.bytes[i] == 0x1F && sink.bytes[i + 1] == 0x8B && sink.bytes[i + 2] == 8 {
            members += 1
        }
        #expect(members >= 5)
        let empty = Collect()
        try GzipSink(empty).commit()
        #expect(empty.bytes.prefix(2) == [0x1F, 0x8B])
        #expect(try decode(empty.bytes).isEmpty)
    }

    @Test func columnsAndPredictionName() throws {
        let model = try Self.model()
        let path = try temp("m.csv", Array(Self.messy.utf8))
        let (out, _) = try predict(model, path, chunk: 333) { o in
            o.columns = ["Age", "Note"]
            o.predictionName = "bmi"
        }
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "Age,Note,bmi")
        #expect(lines[1].hasPrefix("18,\"multi\r\nline, \"\"quoted\"\"\","))  // the quoted note is re-quoted
        #expect(
            throws: ZooError.missingColumn(
                name: "Nope", role: "--columns", available: ["Note", "Weight(Pounds)", "Sex", "Age", "Height(Inches)"])
        ) {
            try predict(model, path, chunk: 333) { $0.columns = ["Nope"] }
        }
        #expect(throws: ZooError.self) { try predict(model, path, chunk: 333) { $0.predictionName = "Age" } }
    }

    @Test func theFirstBadRowIsReportedWhateverTheSlicing() throws {
        let model = try Self.model()
        var csv = "Sex,Age,Height(Inches),Weight(Pounds)\n"
        for i in 0..<20_000 { csv += i == 15_000 ? "Male,x,68,140\n" : i == 17_000 ? "Male,30,,140\n" : "Male,30,68,140\n" }
        let path = try temp("b.csv", Array(csv.utf8))
        #expect(
            throws: ZooError.csv(
                line: 15_002, column: "Age", message: "expected a number, found 'x' (--on-error skip leaves such rows without a prediction)"
            )
        ) {
            try predict(model, path, chunk: 50_000)
        }
        let (out, s) = try predict(model, path, chunk: 50_000) { $0.onError = .skip }
        #expect(s.skipped == 2 && s.firstSkippedLines == [15_002, 17_002])
        #expect(out.split(separator: "\n", omittingEmptySubsequences: false)[15_001] == "Male,x,68,140,")
    }
}

@Suite struct StreamingLimitsTests {
    @Test func aHugeRecordIsRefusedWithBoundedMemory() throws {
        let model = try BatchPredictorTests.model()
        var csv = Array("Sex,Age,Height(Inches),Weight(Pounds)\nMale,30,68,140\n\"".utf8)
        csv += [UInt8](repeating: UInt8(ascii: "a"), count: 3 << 20)  // an unclosed quote running on
        let dir = Scratch.unique("lim")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("huge.csv").path
        try Data(csv).write(to: URL(fileURLWithPath: path))
        var o = PredictOptions()
        o.chunkSize = 256 << 10
        o.maxRecordBytes = 1 << 20
        #expect(throws: ZooError.csv(line: 3, column: nil, message: "a record longer than 1 MiB (an unclosed quote, or not a CSV file?)")) {
            _ = try BatchPredictor.run(model: model, input: try InputSource(path: path), output: BatchPredictorTests.Collect(), options: o)
        }
    }

    @Test func headerOnlyInputGivesHeaderOnlyOutput() throws {
        let model = try BatchPredictorTests.model()
        let dir = Scratch.unique("lim")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("h.csv").path
        try Data("Sex,Age,Height(Inches),Weight(Pounds)\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let sink = BatchPredictorTests.Collect()
        let s = try BatchPredictor.run(model: model, input: try InputSource(path: path), output: sink, options: PredictOptions())
        #expect(s.rows == 0)
        #expect(String(decoding: sink.bytes, as: UTF8.self) == "Sex,Age,Height(Inches),Weight(Pounds),BMI_pred\n")
    }
}
