import ModelZoo

/// Least squares for many rows by a tall-skinny QR: the rows in fixed blocks, each block's
/// [A | b] reduced to its triangle by Householder reflections while it sits in cache (blocks in
/// parallel), the triangles stacked and reduced once more, and the pivoted QR of
/// `LinearRegression.solveLeastSquares` run on the final p × p triangle and its Qᵀb. Qᵀ is never
/// formed, and A's column norms, pivots and rank are the triangle's (QᵀQ = I): the pivoted QR's
/// rank, tolerance and fitted values, and its coefficients to rounding (among exactly equal columns
/// the one that carries the weight may differ: test `blockedQRMatchesThePivotedQR`).
///
/// Why: the pivoted QR over all rows passes over every remaining column of A twice per pivot (norms,
/// then the reflection), from memory once A outgrows the cache: 160,000 rows × 50 columns took
/// 0.24 s, the largest part of `zoo train linear` after reading the CSV (see docs/benchmarks.md).
enum TallSkinnyQR {
    /// Rows per block: a block of 51 columns (8 bytes a value) stays within a 1 MB L2 cache. Fixed,
    /// so the result does not depend on the thread count.
    static let blockRows = 2048
    /// Columns at most: a wider block outgrows the cache the method is for (2,048 rows × 64 × 8 bytes
    /// = 1 MB); within it the stacked triangles (q² values a block of 2,048 rows) stay under 4% of A.
    static let maxColumns = 63

    /// β minimising ‖A·β − b‖ for column-major `a` (n × p, changed in place) and `b` (changed), and
    /// the rank found; as `LinearRegression.solveLeastSquares`.
    static func solve(_ a: inout [Double], _ b: inout [Double], rows n: Int, cols p: Int) -> ([Double], Int) {
        let q = p + 1, blocks = (n + blockRows - 1) / blockRows
        // Stacked triangles, column-major: block k's q × q triangle in rows k·q ..< (k+1)·q.
        let height = blocks * q
        var stack = [Double](repeating: 0, count: height * q)
        a.withUnsafeMutableBufferPointer { A in
            b.withUnsafeMutableBufferPointer { B in
                stack.withUnsafeMutableBufferPointer { S in
                    let (base, rhs, out) = (A.baseAddress!, B.baseAddress!, S.baseAddress!)
                    Parallel.forEach(blocks) { k in
                        let lo = k * blockRows, m = min(n, lo + blockRows) - lo
                        var columns = (0..<p).map { base + $0 * n + lo }
                        columns.append(rhs + lo)
                        triangularize(columns, rows: m)
                        for c in 0..<q {
                            for i in 0...min(c, m - 1) { out[c * height + k * q + i] = columns[c][i] }
                        }
                    }
                    let columns = (0..<q).map { out + $0 * height }
                    triangularize(columns, rows: height)
                }
            }
        }
        // The final triangle's first p rows: R (p × p) and Qᵀb.
        var r = [Double](repeating: 0, count: p * p), c = [Double](repeating: 0, count: p)
        for col in 0..<p {
            for i in 0...col { r[col * p + i] = stack[col * height + i] }
        }
        for i in 0..<p { c[i] = stack[p * height + i] }
        return LinearRegression.solveLeastSquares(&r, &c, rows: p, cols: p)
    }

    /// Householder QR without pivoting of the `rows` × columns.count matrix whose columns are
    /// `columns`: afterwards row i ≤ column c of column c holds R's entry (i, c) (the reflectors
    /// overwrite what is below the diagonal).
    static func triangularize(_ columns: [UnsafeMutablePointer<Double>], rows m: Int) {
        for k in 0..<min(m, columns.count) {
            let x = columns[k] + k, len = m - k
            let norm2 = VectorKernels.longDot(len, x, x)
            guard norm2 > 0 else { continue }
            let x0 = x[0], alpha = x0 > 0 ? -norm2.squareRoot() : norm2.squareRoot()
            x[0] = x0 - alpha  // v = x − α·e1, in place
            let vtv = norm2 - x0 * x0 + x[0] * x[0]
            if vtv > 0 {
                for c in (k + 1)..<max(k + 1, columns.count) {
                    let col = columns[c] + k
                    VectorKernels.axpy(len, -2 * VectorKernels.longDot(len, x, col) / vtv, x, col)
                }
            }
            x[0] = alpha
        }
    }
}
