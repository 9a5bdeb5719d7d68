import Foundation

/// e^x for x ≤ 0, four lanes at once, within one unit in the last place of `Foundation.exp`
/// (test `negativeExpIsWithinAnUlpOfExp`). The per-sample softmax takes three or four `exp` calls a
/// row, and they were 39% of the neuron's fit on BMI categories: one vector evaluation replaces them.
/// Method: x = (32k + j) ln2/32 + r with |r| ≤ ln2/64, e^x = 2^k · 2^(j/32) · e^r, e^r by its
/// degree-6 Taylor polynomial (truncation below 4e-18). Results under e^-708 flush to 0.
/// `negative_exp` in Sources/CZooKernels/logistic_sgd.c is one lane of this in C (the two-class
/// neuron's loop): change both together.
public enum NegativeExp {
    /// 2^(j/32), j = 0..<32: allocated once for the process and never freed, so the hot loops take
    /// its address once. Read through a global's accessor on every call, the table cost a
    /// `swift_once` call a row and the spills around it (perf annotate of the breast-cancer fit).
    nonisolated(unsafe) public static let powers: UnsafePointer<Double> = {
        let table = UnsafeMutablePointer<Double>.allocate(capacity: 32)
        for j in 0..<32 { table[j] = exp2(Double(j) / 32) }
        return UnsafePointer(table)
    }()
    /// ln2/32 in two parts (fdlibm's ln2_hi and ln2_lo over 32): hi has 32 significant bits, so
    /// n·hi is exact for every |n| < 2^21, and lo carries the rest (M_LN2's own rounding error,
    /// 1e-17, times n up to 32,690 was 200 units in the last place).
    @usableFromInline static let ln2Hi = 6.93147180369123816490e-01 / 32, ln2Lo = 1.90821492927058770002e-10 / 32

    @inline(__always)
    static func exp(_ x: SIMD4<Double>) -> SIMD4<Double> { exp(x, powers: powers) }

    /// `exp` with the table's address taken by the caller, outside its loop.
    @inlinable @inline(__always)
    public static func exp(_ x: SIMD4<Double>, powers T: UnsafePointer<Double>) -> SIMD4<Double> {
        let shifter = SIMD4<Double>(repeating: 0x1.8p52)
        let clamped = x.replacing(with: -708, where: x .< -708)
        let t = clamped * (32 / M_LN2) + shifter
        let n = t - shifter
        let r = (clamped - n * ln2Hi) - n * ln2Lo
        let r2 = r * r
        // e^r - 1 by Estrin's scheme: three short chains instead of one of six.
        let p01 = r + r2 * 0.5
        let p23 = r2 * r * (1.0 / 6 + r * (1.0 / 24))
        let p45 = r2 * r2 * r * (1.0 / 120 + r * (1.0 / 720))
        let poly = p01 + (p23 + p45)
        let bits = unsafeBitCast(t, to: SIMD4<Int64>.self) &- Int64(bitPattern: (0x1.8p52 as Double).bitPattern)
        let j = bits & 31, k = bits &>> 5
        let table = SIMD4(T[Int(j[0])], T[Int(j[1])], T[Int(j[2])], T[Int(j[3])])
        let scale = unsafeBitCast((k &+ 1023) &<< 52, to: SIMD4<Double>.self)
        let y = (table + table * poly) * scale
        return y.replacing(with: 0, where: x .< -708)
    }
}
