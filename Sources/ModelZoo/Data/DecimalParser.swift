#if canImport(Glibc)
import Glibc
#endif

/// Parses a decimal number from bytes without allocating.
///
/// Grammar: optional sign, digits with an optional decimal mark (`.`, or `,` when asked), optional exponent (`e`/`E`, sign, digits).
/// `NaN`, `inf`, hex and thousands separators are not numbers here. Results are bit-identical to
/// `strtod`: the fast path (≤ 15 significant digits, |exponent| ≤ 22) is exact by Clinger's argument,
/// anything else falls back to `strtod` on a stack copy.
public enum DecimalParser {
    private static let powersOf10: [Double] = (0...22).map { p in
        var v = 1.0
        for _ in 0..<p { v *= 10 }
        return v
    }

    /// The value of `bytes[start..<end]`, or nil when it is not entirely a finite decimal number.
    @inlinable
    public static func parse(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8 = UInt8(ascii: ".")) -> Double? {
        parseImpl(base, start, end, decimal)
    }

    @usableFromInline
    static func parseImpl(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        var mantissa: UInt64 = 0
        var significant = 0     // significant digits accumulated (leading zeros excluded)
        var dropped = 0         // integer digits beyond 19 that did not fit
        var exp10 = 0
        var sawDigit = false
        while i < end, p[i] &- 48 < 10 {
            sawDigit = true
            if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
                if mantissa != 0 { significant += 1 }
            } else { dropped += 1 }
            i += 1
        }
        exp10 = dropped
        if i < end, p[i] == decimal {
            i += 1
            while i < end, p[i] &- 48 < 10 {
                sawDigit = true
                if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(p[i] &- 48)
                    if mantissa != 0 { significant += 1 }
                    exp10 -= 1
                } else if p[i] != 48 { significant = 99 }  // digits past 19 matter: let strtod round
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < end, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var eNeg = false
            if i < end, p[i] == UInt8(ascii: "-") { eNeg = true; i += 1 } else if i < end, p[i] == UInt8(ascii: "+") { i += 1 }
            guard i < end, p[i] &- 48 < 10 else { return nil }
            var e = 0
            while i < end, p[i] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(p[i] &- 48) }
                i += 1
            }
            exp10 += eNeg ? -e : e
        }
        guard i == end else { return nil }
        if significant <= 15, dropped == 0, exp10 >= -22, exp10 <= 22 {
            var v = Double(mantissa)
            if exp10 < 0 { v /= powersOf10[-exp10] } else { v *= powersOf10[exp10] }
            return negative ? -v : v
        }
        return slowPath(p, start, end, decimal)
    }

    @usableFromInline
    static func slowPath(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k] == decimal ? UInt8(ascii: ".") : p[start + k]) }
            buf[n] = 0
            let v = strtod(buf.baseAddress!, nil)
            return v.isFinite ? v : nil
        }
    }
}
