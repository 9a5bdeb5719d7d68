/// Writes synthetic rows in the schema of the bundled `data/bmi_data.csv`
/// (`Sex,Age,Height(Inches),Weight(Pounds),BMI`), streamed in blocks so any row count uses little memory.
///
/// Sex uniform over Female/Male; Age uniform 18…35; Height ~ N(68, 1.9) in, 5 decimals; Weight ~
/// N(127, 12) lb, 4 decimals; BMI = 703·w/h² from the written (rounded) values, 8 decimals.
/// `missingRate` blanks each Height/Weight/BMI field independently. Same seed → same bytes.
public struct SyntheticBMI {
    public var rows: Int
    public var seed: UInt64
    public var missingRate = 0.0
    public var crlf = true

    public init(rows: Int, seed: UInt64) {
        self.rows = rows
        self.seed = seed
    }

    public static let header = "Sex,Age,Height(Inches),Weight(Pounds),BMI"

    /// Calls `write` with successive blocks of CSV bytes (header first).
    public func generate(_ write: ([UInt8]) throws -> Void) throws {
        var rng = SplitMix64(seed: seed)
        let nl: [UInt8] = crlf ? [13, 10] : [10]
        var buf: [UInt8] = []
        buf.reserveCapacity(1 << 20)
        buf.append(contentsOf: SyntheticBMI.header.utf8)
        buf.append(contentsOf: nl)
        for _ in 0..<rows {
            let male = rng.next() & 1 == 1
            let age = 18 + rng.below(18)
            let hs = ((68.0 + 1.9 * rng.normal()) * 100_000).rounded() / 100_000
            let ws = ((127.0 + 12.0 * rng.normal()) * 10_000).rounded() / 10_000
            let bmi = 703.0 * ws / (hs * hs)
            let blank =
                missingRate > 0
                ? (rng.uniform() < missingRate, rng.uniform() < missingRate, rng.uniform() < missingRate) : (false, false, false)
            buf.append(contentsOf: (male ? "Male" : "Female").utf8)
            buf.append(44)
            FixedPoint.append(Double(age), decimals: 0, to: &buf)
            buf.append(44)
            if !blank.0 { FixedPoint.append(hs, decimals: 5, to: &buf) }
            buf.append(44)
            if !blank.1 { FixedPoint.append(ws, decimals: 4, to: &buf) }
            buf.append(44)
            if !blank.2 { FixedPoint.append(bmi, decimals: 8, to: &buf) }
            buf.append(contentsOf: nl)
            if buf.count >= 1 << 20 { try write(buf); buf.removeAll(keepingCapacity: true) }
        }
        if !buf.isEmpty { try write(buf) }
    }
}

/// Fast fixed-point decimal formatting into a byte buffer (no `String` per value).
public enum FixedPoint {
    static let scales: [Double] = (0...15).map { p in (0..<p).reduce(1.0) { a, _ in a * 10 } }

    /// Appends `v` rounded to `decimals` (0…15) places; |v|·10^decimals must stay below 2^63.
    public static func append(_ v: Double, decimals: Int, to buf: inout [UInt8]) {
        var x = v
        if x < 0 { buf.append(UInt8(ascii: "-")); x = -x }
        let scaled = UInt64((x * scales[decimals]).rounded())
        let p = UInt64(scales[decimals])
        appendInt(scaled / p, to: &buf)
        if decimals > 0 {
            buf.append(UInt8(ascii: "."))
            var frac = scaled % p
            var digits = [UInt8](repeating: 48, count: decimals)
            var k = decimals - 1
            while k >= 0 { digits[k] = 48 + UInt8(frac % 10); frac /= 10; k -= 1 }
            buf.append(contentsOf: digits)
        }
    }

    static func appendInt(_ n: UInt64, to buf: inout [UInt8]) {
        if n == 0 { buf.append(48); return }
        var tmp: [UInt8] = []
        var m = n
        while m > 0 { tmp.append(48 + UInt8(m % 10)); m /= 10 }
        buf.append(contentsOf: tmp.reversed())
    }
}
