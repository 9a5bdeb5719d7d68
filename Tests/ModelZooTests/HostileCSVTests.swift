import Foundation
import Testing
@testable import ModelZoo

/// The matrix of bad inputs real users produce (docs/hostile-csv.md), each with its defined behaviour
/// through reading and training-data preparation (target `y`).
@Suite struct HostileCSVTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var bytes: [UInt8]
        var delimiter: UInt8 = 44
        var decimal: UInt8 = 46
        /// nil: accepted; else the exact error.
        var error: ZooError?
        var rows: Int? = nil
        var testDescription: String { name }
    }

    static func numeric(_ n: Int, _ f: (Int) -> String = { "\($0),\($0 * 2)" }) -> String {
        (0..<n).map(f).joined(separator: "\n") + "\n"
    }

    static let commaHint = "a number with a decimal comma; pass --decimal , to read decimal commas"
    static let dateHint = "a date; zoo reads numbers and categories: drop the column (--features) or derive a number from it"

    static let cases: [Case] = [
        Case(name: "empty file", bytes: [], error: .invalidInput("input is empty: a header row is required")),
        Case(name: "blank lines only", bytes: Array("\n\r\n  \n".utf8), error: .invalidInput("input is empty: a header row is required")),
        Case(name: "header only", bytes: Array("x,y\r\n".utf8), error: .insufficientData("the file has a header but no data rows")),
        Case(
            name: "duplicate column names", bytes: Array("x,y,x\n1,2,3\n".utf8),
            error: .csv(line: 1, column: "x", message: "duplicate column name (columns 1 and 3)")),
        Case(
            name: "missing target column", bytes: Array("x,z\n1,2\n".utf8),
            error: .missingColumn(name: "y", role: "target", available: ["x", "z"])),
        Case(
            name: "text in a numeric column", bytes: Array(("x,y\n" + numeric(20) + "abc,5\n").utf8),
            error: .csv(line: 22, column: "x", message: "expected a number, found 'abc'")),
        Case(
            name: "NaN token", bytes: Array(("x,y\n" + numeric(20) + "NaN,5\n").utf8),
            error: .csv(line: 22, column: "x", message: "found 'NaN': NaN and infinity are not accepted")),
        Case(
            name: "inf token in the target", bytes: Array(("x,y\n" + numeric(3) + "4,-inf\n").utf8),
            error: .csv(line: 5, column: "y", message: "found '-inf': NaN and infinity are not accepted")),
        Case(
            name: "target near the largest double", bytes: Array(("x,y\n" + numeric(3) + "4,1.7e308\n").utf8),
            error: .csv(
                line: 5, column: "y",
                message: "target value 1.7e+308 is too large to fit: squared errors would overflow; "
                    + "rescale the target (e.g. to millions) below 1e150")),
        Case(
            name: "feature spanning the doubles", bytes: Array(("x,y\n" + numeric(3) + "-1.7e308,1\n1.7e308,2\n").utf8),
            error: .invalidInput(
                "column 'x': values from -1.7e+308 to 1.7e+308 span more than a double can hold once scaled; "
                    + "rescale the column")),
        Case(
            name: "ragged row (too many fields)", bytes: Array("x,y\n1,2\n3,4,5\n".utf8),
            error: .csv(line: 3, column: nil, message: "expected 2 fields as in the header, found 3")),
        Case(
            name: "ragged row (too few fields)", bytes: Array("x,y\n1,2\n3\n".utf8),
            error: .csv(line: 3, column: nil, message: "expected 2 fields as in the header, found 1")),
        Case(
            name: "unterminated quote", bytes: Array("x,y\n1,2\n\"3,4\n5,6\n".utf8),
            error: .csv(line: 3, column: "x", message: "unterminated quoted field (the quote opens here and never closes)")),
        Case(
            name: "NUL byte", bytes: Array("x,y\n1,2\n3\u{0},4\n".utf8),
            error: .csv(line: 3, column: "x", message: "NUL byte in the data (is this a binary or UTF-16 file?)")),
        Case(
            name: "UTF-16 file", bytes: [0xFF, 0xFE, 0x78, 0x00, 0x2C, 0x00],
            error: .csv(line: 1, column: nil, message: "the file is UTF-16; save it as UTF-8 CSV")),
        Case(
            name: "semicolon export read with commas", bytes: Array("x;y\n1,5;2\n".utf8),
            error: .csv(line: 1, column: nil, message: "the header has one column 'x;y'; the file looks ;-delimited: pass --delimiter ';'")),
        Case(
            name: "semicolon export with --delimiter ';' (decimal comma is text)",
            bytes: Array(("x;y\n" + numeric(20) { "\($0);\($0)" } + "1,5;2\n").utf8),
            delimiter: 59, error: .csv(line: 22, column: "x", message: "found '1,5', \(commaHint)")),
        Case(
            name: "decimal commas throughout", bytes: Array(("x;y\n" + numeric(20) { "\($0),5;\($0)" }).utf8),
            delimiter: 59, error: .csv(line: 2, column: "x", message: "found '0,5', \(commaHint)")),
        Case(
            name: "decimal commas with --decimal ,", bytes: Array(("x;y\n" + numeric(20) { "\($0),5;\($0),25" }).utf8),
            delimiter: 59, decimal: 44, rows: 20),
        Case(
            name: "decimal points with --decimal ,", bytes: Array(("x;y\n" + numeric(20) { "\($0).5;\($0)" }).utf8),
            delimiter: 59, decimal: 44,
            error: .csv(
                line: 2, column: "x",
                message:
                    "found '0.5', a number with a decimal point, but --decimal , reads decimal commas only")),
        Case(
            name: "ISO dates", bytes: Array(("d,y\n" + numeric(30) { "2024-01-\($0 % 28 + 1),\($0)" }).utf8),
            error: .csv(line: 2, column: "d", message: "found '2024-01-1', \(dateHint)")),
        Case(
            name: "day-first dates with times", bytes: Array(("d,y\n" + numeric(30) { "\($0 % 28 + 1)/01/2024 10:00,\($0)" }).utf8),
            error: .csv(line: 2, column: "d", message: "found '1/01/2024 10:00', \(dateHint)")),
        Case(
            name: "dotted dates", bytes: Array(("d,y\nn/a,0\n" + numeric(30) { "\($0 % 28 + 1).01.24,\($0)" }).utf8),
            error: .csv(line: 3, column: "d", message: "found '1.01.24', \(dateHint)")),
        Case(
            name: "a numeric column with 15% text", bytes: Array(("x,y\n" + numeric(17) + "abc,1\nabd,2\nabe,3\n").utf8),
            error: .csv(line: 19, column: "x", message: "expected a number, found 'abc'")),
        Case(
            name: "a numeric column with 30% NaN", bytes: Array(("x,y\n" + numeric(14) + String(repeating: "NaN,1\n", count: 6)).utf8),
            error: .csv(line: 16, column: "x", message: "found 'NaN': NaN and infinity are not accepted")),
        Case(
            name: "a target of one class", bytes: Array(("x,y\n" + numeric(10) { "\($0),Female" }).utf8),
            error: .insufficientData("the target 'y' has 1 distinct value; a classifier needs at least two classes")),
        Case(
            name: "a few whole numbers as target", bytes: Array(("x,y\n" + numeric(90) { "\($0),\($0 % 3)" }).utf8),
            error: .invalidInput(
                "the target 'y' holds only 3 distinct whole numbers (0, 1, 2): say what to predict with "
                    + "--task classify (one class each) or --task regress (a number)")),
        Case(
            name: "a text target of 251 classes", bytes: Array(("x,y\n" + numeric(502) { "\($0),c\($0 % 251)" }).utf8),
            error: .invalidInput(
                "the target 'y' has more than 250 distinct texts; a classifier takes at most 250 classes (is it an identifier?)")),
        Case(
            name: "header line over 1 MiB", bytes: Array(String(repeating: "a", count: (1 << 20) + 10).utf8),
            error: .csv(line: 1, column: nil, message: "the header line is over 1 MiB; is this a CSV file?")),
        Case(
            name: "an identifier column", bytes: Array(("id,y\n" + (0..<1200).map { "u\($0),\($0)" }.joined(separator: "\n")).utf8),
            error: .invalidInput(
                "column 'id' has more than 1000 distinct text values; it looks like an identifier or free text. Leave it out with --features"
            )),
        // Accepted inputs.
        Case(name: "mixed line endings", bytes: Array("x,y\r\n1,2\n3,4\r5,6\r\n7,8".utf8), rows: 4),
        Case(name: "BOM, spaces, quoted numbers, blank lines", bytes: Array("\u{FEFF} x , y \n \"1\" , 2 \n\n3,\"4\"\n\n".utf8), rows: 2),
        Case(
            name: "quoted field with delimiter and newline in a text column",
            bytes: Array("g,y\n\"a,\nb\",1\nc,2\n\"a,\nb\",3\n".utf8), rows: 3),
        Case(name: "missing values are dropped and counted", bytes: Array("x,y\n1,\n,2\n3,4\n5,6\n".utf8), rows: 2),
        Case(
            name: "codes shaped like dates but out of range are categories",
            bytes: Array(("code,y\n" + numeric(30) { "\($0 % 3 + 40)-\($0 % 5 + 32)-56,\($0)" }).utf8), rows: 30),
        Case(
            name: "date-shaped codes with a 25-digit group are categories (found by the fuzzer: Int overflow)",
            bytes: Array(("code,y\n" + numeric(30) { "\($0 % 3 + 1).1.\(String(repeating: "9", count: 25)),\($0)" }).utf8),
            rows: 30),
        Case(name: "a text column with a few numbers is categorical", bytes: Array("g,y\na,1\nb,2\nc,3\n4,4\n".utf8), rows: 4),
    ]

    @Test(arguments: cases)
    func behaves(_ c: Case) throws {
        do {
            let table = try CSVTable.parse(c.bytes, options: CSVOptions(delimiter: c.delimiter, decimal: c.decimal))
            var o = DataOptions(target: "y")
            o.testFraction = 0
            let d = try DatasetBuilder.prepare(table, options: o)
            #expect(c.error == nil, "accepted, expected \(c.error!)")
            if let rows = c.rows { #expect(d.rows.train == rows) }
        } catch let e as ZooError {
            #expect(e == c.error)
        }
    }

    @Test func categoryCaseDifferencesMatchWithACountAndTheirNames() throws {
        let train = try CSVTable.parse(Array("g,y\nMale,1\nFemale,2\nMale,3\n".utf8))
        var o = DataOptions(target: "y")
        o.testFraction = 0
        let d = try DatasetBuilder.prepare(train, options: o)
        let other = try CSVTable.parse(Array("g\nmale\nFEMALE\nRobot\n".utf8))
        let enc = try FeatureEncoder(schema: d.schema, header: other.header)
        var out = [Double](repeating: 0, count: 3)
        var mismatches = CaseMismatches()
        var problems: [Int: FeatureEncoder.Problem] = [:]
        let n = out.withUnsafeMutableBufferPointer { buf in
            enc.encodeRows(other, 0, 3, into: buf.baseAddress!, caseMismatches: &mismatches) { r, p in
                problems[r] = p; return true
            }
        }
        #expect(n == 2 && mismatches.count == 2)
        #expect(
            mismatches.warning == "2 categorical values matched a level only when ignoring case: "
                + "'male' for 'Male' in column 'g', 'FEMALE' for 'Female' in column 'g'")
        #expect(out[0] == 1 && out[1] == 0)
        #expect(problems[2] == .unknownLevel(column: "g", text: "Robot", known: ["Female", "Male"]))
    }

    @Test func randomGarbageNeverCrashes() {
        var g = SplitMix64(seed: 77)
        let alphabet = Array("ab,;\"\r\n 0123456789.-e\u{0}".utf8)
        for _ in 0..<2000 {
            let bytes = (0..<g.below(80)).map { _ in alphabet[g.below(alphabet.count)] }
            guard let t = try? CSVTable.parse(bytes), let target = t.header.last else { continue }
            _ = try? DatasetBuilder.prepare(t, options: DataOptions(target: target))
        }
    }
}

/// Column kinds decided from every value: long numbers, identifiers among the features.
@Suite struct ColumnKindTests {
    func prepare(_ text: String) throws -> PreparedData {
        var o = DataOptions(target: "y")
        o.testFraction = 0
        return try DatasetBuilder.prepare(try CSVTable.parse(Array(text.utf8)), options: o)
    }

    @Test func numbersOf512CharactersOrMoreAreNumbers() throws {
        let long = "3." + String(repeating: "1415926535", count: 60)
        let d = try prepare("x,y\n\(long),1\n2,2\n3,3\n4,4\n5,5\n6,6\n7,7\n8,8\n9,9\n10,10\n")
        #expect(d.schema.columns[0].kind == .numeric)
        let bytes = Array(long.utf8)
        #expect(bytes.withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, 0, bytes.count) } == 3.1415926535141594)
    }

    @Test func aColumnWithManyLevelsForItsRowsIsNamedInAWarning() throws {
        let text = "name,y\n" + (0..<30).map { "n\($0 % 25),\($0)" }.joined(separator: "\n")
        let d = try prepare(text)
        #expect(
            d.warnings == [
                "column 'name' has 25 distinct values in 30 rows (one input each); "
                    + "if it is an identifier or free text, leave it out with --features"
            ])
        let few = try prepare("g,y\n" + (0..<60).map { "g\($0 % 25),\($0)" }.joined(separator: "\n"))
        #expect(few.warnings.isEmpty)
    }

    @Test func decimalCommasParseWithTheCommaMark() throws {
        let bytes = Array("-176,5e1".utf8)
        #expect(bytes.withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, 0, bytes.count, decimal: 44) } == -1765)
        #expect(bytes.withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, 0, bytes.count) } == nil)
        #expect(throws: ZooError.invalidInput("--decimal , needs another field delimiter, such as --delimiter ';'")) {
            try CSVOptions(delimiter: 44, decimal: 44).validate()
        }
    }
}
