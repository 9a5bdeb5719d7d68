import Foundation

/// Reads a CSV stream as tables of complete records, chunk by chunk.
final class ChunkReader: @unchecked Sendable {
    let input: InputSource
    let options: CSVOptions
    let chunkSize: Int
    let maxRecordBytes: Int
    /// Most records in one table: the caller's bound on what a table's rows allocate downstream.
    let maxRows: Int
    private var buffer: [UInt8] = []
    private var eof = false
    private var scanner: CSVScanner?
    private(set) var header: [String] = []

    private let nullToken: [UInt8]

    /// Given column names, the input has no header line and is read in line mode (see `CSVScanner.lineMode`).
    private let givenHeader: [String]?

    init(input: InputSource, options: CSVOptions, chunkSize: Int, maxRecordBytes: Int, maxRows: Int = .max, header: [String]? = nil) {
        self.maxRows = max(1, maxRows)
        self.input = input
        self.options = options
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        givenHeader = header
        nullToken = Array(options.nullToken.utf8)
    }

    private func fill() throws {
        let before = buffer.count
        buffer = try input.read(max: chunkSize, after: buffer)
        if buffer.count == before { eof = true }
    }

    func readHeader() throws -> [String] {
        if let givenHeader {
            header = givenHeader
            scanner = CSVScanner(delimiter: options.delimiter, line: 1, nullToken: Array(options.nullToken.utf8), lineMode: true)
            return givenHeader
        }
        while true {
            try fill()
            if buffer.count > Int(CSVTable.maxHeaderBytes) + chunkSize {
                throw ZooError.csv(
                    line: 1, column: nil, message: "the header line is over \(CSVTable.maxHeaderBytes >> 20) MiB; is this a CSV file?")
            }
            do {
                let (h, s, start) = try CSVTable.parseHeader(buffer, options: options, isFinal: eof, source: input.name)
                header = h
                scanner = s
                buffer.removeFirst(start)
                return h
            } catch is CSVTable.IncompleteHeader {
                continue  // only thrown before the end of the input: read on
            }
        }
    }

    /// The next table of complete records, or nil at the end.
    func next() throws -> CSVTable? {
        while true {
            if !eof && buffer.count < chunkSize { try fill(); if !eof { continue } }
            if eof && buffer.isEmpty { return nil }
            let (records, consumed, done) = try scanUnquotedLines() ?? scanRecords()
            if records.count == 0 && !eof && consumed > 0 {
                buffer.removeFirst(consumed)  // blank lines only: the scanner has counted them
                continue
            }
            if records.count == 0 && !eof {
                // One record longer than a chunk: read more before scanning again, up to a limit.
                guard buffer.count <= maxRecordBytes else {
                    throw ZooError.csv(
                        line: scanner!.line, column: nil,
                        message: "a record longer than \(maxRecordBytes >> 20) MiB (an unclosed quote, or not a CSV file?)")
                }
                try fill()
                continue
            }
            // The table takes the buffer and the buffer keeps only the unscanned tail: copying the
            // tail (part of a record) instead of the chunk (2.3% of streaming the wide table).
            var chunk = Array(buffer[consumed...])
            swap(&chunk, &buffer)
            chunk.removeLast(chunk.count - consumed)
            if eof && done { buffer.removeAll() }
            return CSVTable(header: header, bytes: chunk, records: records, options: options)
        }
    }

    /// The buffer's records by CSVScanner: how many bytes they took, and whether that was all.
    private func scanRecords() throws -> (CSVRecords, consumed: Int, done: Bool) {
        let reserve = min(maxRows, CSVRecords.maxRecords(bytes: buffer.count, lines: buffer.count / 32, columns: header.count))
        var records = CSVRecords(columns: header.count, reserve: reserve)
        let outcome = try buffer.withUnsafeBufferPointer { b -> CSVScanner.Outcome in
            try scanner!.scan(b.baseAddress!, count: b.count, from: 0, isFinal: eof, into: &records, header: header, maxRecords: maxRows)
        }
        switch outcome {
        case .done: return (records, buffer.count, true)
        case .needMore(let offset), .stopped(let offset): return (records, offset, false)
        }
    }

    /// The records of the buffer up to its last line feed (all of it at the end of the input) when
    /// those bytes hold no quote, by `zoo_scan_plain`: streaming the wide table spent 10% of its
    /// time in CSVScanner. Nil sends the buffer to CSVScanner: quotes (a line feed may be inside
    /// one), line mode, no line feed yet, more records than `maxRows`, or an error to report exactly.
    private func scanUnquotedLines() -> (CSVRecords, consumed: Int, done: Bool)? {
        guard !scanner!.lineMode, !buffer.isEmpty, CSVRecordRegion.kernelScans(delimiter: options.delimiter) else { return nil }
        return buffer.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            var cut = b.count
            if !eof { while cut > 0 && p[cut - 1] != 10 { cut -= 1 } }
            guard cut > 0 else { return nil }
            let counts = ByteCounts(p, count: cut)
            guard counts.quotes == 0 else { return nil }
            let lineEnds = counts.lineEnds
            let capacity = min(maxRows, CSVRecords.maxRecords(bytes: cut, lines: lineEnds + 1, columns: header.count))
            let line = scanner!.line
            let records = CSVRecords.filled(columns: header.count, capacity: capacity, firstLine: line) { region in
                var region = region
                let scanned = region.scanUnquoted(
                    p, from: 0, to: cut, delimiter: options.delimiter, line: line, nullToken: nullToken, blanks: counts.blanks > 0)
                return scanned ? region.count : nil
            }
            guard let records else { return nil }
            scanner!.line += lineEnds
            return (records, cut, cut == b.count)
        }
    }
}
