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

    /// JSON text of an encodable value, keys sorted.
    static func json<T: Encodable>(_ v: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(v), as: UTF8.self)
    }
}
