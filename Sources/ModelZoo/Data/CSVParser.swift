import CZooKernels
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
                throw ZooError.invalidInput(
                    "--delimiter must be one ASCII character other than a quote or newline (or 'tab'), got '\(text)'")
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
    /// The line each record starts on, less `lineBase`: 4 bytes a record instead of 8 (records span
    /// less than 2 GiB, so fewer lines than that). 10,000,000 BMI rows read for training: 40 MB.
    private(set) var lineOffsets: [Int32] = []
    /// The line offsets count from here: the first record's line (or, for records filled in place,
    /// the line the scan started on).
    private(set) var lineBase = 0
    public let columns: Int
    /// True once `starts` and `ends` hold one `CellWord` per cell instead of spans (`CSVTable.boxingNumbers`).
    public internal(set) var boxed = false
    /// Line mode only (`zoo predict --no-header`): records whose field count was wrong, kept (as empty
    /// cells) so that every input line has an output line, with the count found (0 for a blank line,
    /// −1 for a line whose quotes cannot be read).
    public internal(set) var ragged: [(record: Int, fields: Int)] = []

    /// The line numbers as runs once a training table compacted them (`lineOffsets` is then empty).
    private(set) var lineRuns: LineRuns?

    public var count: Int { lineRuns?.count ?? lineOffsets.count }

    /// The 1-based physical line record `r` starts on.
    public func line(_ r: Int) -> Int { lineRuns?.line(r) ?? lineBase + Int(lineOffsets[r]) }

    /// Every record's line (an array made on each call: for comparing tables).
    public var lines: [Int] { (0..<count).map(line) }

    /// Keeps the line numbers as runs where they take a sixteenth of the space or less. No record
    /// may be appended afterwards.
    mutating func compactingLines() {
        guard lineRuns == nil, let runs = LineRuns(lineOffsets, base: lineBase) else { return }
        lineRuns = runs
        lineOffsets = []
    }

    init(columns: Int, reserve: Int) {
        self.columns = columns
        starts.reserveCapacity(reserve * columns)
        ends.reserveCapacity(reserve * columns)
        recordStarts.reserveCapacity(reserve)
        recordEnds.reserveCapacity(reserve)
        lineOffsets.reserveCapacity(reserve)
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
    static func filled(columns: Int, capacity: Int, firstLine: Int, _ fill: (CSVRecordRegion) -> Int?) -> CSVRecords? {
        var records = CSVRecords(columns: columns, reserve: 0)
        records.lineBase = firstLine
        var count: Int?
        // Uninitialised: the filling threads touch the pages first, in parallel, instead of one
        // thread zeroing hundreds of megabytes.
        records.starts = [Int32](unsafeUninitializedCapacity: capacity * columns) { cs, nc in
            records.ends = [Int32](unsafeUninitializedCapacity: capacity * columns) { ce, ne in
                records.recordStarts = [Int32](unsafeUninitializedCapacity: capacity) { rs, nrs in
                    records.recordEnds = [Int32](unsafeUninitializedCapacity: capacity) { re, nre in
                        records.lineOffsets = [Int32](unsafeUninitializedCapacity: capacity) { ls, nl in
                            let region = CSVRecordRegion(
                                columns: columns, starts: cs.baseAddress!, ends: ce.baseAddress!,
                                recordStarts: rs.baseAddress!, recordEnds: re.baseAddress!,
                                lines: ls.baseAddress!, lineBase: firstLine, capacity: capacity)
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

extension CSVRecords {
    /// A cell's span from its stored start and end: a negative start `-(s + 1)` marks doubled quotes.
    @inline(__always) static func span(start: Int32, end: Int32) -> (start: Int, end: Int, escaped: Bool) {
        start < 0 ? (Int(-start - 1), Int(end), true) : (Int(start), Int(end), false)
    }

    /// Writes each `levels` entry (`r * columns.count + k`, −1 for none) as the level word of cell
    /// (r, `columns[k]`) and lets the record spans go: what a boxed table keeps once its bytes are gone.
    mutating func dropCellText(levels: [Int32], columns cols: [Int]) {
        let m = columns, n = count
        starts.withUnsafeMutableBufferPointer { S in
            ends.withUnsafeMutableBufferPointer { E in
                for r in 0..<n {
                    for (k, c) in cols.enumerated() where levels[r * cols.count + k] >= 0 {
                        (S[r * m + c], E[r * m + c]) = CellWord.split(CellWord.level(Int(levels[r * cols.count + k])))
                    }
                }
            }
        }
        recordStarts = []
        recordEnds = []
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
        if lineOffsets.isEmpty { lineBase = line }
        lineOffsets.append(Int32(line - lineBase))
    }
    mutating func markRagged(fields: Int) { ragged.append((lineOffsets.count - 1, fields)) }
}

/// The double quotes, line ends and blanks in a run of bytes, counted vectorised (`zoo_count_bytes`;
/// byte by byte this was 14% of ingest on the wide table, and 13% on BMI, whose lines end in CR LF).
/// A line end is a line feed, or a carriage return not followed by one; a blank a space or a tab.
struct ByteCounts {
    let quotes: Int
    let lineEnds: Int
    let blanks: Int

    init(_ p: UnsafePointer<UInt8>, count: Int) {
        var counts: (Int64, Int64, Int64, Int64, Int64) = (0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &counts) { zoo_count_bytes(p, Int64(count), $0.baseAddress!.assumingMemoryBound(to: Int64.self)) }
        quotes = Int(counts.0)
        lineEnds = Int(counts.1 + counts.2 - counts.3)
        blanks = Int(counts.4)
    }
}

/// A window of `capacity` records in a table being filled in place. Writes past the capacity are
/// dropped and flag `overflowed` (the caller then discards the result), so a miscounted slice can
/// never write outside its window.
struct CSVRecordRegion: CSVRecordSink, @unchecked Sendable {
    let columns: Int
    let starts: UnsafeMutablePointer<Int32>, ends: UnsafeMutablePointer<Int32>
    let recordStarts: UnsafeMutablePointer<Int32>, recordEnds: UnsafeMutablePointer<Int32>
    /// Each record's line less `lineBase` (see `CSVRecords.lineOffsets`).
    let lines: UnsafeMutablePointer<Int32>
    let lineBase: Int
    let capacity: Int
    private(set) var cellCount = 0
    private(set) var count = 0
    private(set) var overflowed = false

    /// The sub-window of records `from ..< from + capacity`.
    func slice(from: Int, capacity: Int) -> CSVRecordRegion {
        precondition(from >= 0 && capacity >= 0 && from + capacity <= self.capacity)
        return CSVRecordRegion(
            columns: columns, starts: starts + from * columns, ends: ends + from * columns,
            recordStarts: recordStarts + from, recordEnds: recordEnds + from, lines: lines + from, lineBase: lineBase,
            capacity: capacity)
    }

    mutating func appendCell(start: Int32, end: Int32) {
        if cellCount < capacity * columns { starts[cellCount] = start; ends[cellCount] = end } else { overflowed = true }
        cellCount += 1
    }
    mutating func removeCells(from base: Int) { cellCount = base }
    func cellIsEmpty(_ k: Int) -> Bool { k < capacity * columns && starts[k] == ends[k] }
    mutating func appendRecord(start: Int32, end: Int32, line: Int) {
        if count < capacity {
            recordStarts[count] = start
            recordEnds[count] = end
            lines[count] = Int32(line - lineBase)
        } else {
            overflowed = true
        }
        count += 1
    }
    /// Line mode is never scanned in parallel regions.
    mutating func markRagged(fields: Int) { overflowed = true }

    /// Whether `zoo_scan_plain` reads fields split by `delimiter` as CSVScanner does: not when blanks
    /// split them (CSVScanner skips the spaces before a field, delimiters included) or NUL does.
    static func kernelScans(delimiter: UInt8) -> Bool { delimiter != 32 && delimiter != 0 }

    /// Fills the window with the records of `p[from ..< to]`, which holds no double quote, by
    /// `zoo_scan_plain` (CSVScanner's rules for unquoted fields, structural bytes found 64 at a time;
    /// by CSVScanner itself for a delimiter the kernel does not take). False where CSVScanner would
    /// report an error: the caller rescans for it. `blanks` false promises the bytes hold no space or
    /// tab (`ByteCounts`): nothing to trim.
    mutating func scanUnquoted(
        _ p: UnsafePointer<UInt8>, from: Int, to: Int, delimiter: UInt8, line: Int, nullToken: [UInt8], blanks: Bool
    ) -> Bool {
        guard Self.kernelScans(delimiter: delimiter) else {
            var scanner = CSVScanner(delimiter: delimiter, line: line, nullToken: nullToken)
            let scanned = (try? scanner.scan(p, count: to, from: from, isFinal: true, into: &self, header: nil)) != nil
            return scanned && !overflowed
        }
        let n = nullToken.withUnsafeBufferPointer { token in
            zoo_scan_plain(
                p, Int64(from), Int64(to), delimiter, Int64(columns), Int64(line - lineBase), token.baseAddress, Int64(token.count),
                starts, ends, recordStarts, recordEnds, lines, Int64(capacity), blanks ? 1 : 0)
        }
        guard n >= 0 else { return false }
        count = Int(n)
        cellCount = count * columns
        return true
    }

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
        /// `maxRecords` records were read; the next one starts at `offset`.
        case stopped(offset: Int)
    }

    /// Scans `p[from..<count]`, appending each record's cells to `out` (or the header cells when
    /// `out.columns == 0`: then exactly one record is read and `needMore/done` reports where it ended).
    /// `isFinal` says no bytes follow. Fails with line and column on malformed input.
    mutating func scan<Sink: CSVRecordSink>(
        _ p: UnsafePointer<UInt8>, count: Int, from: Int, isFinal: Bool,
        into out: inout Sink, header: [String]?, maxRecords: Int = .max
    ) throws -> Outcome {
        var pos = from
        var emitted = 0
        let lineRecords = lineMode && out.columns > 0
        // One scan state for all records, reset for each: made per record, its copies of the header
        // and null token cost a retain and a release each a record (10% of BMI's ingest + encode).
        var record = RecordScan(
            p: p, count: count, isFinal: isFinal, delimiter: delimiter, header: header, start: pos, line: line,
            nullToken: nullToken, lineMode: lineRecords)
        while pos < count && emitted < maxRecords {
            // Cells go straight into `out`; a blank line or an incomplete record takes them back.
            let base = out.cellCount
            record.begin(at: pos, line: line)
            let recordStart = pos
            switch try record.fields(into: &out) {
            case .needMore:
                out.removeCells(from: base)
                return .needMore(offset: pos)
            case .unreadableLine(let end):
                // Line mode: the line becomes a record of empty cells marked ragged (−1), in its place.
                out.removeCells(from: base)
                appendEmptyRecord(&out, start: recordStart, end: end, line: record.line, fields: -1)
                pos = record.pos
                line = record.line + 1
                emitted += 1
            case .record(let recordEnd):
                pos = record.pos
                line += record.linesInRecord
                // A blank line is one empty unquoted field: skipped, or in line mode a record of its own.
                let blank =
                    record.fields == 1 && out.cellIsEmpty(base)
                    && (recordEnd == recordStart || Self.allBlank(p, recordStart, recordEnd))
                if blank && !lineRecords {
                    out.removeCells(from: base)
                    continue
                }
                // In line mode a line with the wrong field count is kept, empty and marked ragged; a blank
                // line is one missing field for a one-column input.
                if lineRecords, blank || record.fields != out.columns, !(blank && out.columns == 1) {
                    out.removeCells(from: base)
                    appendEmptyRecord(&out, start: recordStart, end: recordEnd, line: record.line, fields: blank ? 0 : record.fields)
                    emitted += 1
                    continue
                }
                if out.columns > 0, record.fields != out.columns {
                    throw ZooError.csv(
                        line: record.line, column: nil,
                        message: "expected \(out.columns) fields as in the header, found \(record.fields)")
                }
                out.appendRecord(start: Int32(recordStart), end: Int32(recordEnd), line: record.line)
                emitted += 1
            }
        }
        return emitted == maxRecords && pos < count ? .stopped(offset: pos) : .done
    }

    static func equal(_ p: UnsafePointer<UInt8>, _ token: [UInt8]) -> Bool {
        for k in 0..<token.count where p[k] != token[k] { return false }
        return true
    }

    /// A record of `out.columns` empty cells marked ragged with the field count found.
    func appendEmptyRecord<Sink: CSVRecordSink>(_ out: inout Sink, start: Int, end: Int, line: Int, fields: Int) {
        for _ in 0..<out.columns { out.appendCell(start: Int32(start), end: Int32(start)) }
        out.appendRecord(start: Int32(start), end: Int32(end), line: line)
        out.markRagged(fields: fields)
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

/// One record being scanned: its fields one after another, each quoted or not, up to the line
/// terminator. Every step returns nil when the bytes end inside the record and more may follow.
struct RecordScan {
    let p: UnsafePointer<UInt8>
    let count: Int
    let isFinal: Bool
    let delimiter: UInt8
    let header: [String]?
    /// An unquoted field equal to these bytes is missing; empty: none.
    let nullToken: [UInt8]
    /// One record per line (pipe stages): a line that cannot be read is reported, not thrown.
    let lineMode: Bool
    /// The record's first physical line (for errors), and the line ends seen inside it so far.
    private(set) var line: Int
    var linesInRecord = 0
    var pos: Int
    var fields = 0

    static let quote = UInt8(ascii: "\""), cr: UInt8 = 13, lf: UInt8 = 10, space: UInt8 = 32, tab: UInt8 = 9

    /// What scanning a record found.
    enum Outcome {
        /// A record whose content ends at `end` (before its line terminator).
        case record(end: Int)
        /// Line mode: a line that is not a well-formed record, ending at `end`; `pos` is after it.
        case unreadableLine(end: Int)
        /// The bytes end inside the record and more may follow.
        case needMore
    }

    init(
        p: UnsafePointer<UInt8>, count: Int, isFinal: Bool, delimiter: UInt8, header: [String]?, start: Int, line: Int,
        nullToken: [UInt8] = [], lineMode: Bool = false
    ) {
        self.nullToken = nullToken
        self.lineMode = lineMode
        self.p = p
        self.count = count
        self.isFinal = isFinal
        self.delimiter = delimiter
        self.header = header
        self.line = line
        pos = start
    }

    /// Starts the next record at `start`, on physical line `line`.
    @inline(__always)
    mutating func begin(at start: Int, line: Int) {
        pos = start
        self.line = line
        linesInRecord = 0
        fields = 0
    }

    /// Appends the record's cells to `out` and says where its content ends (before the line
    /// terminator), leaving `pos` after the terminator.
    @inline(__always)
    mutating func fields<Sink: CSVRecordSink>(into out: inout Sink) throws -> Outcome {
        while true {
            skipBlanks()
            let cell: (start: Int, end: Int, escaped: Bool)
            if pos < count, p[pos] == Self.quote {
                switch try quotedField() {
                case .cell(let quoted): cell = quoted
                case .needMore: return .needMore
                case .unreadable: return restOfLine()
                }
            } else {
                cell = try unquotedField()
            }
            guard cell.end <= Int(Int32.max) else { throw ZooError.invalidInput("CSV chunk over 2 GiB") }
            out.appendCell(start: cell.escaped ? -Int32(cell.start) - 1 : Int32(cell.start), end: Int32(cell.end))
            fields += 1
            if pos < count, p[pos] == delimiter {
                pos += 1
                // Space-separated: blanks before a field are trimmed, delimiters included, so a
                // run of spaces is one separator, and spaces that end the line end the record
                // (they made an empty last field).
                if delimiter == Self.space { skipBlanks() }
                if pos >= count && !isFinal { return .needMore }
                if delimiter == Self.space, pos >= count || p[pos] == Self.lf || p[pos] == Self.cr {
                    let end = pos
                    return terminator() ? .record(end: end) : .needMore
                }
                continue
            }
            let end = pos
            return terminator() ? .record(end: end) : .needMore
        }
    }

    /// Line mode: skips to the end of the current line, which is then one unreadable record.
    mutating func restOfLine() -> Outcome {
        while pos < count, p[pos] != Self.lf, p[pos] != Self.cr { pos += 1 }
        if pos >= count && !isFinal { return .needMore }
        let end = pos
        return terminator() ? .unreadableLine(end: end) : .needMore
    }

    /// Leading (and, after a closing quote, trailing) spaces; tabs too unless tab is the delimiter.
    @inline(__always)
    mutating func skipBlanks() {
        let trimTab = delimiter != Self.tab
        while pos < count, p[pos] == Self.space || (trimTab && p[pos] == Self.tab) { pos += 1 }
    }

    enum QuotedField {
        case cell((start: Int, end: Int, escaped: Bool))
        case needMore
        /// Line mode: the quote is still open at the line's end, or text follows the closing quote.
        case unreadable
    }

    /// A field from its opening quote: `""` is an escaped quote, line ends inside count as lines
    /// (in line mode a quote still open at the end of its line makes the line unreadable instead of
    /// swallowing the lines after it).
    @inline(__always)
    mutating func quotedField() throws -> QuotedField {
        pos += 1
        let start = pos
        var escaped = false
        while true {
            guard pos < count else {
                if !isFinal { return .needMore }
                throw error("unterminated quoted field (the quote opens here and never closes)", atStart: true)
            }
            let b = p[pos]
            if b == Self.quote {
                if pos + 1 < count, p[pos + 1] == Self.quote { escaped = true; pos += 2; continue }
                if pos + 1 >= count, !isFinal { return .needMore }
                break
            }
            if b == Self.lf || (b == Self.cr && !(pos + 1 < count && p[pos + 1] == Self.lf)) {
                if lineMode { return .unreadable }
                linesInRecord += 1
            }
            if b == 0 { throw error("NUL byte in the data (is this a binary or UTF-16 file?)") }
            pos += 1
        }
        let end = pos
        pos += 1  // closing quote
        skipBlanks()
        if pos < count, p[pos] != delimiter, p[pos] != Self.lf, p[pos] != Self.cr {
            if lineMode { return .unreadable }
            throw error("unexpected text after a closing quote: '\(CSVScanner.snippet(p, pos, count))'")
        }
        return .cell((start, end, escaped))
    }

    /// A field up to the delimiter or line end, trailing blanks trimmed.
    @inline(__always)
    mutating func unquotedField() throws -> (start: Int, end: Int, escaped: Bool) {
        let start = pos
        // Eight bytes at a time up to the first delimiter, LF, CR or NUL (exact SWAR zero-byte test:
        // the high bit of each byte that is zero; the lowest such byte is the first in memory).
        let ones: UInt64 = 0x0101_0101_0101_0101, lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        @inline(__always) func zeroBytes(_ v: UInt64) -> UInt64 { ~(((v & lows) &+ lows) | v | lows) }
        let d = UInt64(delimiter) &* ones
        while pos + 8 <= count {
            let x = UnsafeRawPointer(p + pos).loadUnaligned(as: UInt64.self)
            let hit = zeroBytes(x ^ d) | zeroBytes(x ^ (0x0A &* ones)) | zeroBytes(x ^ (0x0D &* ones)) | zeroBytes(x)
            if hit != 0 { pos += hit.trailingZeroBitCount >> 3; break }
            pos += 8
        }
        while pos < count {
            let b = p[pos]
            if b == delimiter || b == Self.lf || b == Self.cr { break }
            if b == 0 { throw error("NUL byte in the data (is this a binary or UTF-16 file?)") }
            pos += 1
        }
        var end = pos
        let trimTab = delimiter != Self.tab
        while end > start, p[end - 1] == Self.space || (trimTab && p[end - 1] == Self.tab) { end -= 1 }
        if !nullToken.isEmpty, end - start == nullToken.count, CSVScanner.equal(p + start, nullToken) { end = start }
        return (start, end, false)
    }

    /// Consumes CRLF, LF or CR (or the end of final bytes); false when a CR might continue as CRLF
    /// or the bytes end without a terminator and more may follow.
    @inline(__always)
    mutating func terminator() -> Bool {
        guard pos < count else { return isFinal }
        if p[pos] == Self.cr {
            if pos + 1 < count { pos += p[pos + 1] == Self.lf ? 2 : 1 } else if isFinal { pos += 1 } else { return false }
        } else {
            pos += 1
        }
        linesInRecord += 1
        return true
    }

    func error(_ message: String, atStart: Bool = false) -> ZooError {
        let column = header.flatMap { fields < $0.count ? $0[fields] : nil }
        return ZooError.csv(line: atStart ? line : line + linesInRecord, column: column, message: message)
    }
}
