#if canImport(Glibc)
    import Glibc
#endif

/// Decimal → double, correctly rounded (the value `strtod` gives), from bytes in place.
///
/// The Eisel–Lemire algorithm as in fast_float (Lemire, "Number Parsing at a Gigabyte per Second",
/// 2021; Mushtak & Lemire, "Fast Number Parsing Without Fallback", 2023): the first 19 significant
/// digits as a 64-bit integer `w`, the decimal exponent `q`, and `w · 5^q` from a 128-bit table
/// entry of 5^q, which determines the rounded double for every `w < 10^19` and `q` in range. Inputs
/// with more than 19 significant digits (non-zero beyond the 19th) are rounded for `w` and `w + 1`;
/// when the two agree that is the answer, otherwise (rare: the digits straddle a halfway point)
/// `strtod` on a stack copy decides. Digits are read eight at a time where eight are available.
public enum FastFloat {
    /// Clinger's exact fast path: 10^k for k ≤ 22 are exact doubles.
    static let exactPowers: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// The value of `p[start..<end]`, or nil when it is not entirely a decimal number (grammar in
    /// `DecimalParser`) or is out of the finite range (|x| ≥ 2^1024 after rounding).
    /// `p` is the base of the buffer the cell is in: `p[0..<end]` is readable (the plain shapes' path
    /// reads the 16 bytes that end where the cell ends).
    @inline(__always)
    public static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        if end >= 16, end - start <= 21, let v = parsePlain(p, start, end, decimal: decimal) { return v }
        return parseGeneral(p, start, end, decimal: decimal)
    }

    /// Every shape of the grammar, digit by digit.
    @inline(never)
    static func parseGeneral(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        var i = start
        guard i < end else { return nil }
        var negative = false
        if p[i] == UInt8(ascii: "-") { negative = true; i += 1 } else if p[i] == UInt8(ascii: "+") { i += 1 }
        // Leading zeros carry nothing: skip them so that `w` counts significant digits only.
        let digitsStart = i
        while i < end, p[i] == UInt8(ascii: "0") { i += 1 }
        var w: UInt64 = 0
        var significant = 0  // significant digits seen (may exceed 19)
        let intStart = i
        while i < end, p[i] &- 48 < 10 {
            if significant < 19 { w = w &* 10 &+ UInt64(p[i] &- 48) }
            significant += 1
            i += 1
        }
        var sawDigit = i > digitsStart
        var exp10 = significant > 19 ? significant - 19 : 0  // integer digits beyond the 19th
        var truncatedNonZero = false
        if significant > 19 {
            for k in (intStart + 19)..<i where p[k] != UInt8(ascii: "0") { truncatedNonZero = true; break }
        }
        if i < end, p[i] == decimal {
            i += 1
            let fracStart = i
            if significant == 0 {
                // 0.000ddd: zeros after the mark only move the exponent.
                while i < end, p[i] == UInt8(ascii: "0") { i += 1 }
                exp10 -= i - fracStart
            }
            // Eight digits at a time while they fit in the 19.
            while significant <= 11, end - i >= 8 {
                let chunk = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                guard isEightDigits(chunk) else { break }
                w = w &* 100_000_000 &+ UInt64(eightDigits(chunk))
                significant += 8  // leading zeros were skipped: every digit here counts
                exp10 -= 8
                i += 8
            }
            while i < end, p[i] &- 48 < 10 {
                let d = p[i] &- 48
                if significant < 19 {
                    w = w &* 10 &+ UInt64(d)
                    exp10 -= 1
                    significant += 1
                } else if d != 0 {
                    truncatedNonZero = true
                }
                i += 1
            }
            sawDigit = sawDigit || i > fracStart
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
        if w == 0 { return negative ? -0.0 : 0.0 }
        // Clinger: w and 10^|q| exact, one correctly rounded operation.
        if !truncatedNonZero, exp10 >= -22, exp10 <= 22, w <= 1 << 53 {
            var v = Double(w)
            if exp10 < 0 { v /= exactPowers[-exp10] } else { v *= exactPowers[exp10] }
            return negative ? -v : v
        }
        var bits = eiselLemire(w, exp10)
        if truncatedNonZero, bits != eiselLemire(w &+ 1, exp10) {
            return strtodCopy(p, start, end, decimal)
        }
        if bits >= 0x7FF0_0000_0000_0000 { return nil }  // rounds to infinity
        if negative { bits |= 1 << 63 }
        return Double(bitPattern: bits)
    }

    /// The value of the commonest shapes, `[sign] digits [mark digits]` in at most 20 bytes after the
    /// sign with the mark among the first 8 (so at most 19 digits, leading zeros counted), from at
    /// most three 8-byte words and no loop over digits; nil for anything else (the general path then
    /// decides, and refuses what is not a number). The same (w, q) as the general path, so the same
    /// bits. Needs `p[end - 16 ..< end]` readable. A full-precision cell such as `-0.5227484414807474`
    /// took 223 instructions in the general path and takes 165 here (callgrind, 20,000 wide rows),
    /// without the general path's digit loops, whose exits vary from cell to cell.
    @inline(__always)
    static func parsePlain(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        var i = start
        let negative = p[i] == UInt8(ascii: "-")
        if negative || p[i] == UInt8(ascii: "+") { i &+= 1 }
        let n = end &- i
        let marks = 0x0101_0101_0101_0101 &* UInt64(decimal)
        var w: UInt64
        var fraction: Int
        if n <= 8 {
            guard n > 0 else { return nil }
            // The cell is the top n bytes of the word that ends where it ends; the bytes before it become '0's.
            let before = UInt64.max >> UInt64(8 &* n)  // 0 when n is 8
            let v = (word(p, end &- 8) & ~before) | (zeros & before)
            let mark = zeroBytes(v ^ marks)
            let d = mark == 0 ? v : removingByte(v, at: mark.trailingZeroBitCount >> 3)
            guard isEightDigits(d), mark == 0 || n > 1 else { return nil }
            w = UInt64(eightDigits(d))
            fraction = mark == 0 ? 0 : 7 &- mark.trailingZeroBitCount >> 3
        } else {
            guard n <= 20 else { return nil }
            let mark = zeroBytes(word(p, i) ^ marks)
            guard mark != 0 else { return nil }
            let m = mark.trailingZeroBitCount >> 3, t = n &- 8
            let d = removingByte(word(p, i), at: m)  // 7 digits
            guard isEightDigits(d), let t0 = digits(endingAt: end, count: min(t, 8), p),
                let t1 = digits(endingAt: end &- 8, count: max(t &- 8, 0), p)
            else { return nil }
            w = UInt64(eightDigits(d)) &* powersOfTen[t] &+ UInt64(t1) &* 100_000_000 &+ UInt64(t0)
            fraction = 7 &- m &+ t
        }
        if w == 0 { return negative ? -0.0 : 0.0 }
        if w <= 1 << 53 {
            let v = Double(w) / exactPowers[fraction]
            return negative ? -v : v
        }
        let bits = eiselLemire(w, -fraction)
        return Double(bitPattern: negative ? bits | 1 << 63 : bits)
    }

    static let zeros: UInt64 = 0x3030_3030_3030_3030

    /// `v` without its byte `m` (a mark): the bytes before it move up one, and byte 0 becomes '0'.
    @inline(__always) static func removingByte(_ v: UInt64, at m: Int) -> UInt64 {
        let below = (UInt64(1) << UInt64(8 &* m)) &- 1, through = (UInt64(1) << UInt64(8 &* m &+ 8)) &- 1
        return (v & ~through) | (v & below) << 8 | 0x30
    }

    static let powersOfTen: [UInt64] = [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000,
        100_000_000_000, 1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000,
        10_000_000_000_000_000, 100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ]

    @inline(__always) static func word(_ p: UnsafePointer<UInt8>, _ k: Int) -> UInt64 {
        UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
    }

    /// The high bit of each zero byte of `v`, exactly (no carry crosses a byte).
    @inline(__always) static func zeroBytes(_ v: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((v & low7) &+ low7) | v | low7)
    }

    /// The value of the `count` (0...8) digits that end at `p[end]`, or nil when any is not a digit:
    /// the word that ends there with the bytes before them made '0's.
    @inline(__always)
    static func digits(endingAt end: Int, count: Int, _ p: UnsafePointer<UInt8>) -> UInt32? {
        let keep = ~(UInt64.max >> UInt64(8 * count))  // the top `count` bytes; 0 when count is 0
        let v = (word(p, end &- 8) & keep) | (zeros & ~keep)
        return isEightDigits(v) ? eightDigits(v) : nil
    }

    static func isEightDigits(_ v: UInt64) -> Bool {
        ((v &+ 0x4646_4646_4646_4646) | (v &- 0x3030_3030_3030_3030)) & 0x8080_8080_8080_8080 == 0
    }

    /// The value of eight ASCII digits read little-endian (fast_float's SWAR conversion).
    static func eightDigits(_ v: UInt64) -> UInt32 {
        let mask: UInt64 = 0x0000_00FF_0000_00FF
        let mul1: UInt64 = 0x000F_4240_0000_0064  // 100 + (1000000 << 32)
        let mul2: UInt64 = 0x0000_2710_0000_0001  // 1 + (10000 << 32)
        var val = v &- 0x3030_3030_3030_3030
        val = (val &* 10) &+ (val >> 8)
        val = (((val & mask) &* mul1) &+ (((val >> 16) & mask) &* mul2)) >> 32
        return UInt32(truncatingIfNeeded: val)
    }

    /// The bits of the double nearest to w · 10^q (ties to even), for 0 < w < 2^64; positive
    /// infinity's bits when it overflows, +0 when it underflows.
    static func eiselLemire(_ w: UInt64, _ q: Int) -> UInt64 {
        if q < -342 { return 0 }
        if q > 308 { return 0x7FF0_0000_0000_0000 }
        let lz = w.leadingZeroBitCount
        let ws = w << lz
        let index = 2 * (q + 342)
        let (hi, lo) = powersOfFive.withUnsafeBufferPointer { t -> (UInt64, UInt64) in
            var (h, l) = ws.multipliedFullWidth(by: t[index])
            // 55 bits are wanted; when the bits below them are all ones the second word may carry.
            let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
            if h & precisionMask == precisionMask {
                let (h2, _) = ws.multipliedFullWidth(by: t[index + 1])
                let (sum, carry) = l.addingReportingOverflow(h2)
                l = sum
                if carry { h &+= 1 }
            }
            return (h, l)
        }
        let upperBit = Int(hi >> 63)
        let shift = upperBit + 64 - 52 - 3
        var mantissa = hi >> UInt64(shift)
        // power(q) = floor(q · log2(10)) + 63
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - lz + 1023
        if power2 <= 0 {
            // Subnormal (or zero).
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < (1 << 52) ? 0 : 1
            return UInt64(power2) << 52 | (mantissa & ((1 << 52) - 1))
        }
        // Exactly halfway between two doubles (possible only for small |q|): round to even.
        if lo <= 1, q >= -4, q <= 23, mantissa & 3 == 1, (mantissa << UInt64(shift)) == hi {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= (2 << 52) {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return 0x7FF0_0000_0000_0000 }
        return UInt64(power2) << 52 | mantissa
    }

    /// `strtod` on a NUL-terminated stack copy with the decimal mark made a point; nil when not finite.
    static func strtodCopy(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, _ decimal: UInt8) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf -> Double? in
            for k in 0..<n { buf[k] = CChar(bitPattern: p[start + k] == decimal ? UInt8(ascii: ".") : p[start + k]) }
            buf[n] = 0
            let v = strtod(buf.baseAddress!, nil)
            return v.isFinite ? v : nil
        }
    }
}
