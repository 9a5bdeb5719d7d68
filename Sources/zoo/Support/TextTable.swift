import Foundation
import ModelZoo
/// An aligned plain-text table: text columns left-aligned, numeric ones right-aligned.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns to right-align (numbers).
    var rightAligned: Set<Int> = []

    init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Cells often come from files (names, kinds, dates): control characters are escaped.
    mutating func add(_ row: [String]) { rows.append(row.map(\.escapedForTerminal)) }

    func render() -> String {
        var widths = headers.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n") + "\n"
    }
}

/// Number formatting for tables (the rules live in `NumberText`, shared with the HTML report).
enum Format {
    static func metric(_ v: Double?) -> String { v.map(NumberText.metric) ?? "-" }
    static func bytes(_ n: Int) -> String { NumberText.bytes(n) }
    static func count(_ n: Int) -> String { NumberText.grouped(n) }

    /// JSON text of an encodable value, keys sorted, field names in snake_case (`--format json` of every command).
    static func json<T: Encodable>(_ v: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        enc.keyEncodingStrategy = .custom { path in SnakeCaseKey(path.last!) }
        return String(decoding: try enc.encode(v), as: UTF8.self)
    }
}

/// A struct field name in snake_case (`outputShape` → `output_shape`); keys that are data, such as
/// column names in a dictionary (`Height(Inches)`), are kept as they are. The `.nnm` header keeps its own names.
struct SnakeCaseKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(_ key: CodingKey) {
        intValue = key.intValue
        // Declared fields come from a type's `CodingKeys`; dictionary and JSONValue keys from other key types.
        stringValue = String(describing: type(of: key)) == "CodingKeys" ? Self.snakeCase(key.stringValue) : key.stringValue
    }

    init?(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }

    /// `testRMSE` → `test_rmse`, `outputShape` → `output_shape`; already snake names are unchanged.
    static func snakeCase(_ name: String) -> String {
        var out = ""
        let chars = Array(name)
        for (i, c) in chars.enumerated() {
            let startsWord =
                c.isUppercase && i > 0
                && (chars[i - 1].isLowercase || chars[i - 1].isNumber || (i + 1 < chars.count && chars[i + 1].isLowercase))
            if startsWord, !out.hasSuffix("_") { out.append("_") }
            out.append(contentsOf: c.lowercased())
        }
        return out
    }
}
