/// Writing CSV fields.
public enum CSVField {
    /// `s` as one field: quoted (with doubled quotes) when it holds the delimiter, a quote or a line break.
    public static func quoted(_ s: String, delimiter: UInt8 = UInt8(ascii: ",")) -> String {
        let needs = s.utf8.contains { $0 == delimiter || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        return needs ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
