import CZooKernels
import Foundation
import Testing

@testable import ModelZoo

/// The C kernels behind the dense layers against the plain loops they replace, bit for bit, on every
/// path (`path` 0: the widest the processor runs, AVX-512 or AVX2; 1: portable; 2: AVX2 at most),
/// on shapes with and without the blocks' remainders (sixteen and eight columns, four rows, two inputs).
@Suite struct DenseKernelTests {
    static let shapes = [
        (1, 1, 1), (3, 5, 7), (4, 8, 8), (9, 13, 17), (33, 64, 64), (6, 4, 3), (5, 70, 9), (7, 9, 40), (4, 3, 25),
        (10, 5, 16),
    ]

    /// Values of every sign and size, zeros of both signs and subnormals among them.
    static func values(_ n: Int, _ g: inout SplitMix64) -> [Double] {
        (0..<n).map { _ in
            switch g.below(12) {
            case 0: return 0
            case 1: return -0.0
            case 2: return Double.leastNonzeroMagnitude * Double(g.below(9))
            default: return (g.uniform() - 0.5) * Double(1 << g.below(20))
            }
        }
    }

    static func bits(_ a: [Double]) -> [UInt64] { a.map(\.bitPattern) }

    @Test(arguments: [Int32(0), 1, 2])
    func affineIsTheScalarLoop(path: Int32) {
        var g = SplitMix64(seed: 11)
        for (rows, nIn, nOut) in Self.shapes {
            let x = Self.values(rows * nIn, &g), w = Self.values(nIn * nOut, &g), b = Self.values(nOut, &g)
            var expected = [Double](repeating: 0, count: rows * nOut)
            for r in 0..<rows {
                for j in 0..<nOut {
                    var a = b[j]
                    for i in 0..<nIn { a += x[r * nIn + i] * w[i * nOut + j] }
                    expected[r * nOut + j] = a
                }
            }
            var z = [Double](repeating: .nan, count: rows * nOut)
            zoo_affine(Int64(rows), Int64(nIn), Int64(nOut), x, w, b, &z, path)
            #expect(Self.bits(z) == Self.bits(expected), "\(rows)×\(nIn)×\(nOut)")
        }
    }

    @Test(arguments: [Int32(0), 1, 2])
    func outerIsTheScalarLoop(path: Int32) {
        var g = SplitMix64(seed: 12)
        for (rows, nIn, nOut) in Self.shapes {
            let a = Self.values(rows * nIn, &g), d = Self.values(rows * nOut, &g), start = Self.values(nIn * nOut, &g)
            var expected = start
            for i in 0..<nIn {
                for j in 0..<nOut {
                    var s = expected[i * nOut + j]
                    for r in 0..<rows { s += a[r * nIn + i] * d[r * nOut + j] }
                    expected[i * nOut + j] = s
                }
            }
            var got = start
            zoo_accumulate_outer(Int64(rows), Int64(nIn), Int64(nOut), a, d, &got, path)
            #expect(Self.bits(got) == Self.bits(expected), "\(rows)×\(nIn)×\(nOut)")
        }
    }

    @Test(arguments: [Int32(0), 1, 2])
    func deltasAreVectorKernelsDot(path: Int32) {
        var g = SplitMix64(seed: 13)
        for (rows, nIn, nOut) in Self.shapes {
            let d = Self.values(rows * nOut, &g), w = Self.values(nIn * nOut, &g)
            var expected = [Double](repeating: 0, count: rows * nIn)
            d.withUnsafeBufferPointer { D in
                w.withUnsafeBufferPointer { W in
                    for r in 0..<rows {
                        for i in 0..<nIn {
                            expected[r * nIn + i] = VectorKernels.dot(nOut, D.baseAddress! + r * nOut, W.baseAddress! + i * nOut)
                        }
                    }
                }
            }
            var got = [Double](repeating: .nan, count: rows * nIn)
            zoo_backprop_deltas(Int64(rows), Int64(nIn), Int64(nOut), d, w, &got, path)
            #expect(Self.bits(got) == Self.bits(expected), "\(rows)×\(nIn)×\(nOut)")
        }
    }

    /// One operation's operand or result as the Adam step sees it on x86: subnormals read as zero.
    static func flushed(_ x: Double) -> Double {
        #if arch(x86_64)
            x.isSubnormal ? (x.sign == .minus ? -0.0 : 0.0) : x
        #else
            x
        #endif
    }

    @Test(arguments: [Int32(0), 1, 2])
    func adamIsTheScalarStep(path: Int32) {
        var g = SplitMix64(seed: 14)
        for n in [1, 3, 4, 7, 64, 4481] {
            for l2 in [0, 0.0125] {
                let grad = Self.values(n, &g), p0 = Self.values(n, &g), m0 = Self.values(n, &g)
                let v0 = Self.values(n, &g).map { abs($0) }
                let (b1, b2, lrT, eps) = (0.9, 0.999, 0.00123, 1e-7)
                var (p, m, v) = (p0, m0, v0)
                let f = Self.flushed
                for k in 0..<n {
                    let gk = l2 > 0 ? f(f(grad[k]) + f(l2 * f(p[k]))) : f(grad[k])
                    m[k] = f(f(b1 * f(m[k])) + f((1 - b1) * gk))
                    v[k] = f(f(b2 * f(v[k])) + f(f((1 - b2) * gk) * gk))
                    p[k] = f(f(p[k]) - f(f(lrT * m[k]) / f(v[k].squareRoot() + eps)))
                }
                var (cp, cm, cv) = (p0, m0, v0)
                zoo_adam_step(Int64(n), &cp, &cm, &cv, grad, l2, b1, b2, lrT, eps, path)
                #expect(
                    Self.bits(cp) == Self.bits(p) && Self.bits(cm) == Self.bits(m) && Self.bits(cv) == Self.bits(v),
                    "n \(n), l2 \(l2)")
            }
        }
    }

    /// A dead unit's moments decay into the subnormal range; the step flushes them to zero (on x86,
    /// where subnormals cost a microcode assist each) and moves the weights exactly as the plain step,
    /// whose update from such a moment is far below a weight's last bit. The caller's own arithmetic
    /// keeps its subnormals afterwards (the flush mode is restored).
    @Test(arguments: [Int32(0), 1, 2])
    func adamFlushesSubnormalMomentsOnly(path: Int32) {
        let n = 9
        let tiny = Double.leastNormalMagnitude
        let grad = [Double](repeating: 0, count: n - 1) + [1e-160]
        let p0 = (0..<n).map { 0.25 + Double($0) }
        let m0 = (0..<n).map { tiny * Double($0 + 1) / 4 }  // some subnormal, some normal
        let v0 = (0..<n).map { tiny * Double($0 + 1) }
        let (b1, b2, lrT, eps) = (0.9, 0.999, 0.00123, 1e-7)
        var (p, m, v) = (p0, m0, v0)
        zoo_adam_step(Int64(n), &p, &m, &v, grad, 0, b1, b2, lrT, eps, path)
        #expect(Self.bits(p) == Self.bits(p0), "an update below the weights' last bit leaves them as they were")
        #if arch(x86_64)
            #expect(m.allSatisfy { !$0.isSubnormal } && v.allSatisfy { !$0.isSubnormal })
            #expect(m[0] == 0 && v[0] == 0, "b·(subnormal) flushes to zero")
            #expect(v[n - 1] == b2 * v0[n - 1], "a normal moment keeps its product (1e-160² underflows to 0)")
        #endif
        #expect((v0[0] / 2).isSubnormal, "the caller's mode is restored")
    }

    /// The ReLU, its deltas and the bias sums against the Swift loops they replace (NaN, ±0 and
    /// subnormals among the values).
    @Test(arguments: [Int32(0), 1, 2])
    func elementwiseStepsAreTheScalarLoops(path: Int32) {
        var g = SplitMix64(seed: 19)
        for (rows, _, n) in Self.shapes {
            let a0 = Self.values(rows * n, &g) + [.nan, -.nan], d0 = Self.values(rows * n + 2, &g)
            var relu = a0
            zoo_relu(Int64(relu.count), &relu, path)
            #expect(Self.bits(relu) == Self.bits(a0.map { $0 > 0 ? $0 : 0 }), "relu \(rows)×\(n)")
            var deltas = d0
            zoo_relu_deltas(Int64(deltas.count), &deltas, a0, path)
            #expect(Self.bits(deltas) == Self.bits(zip(d0, a0).map { $0 * ($1 > 0 ? 1 : 0) }), "deltas \(rows)×\(n)")
            let g0 = Self.values(n, &g)
            var sums = g0, expected = g0
            for r in 0..<rows { for k in 0..<n { expected[k] += d0[r * n + k] } }
            zoo_add_rows(Int64(rows), Int64(n), d0, &sums, path)
            #expect(Self.bits(sums) == Self.bits(expected), "bias sums \(rows)×\(n)")
        }
    }

    /// The 2×2 pass gives each of its four dots `VectorKernels.dot`'s bits (the logistic Hessian's
    /// sums: changing them would move every fitted coefficient), with and without the 8-wide
    /// blocks' tails.
    @Test(arguments: [Int32(0), 1])
    func dots2x2AreFourDots(portable: Int32) {
        var g = SplitMix64(seed: 17)
        for n in [0, 1, 7, 8, 9, 16, 23, 455, 4096] {
            let v = (0..<4).map { _ in Self.values(n, &g) }
            var got = [Double](repeating: .nan, count: 4), expected = [Double](repeating: 0, count: 4)
            v[0].withUnsafeBufferPointer { x0 in
                v[1].withUnsafeBufferPointer { x1 in
                    v[2].withUnsafeBufferPointer { y0 in
                        v[3].withUnsafeBufferPointer { y1 in
                            let (a, b, c, d) = (x0.baseAddress!, x1.baseAddress!, y0.baseAddress!, y1.baseAddress!)
                            expected = [
                                VectorKernels.dot(n, a, c), VectorKernels.dot(n, a, d), VectorKernels.dot(n, b, c),
                                VectorKernels.dot(n, b, d),
                            ]
                            zoo_dot2x2(Int64(n), a, b, c, d, &got, portable)
                        }
                    }
                }
            }
            #expect(Self.bits(got) == Self.bits(expected), "n = \(n)")
        }
    }

    /// `zoo_logistic_epoch` gives the same bits with AVX2 and without, and the plain per-sample loop
    /// (each z from the updated weights, libm's exp) to rounding: weights, their running sum, and the
    /// summed log-loss.
    @Test func logisticEpochIsThePlainLoopOnBothPaths() {
        var g = SplitMix64(seed: 23)
        for n in [1, 3, 4, 7, 30] {
            let rows = 57
            let x = (0..<rows * n).map { _ in g.uniform() }, y = (0..<rows).map { _ in Double(g.below(2)) }
            let order = (0..<rows * 2).map { _ in Int64(g.below(rows)) }
            let start = (0...n).map { _ in g.uniform() - 0.5 }
            var results: [(w: [Double], a: [Double], loss: Double)] = []
            for portable in [Int32(0), 1] {
                var w = start, a = [Double](repeating: 0, count: n + 1)
                let loss = zoo_logistic_epoch(
                    Int64(n), x, y, order, Int64(order.count), &w, &a, 0.7, 1, NegativeExp.powers, portable)
                results.append((w, a, loss))
            }
            #expect(Self.bits(results[0].w) == Self.bits(results[1].w) && Self.bits(results[0].a) == Self.bits(results[1].a))
            #expect(results[0].loss.bitPattern == results[1].loss.bitPattern)
            var w = start, a = [Double](repeating: 0, count: n + 1), loss = 0.0
            for r in order.map(Int.init) {
                let z = w[n] + (0..<n).reduce(0.0) { $0 + x[r * n + $1] * w[$1] }
                let p = 1 / (1 + exp(-z)), d = p - y[r]
                loss -= log(y[r] == 1 ? p : 1 - p)
                for i in 0..<n { w[i] -= 0.7 * x[r * n + i] * d }
                w[n] -= 0.7 * d
                for i in 0...n { a[i] += w[i] }
            }
            for (got, want) in zip(results[0].w + results[0].a, w + a) { #expect(abs(got - want) <= 1e-11 * max(1, abs(want)), "n \(n)") }
            #expect(abs(results[0].loss - loss) <= 1e-12 * loss)
        }
    }
}
