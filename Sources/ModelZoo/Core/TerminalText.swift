/// Text from files (model summaries, kinds, feature names, ...) made safe to print: a hostile file
/// must not be able to move the cursor, recolour or retitle the terminal, or hide earlier output.
extension StringProtocol {
    /// The text with C0/C1 control characters, DEL and bidirectional overrides escaped as `\n`,
    /// `\t`, `\u{1B}` ...; printable text (any script) is unchanged.
    public var escapedForTerminal: String {
        guard unicodeScalars.contains(where: TerminalText.needsEscape) else { return String(self) }
        var out = ""
        for s in unicodeScalars {
            if !TerminalText.needsEscape(s) { out.unicodeScalars.append(s); continue }
            switch s {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}

enum TerminalText {
    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00..<0x20, 0x7F..<0xA0: return true  // C0, DEL, C1 (CSI is 0x9B)
        case 0x202A...0x202E, 0x2066...0x2069: return true  // bidirectional embeddings, overrides, isolates
        case 0x2028, 0x2029: return true  // line and paragraph separators
        default: return false
        }
    }
}
