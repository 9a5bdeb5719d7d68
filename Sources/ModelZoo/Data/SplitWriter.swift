/// Writes chosen rows of a table as CSV: the header, then each row's bytes as they were read
/// (quotes and number forms untouched), in the order given, LF line endings.
public enum SplitWriter {
    public static func csv(_ table: CSVTable, rows: [Int], delimiter: UInt8 = UInt8(ascii: ",")) -> [UInt8] {
        let delim = String(UnicodeScalar(delimiter))
        var out = Array(table.header.map { CSVField.quoted($0, delimiter: delimiter) }.joined(separator: delim).utf8)
        out.append(0x0A)
        for r in rows {
            table.withRecordBytes(r) { out.append(contentsOf: $0) }
            out.append(0x0A)
        }
        return out
    }
}
