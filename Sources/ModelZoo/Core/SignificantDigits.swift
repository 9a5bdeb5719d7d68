import Foundation

/// Numbers in data outputs (predictions, comparison CSV and JSON): exact by default, the shortest
/// text that reads back to the same double, or rounded to N significant digits on request (`--precision`).
public enum SignificantDigits {
    /// The digits a double can carry; `--precision` is checked against it.
    public static let range = 1...17

    /// `v` exactly (`digits` nil), or to `digits` significant digits in C's `%g` style (`21.7`, `4.52e-05`).
    public static func text(_ v: Double, digits: Int?) -> String {
        guard let digits else { return v.description }
        var buffer = [CChar](repeating: 0, count: 48)
        let length = withVaList([Int32(digits), v]) { vsnprintf(&buffer, buffer.count, "%.*g", $0) }
        // %g of a double with at most 17 digits is under 48 bytes, so `length` fits the buffer.
        return String(decoding: buffer[0..<Int(max(0, min(length, 47)))].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `v` rounded to `digits` significant digits (unchanged when nil), for outputs that hold numbers, not text.
    public static func rounded(_ v: Double, digits: Int?) -> Double {
        guard digits != nil, v.isFinite else { return v }
        return Double(text(v, digits: digits)) ?? v
    }
}
