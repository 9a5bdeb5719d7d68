/// Parses a decimal number from bytes without allocating.
///
/// Grammar: optional sign, digits with an optional decimal mark (`.`, or `,` when asked), optional exponent (`e`/`E`, sign, digits).
/// `NaN`, `inf`, hex and thousands separators are not numbers here. Results are bit-identical to
/// `strtod` (the correctly rounded double): `FastFloat` (Eisel–Lemire) does the work.
public enum DecimalParser {
    /// The value of `bytes[start..<end]`, or nil when it is not entirely a finite decimal number.
    @inlinable
    public static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8 = UInt8(ascii: ".")) -> Double? {
        parseImpl(base, start, end, decimal)
    }

    @usableFromInline @inline(__always)
    static func parseImpl(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8) -> Double? {
        FastFloat.parse(p, start, end, decimal: decimal)
    }
}
