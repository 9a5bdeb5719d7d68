import Foundation

/// Options for `zoo predict`.
public struct PredictOptions: Sendable {
    public enum OnError: String, Sendable, CaseIterable {
        /// Stop at the first unusable row with an error naming its line (default).
        case fail
        /// Give that row an empty prediction, count it, and report the first few lines.
        case skip
    }

    public var csv = CSVOptions()
    public var onError: OnError = .fail
    /// Name of the added column; default `<target>_pred`.
    public var predictionName: String?
    /// Bytes read per chunk.
    public var chunkSize = 4 << 20

    public init() {}
}

/// What a prediction run did.
public struct PredictSummary: Sendable {
    public var rows = 0
    public var skipped = 0
    public var firstSkippedLines: [Int] = []
    public var caseMismatches = 0
    public var inputBytes = 0
}

/// Streams a CSV through a model: reads a chunk of complete records, encodes, predicts and writes,
/// so memory stays bounded by the chunk size whatever the input size. Output rows keep the input's
/// bytes and order, with the prediction appended as a last column.
public enum BatchPredictor {
    public static func run(model: TrainedModel, input: InputSource, output: OutputSink, options: PredictOptions,
                           progress: ((PredictSummary) -> Void)? = nil) throws -> PredictSummary {
        var summary = PredictSummary()
        var buffer: [UInt8] = []
        var eof = false
        func fill() throws {
            let chunk = try input.read(max: options.chunkSize)
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk); summary.inputBytes += chunk.count }
        }
        // Header: read until it is complete.
        var headerInfo: (header: [String], scanner: CSVScanner, offset: Int)?
        while headerInfo == nil {
            try fill()
            do {
                headerInfo = try CSVTable.parseHeader(buffer, options: options.csv, isFinal: eof, source: input.name)
            } catch let e as ZooError {
                if !eof, case .csv(_, _, let m) = e, m == "header line is incomplete" { continue }
                throw e
            }
        }
        let (header, scannerAtStart, start) = headerInfo!
        var scanner = scannerAtStart
        let encoder = try FeatureEncoder(schema: model.schema, header: header)
        let predName = options.predictionName ?? "\(model.schema.target)_pred"
        if header.contains(predName) {
            throw ZooError.invalidInput("the input already has a column '\(predName)'; choose another name with --prediction-name")
        }
        let delim = options.csv.delimiter
        var out: [UInt8] = []
        out.reserveCapacity(options.chunkSize + options.chunkSize / 2)
        out.append(contentsOf: (header + [predName]).map { quoteIfNeeded($0, delimiter: delim) }
            .joined(separator: String(UnicodeScalar(delim))).utf8)
        out.append(10)
        buffer.removeFirst(start)

        while true {
            if !eof && buffer.count < options.chunkSize { try fill(); if !eof { continue } }
            var records = CSVRecords(columns: header.count, reserve: buffer.count / 32)
            let outcome = try buffer.withUnsafeBufferPointer { b -> CSVScanner.Outcome in
                guard let base = b.baseAddress, b.count > 0 else { return .done }
                return try scanner.scan(base, count: b.count, from: 0, isFinal: eof, into: &records, header: header)
            }
            var consumed = buffer.count
            if case .needMore(let offset) = outcome { consumed = offset }
            if records.count == 0 && !eof {
                // One record longer than a chunk: read more before scanning again.
                try fill()
                continue
            }
            let table = CSVTable(header: header, bytes: Array(buffer[..<consumed]), records: records)
            try predictChunk(table, model: model, encoder: encoder, options: options, summary: &summary, out: &out)
            try output.write(out)
            out.removeAll(keepingCapacity: true)
            buffer.removeFirst(consumed)
            progress?(summary)
            if eof && buffer.isEmpty { break }
            if eof, case .done = outcome { break }
        }
        return summary
    }

    static func predictChunk(_ table: CSVTable, model: TrainedModel, encoder: FeatureEncoder, options: PredictOptions,
                             summary: inout PredictSummary, out: inout [UInt8]) throws {
        let n = table.rowCount
        guard n > 0 else { return }
        let w = encoder.width
        var x = [Double](repeating: 0, count: n * w)
        var ok = [Bool](repeating: true, count: n)
        var usable = 0
        var mismatches = 0
        try x.withUnsafeMutableBufferPointer { buf in
            for r in 0..<n {
                if let problem = encoder.encode(table, row: r, into: buf.baseAddress! + usable * w, caseMismatches: &mismatches) {
                    if options.onError == .fail {
                        guard case let .csv(line, column, message) = problem.error(line: table.line(r)) else { continue }
                        throw ZooError.csv(line: line, column: column, message: message + " (--on-error skip leaves such rows without a prediction)")
                    }
                    ok[r] = false
                    summary.skipped += 1
                    if summary.firstSkippedLines.count < 5 { summary.firstSkippedLines.append(table.line(r)) }
                } else {
                    usable += 1
                }
            }
        }
        summary.caseMismatches += mismatches
        x.removeLast((n - usable) * w)
        let predictions = model.predict(encoded: Matrix(rows: usable, cols: w, values: x))
        let delim = options.csv.delimiter
        var k = 0
        for r in 0..<n {
            out.append(contentsOf: table.recordBytes(r))
            out.append(delim)
            if ok[r] {
                let p = predictions[k]
                k += 1
                guard p.isFinite else {
                    throw ZooError.csv(line: table.line(r), column: nil, message: "the model produced \(p) for this row")
                }
                out.append(contentsOf: p.description.utf8)
            }
            out.append(10)
        }
        summary.rows += n
    }

    static func quoteIfNeeded(_ s: String, delimiter: UInt8) -> String {
        let needs = s.utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// A byte source for streaming: a file or standard input.
public final class InputSource {
    public let name: String
    private let handle: FileHandle
    /// Size in bytes when known (a regular file), for progress and ETA.
    public let size: Int?

    public init(path: String) throws {
        name = path
        if path == "-" {
            handle = FileHandle.standardInput
            size = nil
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw ZooError.io(path: path, message: "no such file")
            }
            guard !isDir.boolValue else { throw ZooError.io(path: path, message: "is a directory, expected a CSV file") }
            guard let h = FileHandle(forReadingAtPath: path) else { throw ZooError.io(path: path, message: "cannot open for reading") }
            handle = h
            size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        }
    }

    /// Up to `max` bytes; empty at end of input.
    public func read(max: Int) throws -> [UInt8] {
        do {
            return [UInt8](try handle.read(upToCount: max) ?? Data())
        } catch {
            throw ZooError.io(path: name, message: "read failed: \(error.localizedDescription)")
        }
    }

    deinit { if name != "-" { try? handle.close() } }
}
