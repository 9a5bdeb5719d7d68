import Foundation

/// Writes a wide synthetic regression CSV like `../shared/peers/gen_wide.py`: `features` columns
/// `f0…` drawn N(0, 1) written at full precision (the shortest round-trip digits, as pandas and
/// numpy write doubles; or rounded to `decimals` places), a 5-level category `cat` (a…e), and the
/// target `y` = x·w + 3·sin(2·f0) + 2·[cat = c] + N(0, 0.5²), w ~ N(0, 1) from a fixed seed (the
/// same true model for every `seed`). Streamed in blocks; same seed → same bytes.
public struct SyntheticWide {
    public var rows: Int
    public var features: Int
    public var seed: UInt64
    /// Decimal places of the features (nil: full precision).
    public var decimals: Int?
    public var target = true

    public init(rows: Int, features: Int, seed: UInt64) {
        self.rows = rows
        self.features = features
        self.seed = seed
    }

    public var header: String {
        ((0..<features).map { "f\($0)" } + ["cat"] + (target ? ["y"] : [])).joined(separator: ",")
    }

    /// Calls `write` with successive blocks of CSV bytes (header first), LF line endings.
    public func generate(_ write: ([UInt8]) throws -> Void) throws {
        var wg = SplitMix64(seed: 12345)
        let w = (0..<features).map { _ in wg.normal() }
        var rng = SplitMix64(seed: seed)
        var buf: [UInt8] = []
        buf.reserveCapacity(1 << 21)
        buf.append(contentsOf: header.utf8)
        buf.append(10)
        var x = [Double](repeating: 0, count: features)
        for _ in 0..<rows {
            var y = 0.0
            for j in 0..<features {
                var v = rng.normal()
                if let decimals { v = FixedPoint.round(v, decimals: decimals) }
                x[j] = v
                y += v * w[j]
                if let decimals { FixedPoint.append(v, decimals: decimals, to: &buf) } else { ShortestDouble.append(v, to: &buf) }
                buf.append(44)
            }
            let c = rng.below(5)
            buf.append(UInt8(ascii: "a") + UInt8(c))
            if target {
                if features > 0 { y += sin(2 * x[0]) * 3 }
                y += (c == 2 ? 2 : 0) + 0.5 * rng.normal()
                buf.append(44)
                ShortestDouble.append(y, to: &buf)
            }
            buf.append(10)
            if buf.count >= 1 << 20 { try write(buf); buf.removeAll(keepingCapacity: true) }
        }
        if !buf.isEmpty { try write(buf) }
    }
}

extension FixedPoint {
    /// `v` rounded to `decimals` places as `append` writes it.
    static func round(_ v: Double, decimals: Int) -> Double {
        (v * scales[decimals]).rounded() / scales[decimals]
    }
}
