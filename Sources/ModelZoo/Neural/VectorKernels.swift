/// Small dense kernels on raw pointers, unrolled over SIMD4 so the compiler emits vector code
/// (plain loops over possibly-aliasing pointers stay scalar).
public enum VectorKernels {
    /// y[0..<n] += a · x[0..<n]
    @inlinable @inline(__always)
    public static func axpy(_ n: Int, _ a: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>) {
        var k = 0
        let va = SIMD4<Double>(repeating: a)
        let xr = UnsafeRawPointer(x), yr = UnsafeMutableRawPointer(y)
        while k + 8 <= n {
            let x0 = xr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
            let x1 = xr.loadUnaligned(fromByteOffset: (k + 4) * 8, as: SIMD4<Double>.self)
            let y0 = yr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
            let y1 = yr.loadUnaligned(fromByteOffset: (k + 4) * 8, as: SIMD4<Double>.self)
            yr.storeBytes(of: y0 + va * x0, toByteOffset: k * 8, as: SIMD4<Double>.self)
            yr.storeBytes(of: y1 + va * x1, toByteOffset: (k + 4) * 8, as: SIMD4<Double>.self)
            k += 8
        }
        while k < n { y[k] += a * x[k]; k += 1 }
    }

    /// Σ x[k] · y[k] for k < n (the summation order is fixed, so results are reproducible).
    @inlinable @inline(__always)
    public static func dot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        var k = 0
        var s0 = SIMD4<Double>(repeating: 0), s1 = SIMD4<Double>(repeating: 0)
        let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y)
        while k + 8 <= n {
            s0 +=
                xr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                * yr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
            s1 +=
                xr.loadUnaligned(fromByteOffset: (k + 4) * 8, as: SIMD4<Double>.self)
                * yr.loadUnaligned(fromByteOffset: (k + 4) * 8, as: SIMD4<Double>.self)
            k += 8
        }
        var s = (s0 + s1).sum()
        while k < n { s += x[k] * y[k]; k += 1 }
        return s
    }

    /// Z[r, j] = B[j] + Σ_i X[r, i] · W[i, j] for `rows` rows (row-major X: rows × nIn, W: nIn × nOut).
    /// Eight outputs at a time stay in registers across the whole sum; each output is summed in
    /// the order i = 0, 1, ... exactly as a scalar loop would, so results do not depend on the blocking.
    static func affine(
        rows: Int, nIn: Int, nOut: Int, _ X: UnsafePointer<Double>, _ W: UnsafePointer<Double>,
        _ B: UnsafePointer<Double>, _ Z: UnsafeMutablePointer<Double>
    ) {
        let wr = UnsafeRawPointer(W), br = UnsafeRawPointer(B)
        for r in 0..<rows {
            let x = X + r * nIn, z = UnsafeMutableRawPointer(Z + r * nOut)
            var j = 0
            while j + 8 <= nOut {
                var a0 = br.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
                var a1 = br.loadUnaligned(fromByteOffset: (j + 4) * 8, as: SIMD4<Double>.self)
                for i in 0..<nIn {
                    let v = SIMD4<Double>(repeating: x[i])
                    let off = (i * nOut + j) * 8
                    a0 += v * wr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    a1 += v * wr.loadUnaligned(fromByteOffset: off + 32, as: SIMD4<Double>.self)
                }
                z.storeBytes(of: a0, toByteOffset: j * 8, as: SIMD4<Double>.self)
                z.storeBytes(of: a1, toByteOffset: (j + 4) * 8, as: SIMD4<Double>.self)
                j += 8
            }
            while j < nOut {
                var a = B[j]
                for i in 0..<nIn { a += x[i] * W[i * nOut + j] }
                (Z + r * nOut)[j] = a
                j += 1
            }
        }
    }

    /// G[i, j] += Σ_r A[r, i] · D[r, j] (weight gradient; A: rows × nIn, D: rows × nOut), each element
    /// accumulated over r in order.
    static func accumulateOuter(
        rows: Int, nIn: Int, nOut: Int, _ A: UnsafePointer<Double>, _ D: UnsafePointer<Double>,
        _ G: UnsafeMutablePointer<Double>
    ) {
        let dr = UnsafeRawPointer(D)
        for i in 0..<nIn {
            let g = UnsafeMutableRawPointer(G + i * nOut)
            var j = 0
            while j + 8 <= nOut {
                var a0 = g.loadUnaligned(fromByteOffset: j * 8, as: SIMD4<Double>.self)
                var a1 = g.loadUnaligned(fromByteOffset: (j + 4) * 8, as: SIMD4<Double>.self)
                for r in 0..<rows {
                    let v = SIMD4<Double>(repeating: A[r * nIn + i])
                    let off = (r * nOut + j) * 8
                    a0 += v * dr.loadUnaligned(fromByteOffset: off, as: SIMD4<Double>.self)
                    a1 += v * dr.loadUnaligned(fromByteOffset: off + 32, as: SIMD4<Double>.self)
                }
                g.storeBytes(of: a0, toByteOffset: j * 8, as: SIMD4<Double>.self)
                g.storeBytes(of: a1, toByteOffset: (j + 4) * 8, as: SIMD4<Double>.self)
                j += 8
            }
            while j < nOut {
                var a = (G + i * nOut)[j]
                for r in 0..<rows { a += A[r * nIn + i] * D[r * nOut + j] }
                (G + i * nOut)[j] = a
                j += 1
            }
        }
    }
}
