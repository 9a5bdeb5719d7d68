import Testing
@testable import ModelZoo

func table(_ s: String, delimiter: Character = ",") throws -> CSVTable {
    try CSVTable.parse(Array(s.utf8), options: CSVOptions(delimiter: delimiter.asciiValue!))
}

func csvError(_ s: String) -> ZooError? {
    do { _ = try table(s); return nil } catch let e as ZooError { return e } catch { return nil }
}

@Suite struct CSVTableTests {
    @Test(arguments: ["a,b\r\n1,2\r\n3,4\r\n", "a,b\n1,2\n3,4\n", "a,b\r1,2\r3,4\r", "a,b\n1,2\n3,4", "\u{FEFF}a,b\n1,2\n\n3,4\n\n"])
    func lineEndingsBOMAndBlankLines(_ s: String) throws {
        let t = try table(s)
        #expect(t.header == ["a", "b"])
        #expect(t.rowCount == 2)
        #expect(t.cell(1, 1) == .number(4))
    }

    @Test func quotesTrimmingAndMissing() throws {
        let t = try table("name , value\n\"Smith, J\" , 1.5 \n\"say \"\"hi\"\"\",  \n\"multi\nline\",7\nlast,8\n")
        #expect(t.header == ["name", "value"])
        #expect(t.text(0, 0) == "Smith, J")
        #expect(t.cell(0, 1) == .number(1.5))
        #expect(t.text(1, 0) == "say \"hi\"")
        #expect(t.cell(1, 1) == .missing)
        #expect(t.text(2, 0) == "multi\nline")
        #expect(t.line(2) == 4)
        #expect(t.line(3) == 6)  // the quoted newline counts as a physical line
    }

    @Test func raggedRowNamesLine() {
        #expect(csvError("a,b\n1,2\n1,2,3\n") == .csv(line: 3, column: nil, message: "expected 2 fields as in the header, found 3"))
    }

    @Test func unterminatedQuoteNamesLineAndColumn() {
        let e = csvError("a,b\n1,2\n3,\"open\n4,5\n")
        #expect(e == .csv(line: 3, column: "b", message: "unterminated quoted field (the quote opens here and never closes)"))
    }

    @Test func nulBytesAreRefused() {
        guard case .csv(2, "b", let m)? = csvError("a,b\n1,2\u{0}\n") else { Issue.record("no error"); return }
        #expect(m.contains("NUL"))
    }

    @Test func headerProblems() {
        #expect(csvError("") == .invalidInput("input is empty: a header row is required"))
        #expect(csvError("a,a\n1,2\n") == .csv(line: 1, column: "a", message: "duplicate column name (columns 1 and 2)"))
        guard case .csv(1, nil, let m)? = csvError("a;b;c\n1;2;3\n") else { Issue.record("no error"); return }
        #expect(m.contains("--delimiter ';'"))
        #expect(csvError("a,,c\n1,2,3\n") == .csv(line: 1, column: nil, message: "column 2 of the header has no name"))
    }

    @Test func otherDelimiters() throws {
        let t = try table("a;b\n1,5;2\n", delimiter: ";")
        #expect(t.text(0, 0) == "1,5")
        #expect(t.cell(0, 1) == .number(2))
        let tabs = try CSVTable.parse(Array("a\tb\n 1\t2\n".utf8), options: CSVOptions(delimiter: 9))
        #expect(tabs.cell(0, 0) == .number(1))
    }

    /// Space-separated files: a run of spaces separates two fields, and spaces at either end of a
    /// line are trimmed (a trailing space made an empty last field: "found 4" fields for 3).
    @Test func spacesSeparateAndEndFields() throws {
        for text in ["a b y \n1  2 3 \n 4 5  6\n7 8 9   \r\n", "a b y\n1 2 3\n 4 5  6\n7 8 9  "] {
            let t = try table(text, delimiter: " ")
            #expect(t.header == ["a", "b", "y"], "\(text.debugDescription)")
            #expect(t.rowCount == 3 && (0..<3).allSatisfy { t.cell($0, 2) == .number(Double(3 * $0 + 3)) }, "\(text.debugDescription)")
        }
        #expect(throws: ZooError.csv(line: 2, column: nil, message: "expected 3 fields as in the header, found 2")) {
            try table("a b y\n1 2 \n", delimiter: " ")
        }
    }

    @Test func headerOnlyHasNoRows() throws {
        #expect(try table("a,b\n").rowCount == 0)
    }

    @Test func textAfterClosingQuoteIsAnError() {
        guard case .csv(2, "a", let m)? = csvError("a,b\n\"x\"y,2\n") else { Issue.record("no error"); return }
        #expect(m.contains("after a closing quote"))
    }

    @Test func streamingScanStopsAtIncompleteRecord() throws {
        let bytes = Array("a,b\n1,2\n3,\"4\n".utf8)
        let (header, s0, start) = try CSVTable.parseHeader(bytes, options: CSVOptions(), isFinal: false, source: "x")
        var scanner = s0
        var rec = CSVRecords(columns: 2, reserve: 4)
        let outcome = try bytes.withUnsafeBufferPointer {
            try scanner.scan($0.baseAddress!, count: $0.count, from: start, isFinal: false, into: &rec, header: header)
        }
        #expect(rec.count == 1)
        guard case .needMore(let offset) = outcome else { Issue.record("expected needMore"); return }
        #expect(offset == 8)
    }

    /// Line numbers kept as runs (a training table's) name the same line for every record: blank
    /// lines, quoted line ends and CR LF included; a file of more runs than a sixteenth of its records
    /// keeps one number a record.
    @Test func compactedLinesNameTheSameLines() throws {
        var g = SplitMix64(seed: 3)
        var text = "a,b\r\n"
        for r in 0..<5000 {
            if g.below(100) == 0 { text += "\n" }
            text += g.below(200) == 0 ? "\(r),\"two\nlines\"\r\n" : "\(r),x\r\n"
        }
        var t = try table(text)
        let expected = (0..<t.rowCount).map(t.line)
        #expect(expected.count == 5000 && expected.last! > 5001)
        t.compactingLines()
        #expect(t.records.lineOffsets.isEmpty && t.rowCount == 5000)
        #expect((0..<t.rowCount).map(t.line) == expected)
        var u = try table("a\n" + (0..<100).map { "\($0)\n\n" }.joined())
        u.compactingLines()
        #expect(u.records.lineOffsets.count == 100 && (0..<100).allSatisfy { u.line($0) == 2 + 2 * $0 })
    }
}

@Suite struct ParallelScanTests {
    /// A large quote-free input is scanned in parallel slices; the result must equal the sequential
    /// scan record for record, line numbers included (slices' first lines come from vectorised
    /// counts of line feeds, carriage returns and CR LF pairs).
    @Test(arguments: [[[10]], [[10], [13, 10], [13]]] as [[[UInt8]]])
    func parallelEqualsSequential(endings: [[UInt8]]) throws {
        var g = SplitMix64(seed: 3)
        var bytes = Array("a,b,c\n".utf8)
        var rows = 0
        while bytes.count < 6 << 20 {
            bytes += Array("\(g.below(1000)),x\(g.below(50)),\(g.uniform())".utf8)
            bytes += endings[g.below(endings.count)]
            if g.below(500) == 0 { bytes += [10] }  // a blank line now and then
            rows += 1
        }
        bytes += Array("7,last,0.5".utf8)  // a final record without a line end: one more than line ends
        rows += 1
        let par = try CSVTable.parse(bytes)
        let seq = try CSVTable.parse(bytes, options: CSVOptions(), source: "x", parallel: false)
        #expect(par.rowCount == rows && seq.rowCount == rows)
        #expect(par.records.lines == seq.records.lines)
        #expect(par.records.starts == seq.records.starts && par.records.ends == seq.records.ends)
        #expect(par.records.recordStarts == seq.records.recordStarts && par.records.recordEnds == seq.records.recordEnds)
        #expect(par.text(rows - 1, 1) == "last")
    }

    /// The slices are scanned by `zoo_scan_plain`, not CSVScanner: on small random quote-free inputs
    /// (blanks and tabs around fields, null tokens, blank lines, NUL bytes, ragged records, every line
    /// end, cut into 1 to 5 slices; every other input without blanks, which the kernel scans without
    /// trimming) it finds the sequential scan's records, or fails where it fails.
    @Test(arguments: [(UInt8(ascii: ","), ""), (UInt8(ascii: ";"), "\\N"), (UInt8(9), "NA"), (UInt8(32), "")])
    func unquotedSlicesScanAsCSVScanner(delimiter: UInt8, null: String) throws {
        var g = SplitMix64(seed: 23)
        let d = String(UnicodeScalar(delimiter))
        let pieces = ["1", "ab", " ", "\t", "\\N", "NA", "-2.5e3", "", ";", ","].filter { $0 != d }
        let ends = ["\n", "\r\n", "\r", "\n\n", " \n", "\t\r\n", "\n\r"]
        var failures = 0, records = 0
        for round in 0..<3000 {
            let blankFree = round % 2 == 1 && delimiter != 32
            let pieces = blankFree ? pieces.filter { !$0.contains(" ") && !$0.contains("\t") } : pieces
            let ends = blankFree ? ends.filter { !$0.contains(" ") && !$0.contains("\t") } : ends
            var text = "a\(d)b\n"
            for r in 0..<g.below(8) {
                let fields = g.below(12) == 0 ? 1 + 2 * g.below(2) : 2  // now and then one field short or over
                let cells = (0..<fields).map { _ in (0..<g.below(4)).map { _ in pieces[g.below(pieces.count)] }.joined() }
                text += cells.joined(separator: d) + (g.below(150) == 0 ? "\u{0}" : "")
                if r < 7 || g.below(2) == 0 { text += ends[g.below(ends.count)] }
            }
            let bytes = Array(text.utf8)
            var options = CSVOptions()
            options.delimiter = delimiter
            options.nullToken = null
            let (names, scanner, offset) = try CSVTable.parseHeader(bytes, options: options, isFinal: true, source: "x")
            var sequential = scanner, expected = CSVRecords(columns: names.count, reserve: 0)
            let scanned = try? bytes.withUnsafeBufferPointer { b in
                try sequential.scan(b.baseAddress!, count: b.count, from: offset, isFinal: true, into: &expected, header: names)
            }
            for parts in 1...5 {
                let found = try CSVTable.parallelScan(
                    bytes, from: offset, line: scanner.line, parts: parts, options: options, header: names)
                #expect((found == nil) == (scanned == nil), "\(text.debugDescription) in \(parts)")
                guard let found, scanned != nil else { continue }
                #expect(
                    found.starts == expected.starts && found.ends == expected.ends && found.lines == expected.lines
                        && found.recordStarts == expected.recordStarts && found.recordEnds == expected.recordEnds,
                    "\(text.debugDescription) in \(parts)")
            }
            if scanned == nil { failures += 1 } else { records += expected.count }
        }
        #expect(failures > 300 && records > 500, "\(failures) failures, \(records) records")  // both outcomes are exercised
    }

    /// A final record with too many fields and no line end would overrun its slice's window: the
    /// window drops the writes and the sequential rescan reports the line.
    @Test func anOverlongLastRecordIsReportedNotWritten() throws {
        var bytes = Array("a,b\n".utf8)
        while bytes.count < 6 << 20 { bytes += Array("1,2\n".utf8) }
        let line = 1 + ((6 << 20) - 4) / 4 + 1
        bytes += Array("1,2,3,4,5,6,7,8,9".utf8)
        #expect(throws: ZooError.csv(line: line, column: nil, message: "expected 2 fields as in the header, found 9")) {
            try CSVTable.parse(bytes)
        }
    }

    @Test func errorsAreReportedExactlyAsSequential() throws {
        var bytes = Array("a,b\n".utf8)
        while bytes.count < 5 << 20 { bytes += Array("1,2\n".utf8) }
        bytes += Array("1,2,3\n".utf8)
        while bytes.count < 9 << 20 { bytes += Array("1,2\n".utf8) }
        let line = 1 + ((5 << 20) - 4) / 4 + 1  // header, the good rows, then this one
        #expect(throws: ZooError.csv(line: line, column: nil, message: "expected 2 fields as in the header, found 3")) {
            try CSVTable.parse(bytes)
        }
    }
}
