import Foundation
import ModelZoo

/// Number parsing against `strtod`: `DecimalParser` (FastFloat) must give the same bits for every
/// string `strtod` reads entirely as a finite number in our grammar, and nil where `strtod` gives
/// ±infinity. Used by the FuzzFloat target (libFuzzer bytes, or N random strings) and by `swift test`.
public enum FuzzNumbers {
    /// What went wrong for one string, or nil when DecimalParser agrees with strtod.
    public static func mismatch(_ s: [UInt8], decimal: UInt8 = UInt8(ascii: ".")) -> String? {
        let ours = s.withUnsafeBufferPointer { b -> Double? in
            DecimalParser.parse(b.baseAddress ?? UnsafePointer(bitPattern: 8)!, 0, b.count, decimal: decimal)
        }
        // Deep in a buffer (as a table's cells are) the short plain shapes take their own path, which
        // reads the words before the cell: behind digits and marks that must not leak into the value.
        let behind = [UInt8]("9.9,9-9e9+9.99999".utf8) + [UInt8](repeating: UInt8(ascii: "7"), count: 15)
        let inBuffer = (behind + s).withUnsafeBufferPointer { b -> Double? in
            DecimalParser.parse(b.baseAddress!, behind.count, b.count, decimal: decimal)
        }
        if ours?.bitPattern != inBuffer?.bitPattern {
            return
                "\(text(s)): \(ours.map { "\($0)" } ?? "refused") at a buffer's start, \(inBuffer.map { "\($0)" } ?? "refused") after \(behind.count) bytes"
        }
        guard inGrammar(s, decimal: decimal) else {
            return ours.map { "\(text(s)): outside the grammar but parsed as \($0)" }
        }
        guard let expected = strtodWhole(s, decimal: decimal) else { return "\(text(s)): strtod does not read it whole" }
        if expected.isInfinite {
            return ours == nil ? nil : "\(text(s)): strtod gives \(expected), we give \(ours!)"
        }
        guard let ours else { return "\(text(s)): strtod gives \(expected), we refuse it" }
        if ours.bitPattern != expected.bitPattern {
            return "\(text(s)): strtod gives \(expected) (\(hex(expected))), we give \(ours) (\(hex(ours)))"
        }
        return nil
    }

    /// libFuzzer: the input as one number (with '.'), and again with ',' as the mark.
    public static func fuzz(_ bytes: [UInt8]) {
        if let m = mismatch(bytes) { fatalError(m) }
        let comma = bytes.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: ",") : $0 }
        if !bytes.contains(UInt8(ascii: ",")), let m = mismatch(comma, decimal: UInt8(ascii: ",")) { fatalError(m) }
    }

    static func text(_ s: [UInt8]) -> String { "'" + String(decoding: s.prefix(120), as: UTF8.self) + (s.count > 120 ? "…'" : "'") }
    static func hex(_ v: Double) -> String { "0x" + String(v.bitPattern, radix: 16) }

    /// strtod's value when it consumes every byte (decimal mark made a point), else nil.
    static func strtodWhole(_ s: [UInt8], decimal: UInt8) -> Double? {
        if s.isEmpty || s.contains(0) { return nil }
        var c = s.map { CChar(bitPattern: $0 == decimal ? UInt8(ascii: ".") : $0) }
        c.append(0)
        return c.withUnsafeBufferPointer { b -> Double? in
            var endp: UnsafeMutablePointer<CChar>?
            let v = strtod(b.baseAddress!, &endp)
            guard let endp, endp - UnsafeMutablePointer(mutating: b.baseAddress!) == s.count else { return nil }
            return v
        }
    }

    /// Optional sign, digits with one optional mark (at least one digit), optional exponent with digits.
    static func inGrammar(_ s: [UInt8], decimal: UInt8) -> Bool {
        var i = 0
        if i < s.count, s[i] == 43 || s[i] == 45 { i += 1 }
        var digits = 0
        while i < s.count, s[i] &- 48 < 10 { i += 1; digits += 1 }
        if i < s.count, s[i] == decimal {
            i += 1
            while i < s.count, s[i] &- 48 < 10 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < s.count, s[i] | 0x20 == 101 {
            i += 1
            if i < s.count, s[i] == 43 || s[i] == 45 { i += 1 }
            var e = 0
            while i < s.count, s[i] &- 48 < 10 { i += 1; e += 1 }
            guard e > 0 else { return false }
        }
        return i == s.count
    }

    // MARK: random strings

    static func cFormat(_ format: String, _ args: CVarArg...) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 1100)
        let n = withVaList(args) { vsnprintf(&buffer, buffer.count, format, $0) }
        return buffer.prefix(Int(min(n, 1099))).map { UInt8(bitPattern: $0) }
    }

    static func digits(_ n: Int, _ g: inout SplitMix64, nonZeroFirst: Bool = true) -> [UInt8] {
        (0..<n).map { k in UInt8(48 + (k == 0 && nonZeroFirst ? 1 + g.below(9) : g.below(10))) }
    }

    static func randomDouble(_ g: inout SplitMix64) -> Double {
        while true {
            let v = Double(bitPattern: g.next() & ~(1 << 63))
            if v.isFinite { return v }
        }
    }

    /// Exactly halfway between `v` and the next double up, as exact decimal digits (x86's 64-bit
    /// long double holds the midpoint exactly; glibc prints it exactly).
    static func halfway(_ v: Double) -> [UInt8] {
        #if arch(x86_64) || arch(i386)
            let mid = (Float80(v) + Float80(v.nextUp)) / 2
            var s = cFormat("%.780Le", mid)
            // Trim the mantissa's trailing zeros so that the string is the exact value, short.
            if let e = s.firstIndex(of: UInt8(ascii: "e")) {
                var m = Array(s[..<e])
                while m.last == UInt8(ascii: "0") { m.removeLast() }
                if m.last == UInt8(ascii: ".") { m.removeLast() }
                s = m + s[e...]
            }
            return s
        #else
            return cFormat("%.17g", v)
        #endif
    }

    /// One random string of the kinds that break number parsers: 17–19-digit and longer mantissas,
    /// long fractions, large and small exponents, subnormals, exact and near halfway points between
    /// two doubles, the range ends, -0, leading '+' and zeros.
    public static func random(_ g: inout SplitMix64) -> [UInt8] {
        var body: [UInt8]
        switch g.below(14) {
        case 0: body = cFormat("%.17g", randomDouble(&g))
        case 1: body = cFormat("%.\(15 + g.below(5))g", randomDouble(&g))
        case 2: body = Array(randomDouble(&g).description.utf8)
        case 3:  // 17–19 digit mantissa, mark anywhere, any exponent
            let n = 17 + g.below(3)
            body = digits(n, &g)
            body.insert(UInt8(ascii: "."), at: g.below(n + 1))
            if g.below(2) == 0 { body += Array("e\(g.below(660) - 345)".utf8) }
        case 4:  // long fraction
            body = Array("0.".utf8) + digits(20 + g.below(60), &g, nonZeroFirst: false)
        case 5:  // many digits, big or small exponent
            body =
                digits(1 + g.below(40), &g) + Array(".".utf8) + digits(g.below(40), &g, nonZeroFirst: false)
                + Array("e\(g.below(700) - 360)".utf8)
        case 6:  // subnormals and the smallest normals
            let v = Double(bitPattern: g.next() & ((1 << 53) - 1))
            body = g.below(2) == 0 ? cFormat("%.\(1 + g.below(25))e", v) : Array(v.description.utf8)
        case 7:  // exactly halfway
            body = halfway(g.below(4) == 0 ? Double(bitPattern: g.next() & ((1 << 53) - 1)) : randomDouble(&g))
        case 8:  // near halfway: the exact midpoint cut or nudged
            var h = halfway(randomDouble(&g))
            if let e = h.firstIndex(of: UInt8(ascii: "e")) {
                var m = Array(h[..<e])
                let keep = min(m.count, 18 + g.below(10))
                m = Array(m.prefix(keep))
                if g.below(2) == 0 { m.append(UInt8(48 + 1 + g.below(9))) }
                h = m + h[e...]
            }
            body = h
        case 9:  // integers around 2^53 and 2^64 (round-to-even territory)
            let base: UInt64 = g.below(2) == 0 ? 1 << 53 : (1 << 63)
            body = Array(String(base &+ UInt64(g.below(1 << 12)) &- 2048).utf8)
        case 10:  // the ends of the range
            let ends = [
                "1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308",
                "179769313486231580793728971405301e276", "4.9406564584124654e-324", "2.4703282292062327e-324",
                "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072014e-308",
                "1e-400", "1e400", "0e999", "9007199254740993", "9007199254740992.5", "1e23", "8.98846567431158e307",
            ]
            body = Array(ends[g.below(ends.count)].utf8)
        case 11:  // short decimals (the Clinger path) with up to 22 fraction digits
            body = digits(1 + g.below(8), &g, nonZeroFirst: false) + Array(".".utf8) + digits(g.below(22), &g, nonZeroFirst: false)
        case 12:  // leading zeros
            body = Array(String(repeating: "0", count: 1 + g.below(30)).utf8) + cFormat("%.\(1 + g.below(19))g", randomDouble(&g))
            if body.contains(UInt8(ascii: "e")) || !body.contains(UInt8(ascii: ".")) {
                body = Array("0.".utf8) + Array(String(repeating: "0", count: g.below(30)).utf8) + digits(1 + g.below(25), &g)
            }
        default:  // zeros
            let zeros = ["0", "0.0", "00", "0e5", ".0", "0.", "0.000000000000000000000000", "0e-999"]
            body = Array(zeros[g.below(zeros.count)].utf8)
        }
        switch g.below(6) {
        case 0: return [UInt8(ascii: "-")] + body
        case 1: return [UInt8(ascii: "+")] + body
        case 2: return body.map { $0 == UInt8(ascii: "e") ? UInt8(ascii: "E") : $0 }
        default: return body
        }
    }

    /// `count` random strings from `seed`; the first `limit` mismatches.
    public static func check(count: Int, seed: UInt64, limit: Int = 10) -> [String] {
        var g = SplitMix64(seed: seed)
        var bad: [String] = []
        for _ in 0..<count {
            let s = random(&g)
            if let m = mismatch(s) { bad.append(m); if bad.count >= limit { break } }
        }
        return bad
    }
}
