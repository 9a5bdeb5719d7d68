import CZooKernels
import Foundation

/// A CSV file (or one chunk of one) held as bytes plus cell spans: header names, records, and
/// on-demand typed access to each cell. Nothing is copied per cell unless asked for as text.
public struct CSVTable: Sendable {
    public let header: [String]
    public internal(set) var bytes: [UInt8]
    public internal(set) var records: CSVRecords
    /// Decimal mark of the numbers in the cells (`.` or `,`).
    public let decimal: UInt8
    /// The field delimiter and null token the records were scanned with (a boxed table scans a
    /// record again for a number cell's text).
    let delimiter: UInt8
    let nullToken: [UInt8]
    /// True once the categorical cells were replaced by their levels and the bytes let go.
    var textDropped = false

    public init(
        header: [String], bytes: [UInt8], records: CSVRecords, decimal: UInt8 = UInt8(ascii: "."), delimiter: UInt8 = UInt8(ascii: ","),
        nullToken: [UInt8] = []
    ) {
        self.header = header
        self.bytes = bytes
        self.records = records
        self.decimal = decimal
        self.delimiter = delimiter
        self.nullToken = nullToken
    }

    init(header: [String], bytes: [UInt8], records: CSVRecords, options: CSVOptions) {
        self.init(
            header: header, bytes: bytes, records: records, decimal: options.decimal, delimiter: options.delimiter,
            nullToken: Array(options.nullToken.utf8))
    }

    public var rowCount: Int { records.count }
    public var columnCount: Int { header.count }

    /// The value of one cell read as a number.
    public enum Cell: Equatable {
        case missing
        case number(Double)
        /// Not a finite decimal number; the text is in the table.
        case text
    }

    /// Index of the header column `name`: exact match first, then a unique case-insensitive one.
    public func columnIndex(_ name: String) -> Int? { CSVTable.columnIndex(name, in: header) }

    /// Index of `name` in `header`: exact match first, then a unique case-insensitive one.
    public static func columnIndex(_ name: String, in header: [String]) -> Int? {
        if let i = header.firstIndex(of: name) { return i }
        let lower = name.lowercased()
        let m = header.indices.filter { header[$0].lowercased() == lower }
        return m.count == 1 ? m[0] : nil
    }

    /// The 1-based physical line where row `row` starts.
    public func line(_ row: Int) -> Int { records.line(row) }

    /// Keeps the records' line numbers as runs (see `LineRuns`): for a table read whole and never appended to.
    mutating func compactingLines() { records.compactingLines() }

    /// True when the cell is empty (missing).
    public func isEmpty(_ row: Int, _ col: Int) -> Bool { withCells { $0.isEmpty(row, col) } }

    /// The cell as a number, missing, or text.
    public func cell(_ row: Int, _ col: Int) -> Cell { withCells { $0.cell(row, col) } }

    /// The cell's text, quotes unescaped.
    public func text(_ row: Int, _ col: Int) -> String {
        let s = withCells { $0.span(row, col) }
        let str = String(decoding: bytes[s.start..<s.end], as: UTF8.self)
        return s.escaped ? str.replacingOccurrences(of: "\"\"", with: "\"") : str
    }

    /// The bytes of row `row` as they appeared (without its line terminator).
    public func recordBytes(_ row: Int) -> ArraySlice<UInt8> {
        bytes[Int(records.recordStarts[row])..<Int(records.recordEnds[row])]
    }

    /// Calls `body` with `recordBytes(row)` without making a slice (a slice is a retain and a release
    /// of the whole table's bytes, per row: 2.6% of `zoo predict` on BMI).
    @inline(__always)
    public func withRecordBytes<R>(_ row: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let s = Int(records.recordStarts[row]), e = Int(records.recordEnds[row])
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[s..<e])) }
    }

    /// Unretained pointers to the bytes and cell spans, for hot loops (no reference counting per cell).
    /// Valid only inside `withCells`.
    public struct Cells {
        let bytes: UnsafePointer<UInt8>
        let starts: UnsafePointer<Int32>
        let ends: UnsafePointer<Int32>
        let columns: Int
        let decimal: UInt8
        /// True when `starts`/`ends` hold `CellWord`s (see `CSVTable.boxingNumbers`).
        let boxed: Bool
        /// False once the table let its bytes go.
        let hasText: Bool
        let recordStarts: UnsafePointer<Int32>
        let recordEnds: UnsafePointer<Int32>
        let delimiter: UInt8
        let nullToken: UnsafeBufferPointer<UInt8>

        @inline(__always) func word(_ row: Int, _ col: Int) -> UInt64 {
            let k = row * columns + col
            return CellWord.join(starts[k], ends[k])
        }

        @inline(__always) func span(_ row: Int, _ col: Int) -> (start: Int, end: Int, escaped: Bool) {
            if boxed {
                // A table that let its bytes go (`replacingTextWithLevels`) has no text to point at.
                guard hasText else { return (0, 0, false) }
                let w = word(row, col)
                guard !CellWord.isNumber(w) else { return rescannedSpan(row, col) }
                let s = Int(recordStarts[row]) + CellWord.offset(w)
                return (s, s + CellWord.length(w), CellWord.isEscaped(w))
            }
            let k = row * columns + col
            return CSVRecords.span(start: starts[k], end: ends[k])
        }

        /// The level index a categorical cell was replaced by, if it was.
        @inline(__always) func level(_ row: Int, _ col: Int) -> Int? { boxed ? CellWord.levelIndex(word(row, col)) : nil }

        /// A boxed number cell's span, found by scanning its record again (the box kept only the number).
        @inline(never) func rescannedSpan(_ row: Int, _ col: Int) -> (start: Int, end: Int, escaped: Bool) {
            var scanner = CSVScanner(delimiter: delimiter, line: 1, nullToken: Array(nullToken))
            var record = CSVRecords(columns: 0, reserve: 1)
            let s = Int(recordStarts[row])
            _ = try? scanner.scan(bytes, count: Int(recordEnds[row]), from: s, isFinal: true, into: &record, header: nil, maxRecords: 1)
            // The record scanned the same way the first time, so it has the cell; an empty span if not.
            guard col < record.starts.count else { return (s, s, false) }
            return CSVRecords.span(start: record.starts[col], end: record.ends[col])
        }

        @inline(__always) public func isEmpty(_ row: Int, _ col: Int) -> Bool {
            if boxed { return CellWord.isEmpty(word(row, col)) }
            let k = row * columns + col
            return starts[k] == ends[k]
        }

        @inline(__always) public func cell(_ row: Int, _ col: Int) -> Cell {
            if boxed {
                let w = word(row, col)
                if CellWord.isNumber(w) { return .number(Double(bitPattern: w)) }
                return CellWord.length(w) == 0 ? .missing : .text
            }
            let s = span(row, col)
            if s.start == s.end { return .missing }
            return DecimalParser.parse(bytes, s.start, s.end, decimal: decimal).map(Cell.number) ?? .text
        }

        /// True for a quoted cell with doubled quotes (its bytes are not its text: read it with `text`).
        @inline(__always) public func isEscaped(_ row: Int, _ col: Int) -> Bool {
            if boxed {
                let w = word(row, col)
                return !CellWord.isNumber(w) && CellWord.isEscaped(w)
            }
            return span(row, col).escaped
        }

        /// Calls `body` with the cell's bytes in place.
        @inline(__always) public func withBytes<R>(_ row: Int, _ col: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            let s = span(row, col)
            return try body(UnsafeBufferPointer(start: bytes + s.start, count: s.end - s.start))
        }
    }

    /// Calls `body` with unretained cell access (the table stays alive for the call).
    public func withCells<R>(_ body: (Cells) throws -> R) rethrows -> R {
        var dummy: UInt8 = 0
        let none = UnsafePointer<Int32>(bitPattern: 8)!
        return try bytes.withUnsafeBufferPointer { b in
            try records.starts.withUnsafeBufferPointer { s in
                try records.ends.withUnsafeBufferPointer { e in
                    try records.recordStarts.withUnsafeBufferPointer { rs in
                        try records.recordEnds.withUnsafeBufferPointer { re in
                            try nullToken.withUnsafeBufferPointer { null in
                                try withUnsafePointer(to: &dummy) { d in
                                    try body(
                                        Cells(
                                            bytes: b.baseAddress ?? d, starts: s.baseAddress ?? none, ends: e.baseAddress ?? none,
                                            columns: records.columns, decimal: decimal, boxed: records.boxed, hasText: !textDropped,
                                            recordStarts: rs.baseAddress ?? none, recordEnds: re.baseAddress ?? none,
                                            delimiter: delimiter, nullToken: null))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    // MARK: reading

    /// Longest header line accepted.
    public static let maxHeaderBytes: Int32 = 1 << 20
    /// Longest record the streaming reader buffers while looking for its end.
    public static let maxRecordBytes = 64 << 20

    /// Parses a whole CSV held in memory. The first non-blank record is the header.
    public static func parse(_ bytes: [UInt8], options: CSVOptions = CSVOptions(), source: String = "input") throws -> CSVTable {
        try parse(bytes, options: options, source: source, parallel: true)
    }

    static func parse(_ bytes: [UInt8], options: CSVOptions, source: String, parallel: Bool) throws -> CSVTable {
        guard bytes.count < Int(Int32.max) else {
            throw CSVInputBytes.tooLarge(source, maxBytes: CSVInputBytes.defaultLimit)
        }
        let (header, scanner, offset) = try parseHeader(bytes, options: options, isFinal: true, source: source)
        let cores = Parallel.maxThreads
        if parallel, cores > 1, bytes.count - offset >= 4 << 20,
            let records = try? parallelScan(bytes, from: offset, line: scanner.line, parts: cores, options: options, header: header)
        {
            return CSVTable(header: header, bytes: bytes, records: records, options: options)
        }
        // Sequential: small inputs, and any input the parallel split could not handle (its errors
        // are then reported exactly, first line first).
        var sequential = scanner
        var records = CSVRecords(columns: header.count, reserve: bytes.count / max(8, 4 * header.count))
        _ = try bytes.withUnsafeBufferPointer { b in
            try sequential.scan(b.baseAddress!, count: b.count, from: offset, isFinal: true, into: &records, header: header)
        }
        return CSVTable(header: header, bytes: bytes, records: records, options: options)
    }

    /// For the CSV fuzzer: `bytes` read as an input of 4 MiB or more is, in `parts` slices (the scan
    /// kernel's path), or nil where that path declines (quotes, or an error the sequential scan reports).
    @_spi(Fuzzing) public static func parseInSlices(_ bytes: [UInt8], options: CSVOptions, parts: Int) throws -> CSVTable? {
        let (header, scanner, offset) = try parseHeader(bytes, options: options, isFinal: true, source: "input")
        guard let records = try parallelScan(bytes, from: offset, line: scanner.line, parts: parts, options: options, header: header)
        else { return nil }
        return CSVTable(header: header, bytes: bytes, records: records, options: options)
    }

    /// Scans `parts` slices of the bytes on the cores, or returns nil for input with quote characters
    /// (a line end inside a quoted field is not a record end, and a stray quote makes quote parity
    /// unreliable: such files are scanned sequentially). Without quotes every line end ends a record,
    /// so slices start just after a line end, and a slice's first line number is the count of line
    /// ends before it. Nil also when a slice fails, so the sequential rescan reports errors exactly.
    static func parallelScan(
        _ bytes: [UInt8], from offset: Int, line: Int, parts: Int, options: CSVOptions,
        header: [String]
    ) throws -> CSVRecords? {
        let n = bytes.count
        return bytes.withUnsafeBufferPointer { b -> CSVRecords? in
            let p = b.baseAddress!
            @inline(__always) func isLineEnd(_ i: Int) -> Bool { p[i] == 10 || (p[i] == 13 && (i + 1 >= n || p[i + 1] != 10)) }
            // Slice starts: just after the first line end at or past each nominal cut.
            var starts = [offset]
            for k in 1..<parts {
                var i = max(starts[k - 1], offset + (n - offset) * k / parts)
                while i < n && !isLineEnd(i) { i += 1 }
                starts.append(min(n, i + 1))
            }
            starts.append(n)
            var counts = [ByteCounts?](repeating: nil, count: parts)
            counts.withUnsafeMutableBufferPointer { C in
                Parallel.forEach(parts) { k in C[k] = ByteCounts(p + starts[k], count: starts[k + 1] - starts[k]) }
            }
            guard counts.allSatisfy({ $0!.quotes == 0 }) else { return nil }
            let lineEnds = counts.map { $0!.lineEnds }
            // Each slice scans straight into its own window of the final table, sized by
            // `maxRecords`. Blank lines leave gaps, closed below.
            var windows = [0]
            for k in 0..<parts {
                // The slice holding the input's end may end in a record without a line end (slices
                // after it are empty: a short input's cuts all fall in its last line).
                let lines = lineEnds[k] + (starts[k] < n && starts[k + 1] == n ? 1 : 0)
                windows.append(windows[k] + CSVRecords.maxRecords(bytes: starts[k + 1] - starts[k], lines: lines, columns: header.count))
            }
            return CSVRecords.filled(columns: header.count, capacity: windows[parts], firstLine: line) { table in
                var regions = [CSVRecordRegion?](repeating: nil, count: parts)
                regions.withUnsafeMutableBufferPointer { R in
                    Parallel.forEach(parts) { k in
                        var region = table.slice(from: windows[k], capacity: windows[k + 1] - windows[k])
                        let firstLine = line + lineEnds[..<k].reduce(0, +)
                        // No quotes: structural bytes 64 at a time (`zoo_scan_plain`) instead of
                        // CSVScanner's field by field: read + scan of 1,000,000 BMI rows 0.068 ->
                        // 0.031-0.034 s, 160,000 wide rows 0.20 -> 0.15 s (zoo bench, one run).
                        guard
                            region.scanUnquoted(
                                p, from: starts[k], to: starts[k + 1], delimiter: options.delimiter, line: firstLine,
                                nullToken: Array(options.nullToken.utf8), blanks: counts[k]!.blanks > 0)
                        else { return }
                        R[k] = region
                    }
                }
                // Nil: a slice failed, so the sequential rescan reports its error exactly.
                guard regions.allSatisfy({ $0 != nil }) else { return nil }
                var filled = 0
                for k in 0..<parts {
                    let region = regions[k]!
                    if filled != windows[k] { region.move(to: table, at: filled) }
                    filled += region.count
                }
                return filled
            }
        }
    }

    /// Reads and parses the file at `path` (`-` for standard input; gzip recognised by its bytes).
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws -> CSVTable {
        try parse(try CSVInputBytes.read(path: path), options: options, source: path)
    }

    /// Thrown by `parseHeader` when the bytes end inside the header and more may follow (not final):
    /// a streaming reader reads on, nobody else sees it.
    struct IncompleteHeader: Error {}

    /// Reads the header record (after an optional UTF-8 BOM): names trimmed, unique and non-empty.
    /// Returns the scanner positioned after it and the offset of the first data byte.
    static func parseHeader(_ bytes: [UInt8], options: CSVOptions, isFinal: Bool, source: String) throws
        -> (header: [String], scanner: CSVScanner, offset: Int)
    {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw ZooError.csv(line: 1, column: nil, message: "the file is UTF-16; save it as UTF-8 CSV")
        }
        var scanner = CSVScanner(delimiter: options.delimiter, line: 1, nullToken: Array(options.nullToken.utf8))
        var rec = CSVRecords(columns: 0, reserve: 1)
        let outcome = try bytes.withUnsafeBufferPointer { b -> CSVScanner.Outcome in
            guard let base = b.baseAddress, b.count > start else { return .done }
            return try scanner.scan(base, count: b.count, from: start, isFinal: isFinal, into: &rec, header: nil, maxRecords: 1)
        }
        if case .needMore = outcome { throw IncompleteHeader() }
        if rec.count == 0 && !isFinal { throw IncompleteHeader() }
        guard rec.count == 1 else { throw ZooError.invalidInput("\(source) is empty: a header row is required") }
        guard rec.recordEnds[0] - rec.recordStarts[0] <= CSVTable.maxHeaderBytes else {
            throw ZooError.csv(
                line: 1, column: nil, message: "the header line is over \(CSVTable.maxHeaderBytes >> 20) MiB; is this a CSV file?")
        }
        let table = CSVTable(header: [], bytes: bytes, records: rec)
        var names: [String] = [], firstColumn: [String: Int] = [:]
        for k in 0..<rec.starts.count {  // the header was scanned alone, so all cells are its
            let name = table.text(0, k).trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                throw ZooError.csv(line: rec.line(0), column: nil, message: "column \(k + 1) of the header has no name")
            }
            if let j = firstColumn.updateValue(k, forKey: name) {
                throw ZooError.csv(line: rec.line(0), column: name, message: "duplicate column name (columns \(j + 1) and \(k + 1))")
            }
            names.append(name)
        }
        if names.count == 1, options.delimiter == UInt8(ascii: ","), let other = [";", "\t", "|"].first(where: { names[0].contains($0) }) {
            let shown = other == "\t" ? "tab" : other
            throw ZooError.csv(
                line: rec.line(0), column: nil,
                message:
                    "the header has one column '\(names[0].prefix(60))'; the file looks \(shown)-delimited: pass --delimiter '\(shown)'")
        }
        return (names, scanner, scannerOffset(bytes, afterHeaderOf: rec))
    }

    /// The offset just past the header record's line terminator.
    static func scannerOffset(_ bytes: [UInt8], afterHeaderOf rec: CSVRecords) -> Int {
        var p = Int(rec.recordEnds[0])
        if p < bytes.count, bytes[p] == 13 { p += 1 }
        if p < bytes.count, bytes[p] == 10 { p += 1 }
        return p
    }
}
