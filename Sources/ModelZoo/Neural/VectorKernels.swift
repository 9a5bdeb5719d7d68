import CZooKernels

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

    /// z[0..<n] = x[0..<n] · y[0..<n], element by element.
    @inlinable @inline(__always)
    public static func multiply(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>, _ z: UnsafeMutablePointer<Double>) {
        var k = 0
        let xr = UnsafeRawPointer(x), yr = UnsafeRawPointer(y), zr = UnsafeMutableRawPointer(z)
        while k + 4 <= n {
            let product =
                xr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
                * yr.loadUnaligned(fromByteOffset: k * 8, as: SIMD4<Double>.self)
            zr.storeBytes(of: product, toByteOffset: k * 8, as: SIMD4<Double>.self)
            k += 4
        }
        while k < n { z[k] = x[k] * y[k]; k += 1 }
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

    /// Z[r, j] = B[j] + Σ_i X[r, i] · W[i, j] for `rows` rows (row-major X: rows × nIn, W: nIn × nOut),
    /// each output summed in the order i = 0, 1, ... as a scalar loop would. The C kernel keeps four
    /// rows × two vectors of outputs of sums in flight, AVX-512 or AVX2 where there is one (hidden
    /// 64,64 on BMI: see docs/benchmarks.md); the same bits as the scalar loop.
    static func affine(
        rows: Int, nIn: Int, nOut: Int, _ X: UnsafePointer<Double>, _ W: UnsafePointer<Double>,
        _ B: UnsafePointer<Double>, _ Z: UnsafeMutablePointer<Double>
    ) {
        zoo_affine(Int64(rows), Int64(nIn), Int64(nOut), X, W, B, Z, 0)
    }

    /// `dot` in C, AVX2 where the processor has it: the same bits, for vectors long enough to pay a
    /// call (sums over a block's rows).
    public static func longDot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
        zoo_dot(Int64(n), x, y, 0)
    }

    /// `[x0·y0, x0·y1, x1·y0, x1·y1]` into `out`, each with `longDot`'s bits, in one pass that shares
    /// each vector's loads between two sums.
    public static func longDots2x2(
        _ n: Int, _ x0: UnsafePointer<Double>, _ x1: UnsafePointer<Double>, _ y0: UnsafePointer<Double>,
        _ y1: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        zoo_dot2x2(Int64(n), x0, x1, y0, y1, out, 0)
    }

    /// G[i, j] += Σ_r A[r, i] · D[r, j] (weight gradient; A: rows × nIn, D: rows × nOut), each element
    /// accumulated over r in order (the C kernel, as `affine`).
    static func accumulateOuter(
        rows: Int, nIn: Int, nOut: Int, _ A: UnsafePointer<Double>, _ D: UnsafePointer<Double>,
        _ G: UnsafeMutablePointer<Double>
    ) {
        zoo_accumulate_outer(Int64(rows), Int64(nIn), Int64(nOut), A, D, G, 0)
    }
}
