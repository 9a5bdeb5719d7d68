/// Options for reading CSV.
public struct CSVOptions: Sendable, Equatable {
    /// Field separator byte (default `,`).
    public var delimiter: UInt8
    /// Decimal mark of numbers: `.` (default) or `,`.
    public var decimal: UInt8
    /// An unquoted field equal to this text is missing, as an empty one is (`\N`: Spark's and Hive's
    /// null). Empty: none.
    public var nullToken = ""

    public init(delimiter: UInt8 = UInt8(ascii: ","), decimal: UInt8 = UInt8(ascii: ".")) {
        self.delimiter = delimiter
        self.decimal = decimal
    }

    /// Parses `--decimal` text: `.` or `,`.
    public static func decimal(from text: String) throws -> UInt8 {
        guard text == "." || text == "," else { throw ZooError.invalidInput("--decimal must be '.' or ',', got '\(text)'") }
        return text.utf8.first!
    }

    /// Checks that the delimiter and the decimal mark differ.
    public func validate() throws {
        guard delimiter == decimal else { return }
        throw ZooError.invalidInput("--decimal , needs another field delimiter, such as --delimiter ';'")
    }

    /// Parses `--delimiter` text: one ASCII character, or `tab`/`\t`.
    public static func delimiter(from text: String) throws -> UInt8 {
        switch text {
        case "tab", "\\t", "\t": return 9
        default:
            guard text.utf8.count == 1, let b = text.utf8.first, b < 128, b != UInt8(ascii: "\""), b != 10, b != 13 else {
                throw ZooError.invalidInput("--delimiter must be one ASCII character other than a quote or newline (or 'tab'), got '\(text)'")
            }
            return b
        }
    }
}

/// Records of a byte buffer, as cell spans: RFC 4180 quotes, CRLF/LF/CR endings, surrounding
/// spaces trimmed, blank lines skipped. Cells are not copied; `CSVTable` reads them on demand.
public struct CSVRecords: Sendable {
    /// Cell starts and ends (byte offsets), `columns` per record. A negative start `-(s + 1)` marks a
    /// quoted cell containing doubled quotes, which must be unescaped when read as text.
    public internal(set) var starts: [Int32] = []
    public internal(set) var ends: [Int32] = []
    /// Where each record's bytes begin and end (without its line terminator), for copying through.
    public internal(set) var recordStarts: [Int32] = []
    public internal(set) var recordEnds: [Int32] = []
    /// The 1-based physical line each record starts on.
    public internal(set) var lines: [Int] = []
    public let columns: Int
    /// Line mode only (`zoo predict --no-header`): records whose field count was wrong, kept (as empty
    /// cells) so that every input line has an output line, with the count found (0 for a blank line,
    /// −1 for a line whose quotes cannot be read).
    public internal(set) var ragged: [(record: Int, fields: Int)] = []

    public var count: Int { lines.count }

    init(columns: Int, reserve: Int) {
        self.columns = columns
        starts.reserveCapacity(reserve * columns)
        ends.reserveCapacity(reserve * columns)
        recordStarts.reserveCapacity(reserve)
        recordEnds.reserveCapacity(reserve)
        lines.reserveCapacity(reserve)
    }

    /// The most records `bytes` bytes holding `lines` line ends can yield: a record ends at a line
    /// end (or the end of the bytes) and has `columns - 1` delimiters, so it takes at least `columns`
    /// bytes with its terminator. Reserving this bounds a table by its bytes, whatever the column count.
    static func maxRecords(bytes: Int, lines: Int, columns: Int) -> Int {
        min(lines, bytes / max(1, columns) + 1)
    }

    /// Records written in place: allocates room for `capacity` records without initialising it, and
    /// lets `fill` write them through a region (from several threads, in disjoint sub-regions). `fill`
    /// returns how many records it left at the front, or nil to give up.
    static func filled(columns: Int, capacity: Int, _ fill: (CSVRecordRegion) -> Int?) -> CSVRecords? {
        var records = CSVRecords(columns: columns, reserve: 0)
        var count: Int?
        // Uninitialised: the filling threads touch the pages first, in parallel, instead of one
        // thread zeroing hundreds of megabytes.
        records.starts = [Int32](unsafeUninitializedCapacity: capacity * columns) { cs, nc in
            records.ends = [Int32](unsafeUninitializedCapacity: capacity * columns) { ce, ne in
                records.recordStarts = [Int32](unsafeUninitializedCapacity: capacity) { rs, nrs in
                    records.recordEnds = [Int32](unsafeUninitializedCapacity: capacity) { re, nre in
                        records.lines = [Int](unsafeUninitializedCapacity: capacity) { ls, nl in
                            let region = CSVRecordRegion(columns: columns, starts: cs.baseAddress!, ends: ce.baseAddress!,
                                                         recordStarts: rs.baseAddress!, recordEnds: re.baseAddress!,
                                                         lines: ls.baseAddress!, capacity: capacity)
                            count = fill(region)
                            let k = count ?? 0
                            nc = k * columns; ne = k * columns; nrs = k; nre = k; nl = k
                        }
                    }
                }
            }
        }
        return count == nil ? nil : records
    }
}

/// Where the scanner puts what it finds: growable arrays (`CSVRecords`) or a fixed region of a table
/// being filled in place (`CSVRecordRegion`).
protocol CSVRecordSink {
    /// Fields per record (0 while reading the header: any number).
    var columns: Int { get }
    var cellCount: Int { get }
    mutating func appendCell(start: Int32, end: Int32)
    /// Takes back the cells from index `base` on (a blank line, or a record the buffer cut short).
    mutating func removeCells(from base: Int)
    func cellIsEmpty(_ k: Int) -> Bool
    mutating func appendRecord(start: Int32, end: Int32, line: Int)
    /// Line mode: the record just appended had `fields` fields instead of `columns` (0: a blank line,
    /// −1: a line whose quotes cannot be read).
    mutating func markRagged(fields: Int)
}

extension CSVRecords: CSVRecordSink {
    var cellCount: Int { starts.count }
    mutating func appendCell(start: Int32, end: Int32) { starts.append(start); ends.append(end) }
    mutating func removeCells(from base: Int) {
        starts.removeLast(starts.count - base)
        ends.removeLast(ends.count - base)
    }
    func cellIsEmpty(_ k: Int) -> Bool { starts[k] == ends[k] }
    mutating func appendRecord(start: Int32, end: Int32, line: Int) {
        recordStarts.append(start)
        recordEnds.append(end)
        lines.append(line)
    }
    mutating func markRagged(fields: Int) { ragged.append((lines.count - 1, fields)) }
}

/// A window of `capacity` records in a table being filled in place. Writes past the capacity are
/// dropped and flag `overflowed` (the caller then discards the result), so a miscounted slice can
/// never write outside its window.
struct CSVRecordRegion: CSVRecordSink, @unchecked Sendable {
    let columns: Int
    let starts: UnsafeMutablePointer<Int32>, ends: UnsafeMutablePointer<Int32>
    let recordStarts: UnsafeMutablePointer<Int32>, recordEnds: UnsafeMutablePointer<Int32>
    let lines: UnsafeMutablePointer<Int>
    let capacity: Int
    private(set) var cellCount = 0
    private(set) var count = 0
    private(set) var overflowed = false

    /// The sub-window of records `from ..< from + capacity`.
    func slice(from: Int, capacity: Int) -> CSVRecordRegion {
        precondition(from >= 0 && capacity >= 0 && from + capacity <= self.capacity)
        return CSVRecordRegion(columns: columns, starts: starts + from * columns, ends: ends + from * columns,
                               recordStarts: recordStarts + from, recordEnds: recordEnds + from, lines: lines + from,
                               capacity: capacity)
    }

    mutating func appendCell(start: Int32, end: Int32) {
        if cellCount < capacity * columns { starts[cellCount] = start; ends[cellCount] = end } else { overflowed = true }
        cellCount += 1
    }
    mutating func removeCells(from base: Int) { cellCount = base }
    func cellIsEmpty(_ k: Int) -> Bool { k < capacity * columns && starts[k] == ends[k] }
    mutating func appendRecord(start: Int32, end: Int32, line: Int) {
        if count < capacity { recordStarts[count] = start; recordEnds[count] = end; lines[count] = line } else { overflowed = true }
        count += 1
    }
    /// Line mode is never scanned in parallel regions.
    mutating func markRagged(fields: Int) { overflowed = true }

    /// Moves this window's records to record index `to` of `target` (the same table, `to` ≤ this
    /// window's start), closing the gap a shorter-than-reserved window before it left.
    func move(to target: CSVRecordRegion, at to: Int) {
        let n = min(count, capacity)
        (target.starts + to * columns).update(from: starts, count: n * columns)
        (target.ends + to * columns).update(from: ends, count: n * columns)
        (target.recordStarts + to).update(from: recordStarts, count: n)
        (target.recordEnds + to).update(from: recordEnds, count: n)
        (target.lines + to).update(from: lines, count: n)
    }
}

/// The scanner: walks bytes from an offset, emitting complete records.
struct CSVScanner {
    let delimiter: UInt8
    /// The physical line of the next byte to scan.
    var line: Int
    /// An unquoted field equal to these bytes is missing (`\N` from Spark and Hive); empty: none.
    var nullToken: [UInt8] = []
    /// One record per line, for pipe stages (`zoo predict --no-header`): a blank line or a line with
    /// the wrong field count is kept as a record of empty cells and marked ragged, instead of being
    /// skipped or stopping the scan, so output lines stay aligned with input lines.
    var lineMode = false

    init(delimiter: UInt8, line: Int, nullToken: [UInt8] = [], lineMode: Bool = false) {
        self.delimiter = delimiter
        self.line = line
        self.nullToken = nullToken
        self.lineMode = lineMode
    }

    enum Outcome {
        /// All bytes consumed.
        case done
        /// The buffer ends inside a record that starts at `offset`; supply more bytes (only when not final).
        case needMore(offset: Int)
    }

    /// Scans `p[from..<count]`, appending each record's cells to `out` (or the header cells when
    /// `out.columns == 0`: then exactly one record is read and `needMore/done` reports where it ended).
    /// `isFinal` says no bytes follow. Fails with line and column on malformed input.
    mutating func scan<Sink: CSVRecordSink>(_ p: UnsafePointer<UInt8>, count: Int, from: Int, isFinal: Bool,
                                            into out: inout Sink, header: [String]?, maxRecords: Int = .max) throws -> Outcome {
        let quote = UInt8(ascii: "\""), cr: UInt8 = 13, lf: UInt8 = 10, space: UInt8 = 32, tab: UInt8 = 9
        let delim = delimiter
        let trimTab = delim != tab
        var pos = from
        var emitted = 0
        func columnName(_ k: Int) -> String? { header.flatMap { k < $0.count ? $0[k] : nil } }

        recordLoop: while pos < count && emitted < maxRecords {
            let recordStart = pos
            let recordLine = line
            var linesInRecord = 0
            // Cells go straight into `out`; a blank line or an incomplete record takes them back.
            let base = out.cellCount
            var fields = 0
            func rollback() { out.removeCells(from: base) }
            /// Line mode: the rest of this line, from `from`, is unreadable; it becomes a record of empty
            /// cells marked ragged (−1). Returns where the next line starts, or nil when the line's end
            /// is not in the buffer yet (more bytes needed; `out` is rolled back).
            func badLine(from: Int) -> Int? {
                var q = from
                while q < count, p[q] != lf, p[q] != cr { q += 1 }
                if q >= count && !isFinal { line = recordLine; rollback(); return nil }
                let end = q
                if q < count { q += p[q] == cr && q + 1 < count && p[q + 1] == lf ? 2 : 1 }
                if q >= count, end < count, p[end] == cr, !isFinal { line = recordLine; rollback(); return nil }
                rollback()
                for _ in 0..<out.columns { out.appendCell(start: Int32(recordStart), end: Int32(recordStart)) }
                out.appendRecord(start: Int32(recordStart), end: Int32(end), line: recordLine)
                out.markRagged(fields: -1)
                emitted += 1
                line = recordLine + 1
                return q
            }
            var recordEnd = pos
            var endOfRecord = false
            while !endOfRecord {
                // Leading whitespace.
                while pos < count, p[pos] == space || (trimTab && p[pos] == tab) { pos += 1 }
                var s = pos, e = pos
                var escaped = false
                if pos < count, p[pos] == quote {
                    pos += 1
                    s = pos
                    while true {
                        guard pos < count else {
                            if !isFinal { line = recordLine; rollback(); return .needMore(offset: recordStart) }
                            throw ZooError.csv(line: recordLine, column: columnName(fields),
                                               message: "unterminated quoted field (the quote opens here and never closes)")
                        }
                        let b = p[pos]
                        if b == quote {
                            if pos + 1 < count, p[pos + 1] == quote { escaped = true; pos += 2; continue }
                            if pos + 1 >= count, !isFinal { line = recordLine; rollback(); return .needMore(offset: recordStart) }
                            break
                        }
                        if b == lf || (b == cr && !(pos + 1 < count && p[pos + 1] == lf)) {
                            if lineMode && out.columns > 0 {
                                // Line mode: a quote still open at the end of its line makes that line a
                                // bad record of its own, instead of swallowing the lines after it.
                                guard let next = badLine(from: pos) else { return .needMore(offset: recordStart) }
                                pos = next
                                continue recordLoop
                            }
                            linesInRecord += 1
                        }
                        if b == 0 {
                            throw ZooError.csv(line: recordLine + linesInRecord, column: columnName(fields), message: "NUL byte in the data (is this a binary or UTF-16 file?)")
                        }
                        pos += 1
                    }
                    e = pos
                    pos += 1  // closing quote
                    while pos < count, p[pos] == space || (trimTab && p[pos] == tab) { pos += 1 }
                    if pos < count, p[pos] != delim, p[pos] != lf, p[pos] != cr {
                        if lineMode && out.columns > 0 {
                            guard let next = badLine(from: pos) else { return .needMore(offset: recordStart) }
                            pos = next
                            continue recordLoop
                        }
                        throw ZooError.csv(line: recordLine + linesInRecord, column: columnName(fields),
                                           message: "unexpected text after a closing quote: '\(Self.snippet(p, pos, count))'")
                    }
                } else {
                    while pos < count {
                        let b = p[pos]
                        if b == delim || b == lf || b == cr { break }
                        if b == 0 {
                            throw ZooError.csv(line: recordLine + linesInRecord, column: columnName(fields), message: "NUL byte in the data (is this a binary or UTF-16 file?)")
                        }
                        pos += 1
                    }
                    e = pos
                    while e > s, p[e - 1] == space || (trimTab && p[e - 1] == tab) { e -= 1 }
                    if !nullToken.isEmpty, e - s == nullToken.count, Self.equal(p + s, nullToken) { e = s }
                }
                guard e <= Int(Int32.max) else { throw ZooError.invalidInput("CSV chunk over 2 GiB") }
                out.appendCell(start: escaped ? -Int32(s) - 1 : Int32(s), end: Int32(e))
                fields += 1
                if pos < count, p[pos] == delim {
                    pos += 1
                    if pos >= count && !isFinal { line = recordLine; rollback(); return .needMore(offset: recordStart) }
                    continue
                }
                // End of record: a line terminator or the end of the bytes.
                recordEnd = pos
                if pos < count {
                    if p[pos] == cr {
                        if pos + 1 < count { pos += p[pos + 1] == lf ? 2 : 1 }
                        else if isFinal { pos += 1 }
                        else { line = recordLine; rollback(); return .needMore(offset: recordStart) }
                    } else { pos += 1 }
                    linesInRecord += 1
                } else if !isFinal {
                    line = recordLine
                    rollback()
                    return .needMore(offset: recordStart)
                }
                endOfRecord = true
            }
            line = recordLine + linesInRecord
            // A blank line is one empty unquoted field: skip it.
            let blank = fields == 1 && out.cellIsEmpty(base) && (recordEnd == recordStart || Self.allBlank(p, recordStart, recordEnd))
            if blank && !(lineMode && out.columns > 0) {
                rollback()
                continue recordLoop
            }
            if lineMode, out.columns > 0, blank || fields != out.columns {
                if !(blank && out.columns == 1) {  // a blank line is one missing field for a one-column input
                    rollback()
                    for _ in 0..<out.columns { out.appendCell(start: Int32(recordStart), end: Int32(recordStart)) }
                    out.appendRecord(start: Int32(recordStart), end: Int32(recordEnd), line: recordLine)
                    out.markRagged(fields: blank ? 0 : fields)
                    emitted += 1
                    continue recordLoop
                }
            }
            if out.columns > 0, fields != out.columns {
                throw ZooError.csv(line: recordLine, column: nil,
                                   message: "expected \(out.columns) fields as in the header, found \(fields)")
            }
            out.appendRecord(start: Int32(recordStart), end: Int32(recordEnd), line: recordLine)
            emitted += 1
        }
        return .done
    }

    static func equal(_ p: UnsafePointer<UInt8>, _ token: [UInt8]) -> Bool {
        for k in 0..<token.count where p[k] != token[k] { return false }
        return true
    }

    static func allBlank(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        for k in s..<e where p[k] != 32 && p[k] != 9 { return false }
        return true
    }

    static func snippet(_ p: UnsafePointer<UInt8>, _ s: Int, _ count: Int) -> String {
        var e = s
        while e < count, e - s < 20, p[e] != 10, p[e] != 13 { e += 1 }
        return String(decoding: UnsafeBufferPointer(start: p + s, count: e - s), as: UTF8.self)
    }
}
