import Foundation
import Testing

@testable import ModelZoo

@Suite struct NegativeExpTests {
    /// Units in the last place between `a` and `b` (both positive and finite).
    static func ulps(_ a: Double, _ b: Double) -> Int64 { abs(Int64(bitPattern: a.bitPattern) - Int64(bitPattern: b.bitPattern)) }

    @Test func negativeExpIsWithinAnUlpOfExp() {
        var rng = SplitMix64(seed: 9)
        var worst: Int64 = 0
        for i in 0..<250_000 {
            // Softmax shifts its logits to x ≤ 0: most near 0, some far out, a few at the table's knots.
            let scale = [1.0, 10, 100, 708][i % 4]
            var x = SIMD4<Double>()
            for lane in 0..<4 { x[lane] = -rng.uniform() * scale }
            if i % 97 == 0 { x[0] = -Double(i % 64) * M_LN2 / 32 }
            let y = NegativeExp.exp(x)
            for lane in 0..<4 { worst = max(worst, Self.ulps(y[lane], Foundation.exp(x[lane]))) }
        }
        #expect(worst <= 1)
    }

    @Test func edgesOfTheDomain() {
        let y = NegativeExp.exp(SIMD4(0, -0.0, -709, -.infinity))
        #expect(y == SIMD4(1, 1, 0, 0))
        #expect(NegativeExp.exp(SIMD4(.nan, -1, -2, -3))[0].isNaN)
        #expect(Self.ulps(NegativeExp.exp(SIMD4(repeating: -708))[0], Foundation.exp(-708)) <= 1)
    }
}
