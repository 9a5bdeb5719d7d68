/// A small seedable generator (SplitMix64, Steele et al. 2014).
///
/// Every random choice in ModelZoo goes through this type so that the same seed gives the same
/// model on every platform and toolchain: the stdlib's `random(in:using:)` algorithms are not
/// promised stable across Swift versions, so the helpers below are our own.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    @inlinable
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform integer in 0..<bound (Lemire's multiply-shift with rejection; bound > 0).
    @inlinable
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
    public mutating func normal() -> Double {
        var u1 = uniform()
        while u1 <= 0 { u1 = uniform() }
        let u2 = uniform()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle in place.
    public mutating func shuffle<T>(_ a: inout [T]) {
        var i = a.count - 1
        while i > 0 {
            let j = below(i + 1)
            if i != j { a.swapAt(i, j) }
            i -= 1
        }
    }

    /// A derived generator for stream `k` (e.g. tree k of a forest), independent of call order.
    public func split(_ k: UInt64) -> SplitMix64 {
        var g = SplitMix64(seed: state ^ (k &* 0xD1B5_4A32_D192_ED03))
        _ = g.next()
        return SplitMix64(seed: g.next())
    }
}

#if canImport(Glibc)
    import Glibc
    @usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
    @usableFromInline func _cos(_ x: Double) -> Double { Glibc.cos(x) }
#else
    import Darwin
    @usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
    @usableFromInline func _cos(_ x: Double) -> Double { Darwin.cos(x) }
#endif
