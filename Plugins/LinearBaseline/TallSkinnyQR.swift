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

    /// β minimising ‖(X − mean)·β − b‖ for row-major `x` (n × p) and `b`, and the rank found; as
    /// `LinearRegression.solveLeastSquares` on the centred columns. Each block copies its rows into
    /// a centred column-major block of its own: the whole design transposed beforehand was one thread
    /// writing 54 columns a row apart, and a second copy of the matrix.
    static func solve(rowMajor x: UnsafePointer<Double>, mean: [Double], _ b: [Double], rows n: Int, cols p: Int) -> ([Double], Int) {
        let q = p + 1, blocks = (n + blockRows - 1) / blockRows
        // Stacked triangles, column-major: block k's q × q triangle in rows k·q ..< (k+1)·q.
        let height = blocks * q
        var stack = [Double](repeating: 0, count: height * q)
        stack.withUnsafeMutableBufferPointer { S in
            mean.withUnsafeBufferPointer { M in
                b.withUnsafeBufferPointer { B in
                    let out = S.baseAddress!
                    Parallel.forEach(blocks) { k in
                        let lo = k * blockRows, m = min(n, lo + blockRows) - lo
                        var block = [Double](unsafeUninitializedCapacity: m * q) { _, initialized in initialized = m * q }
                        block.withUnsafeMutableBufferPointer { A in
                            let a = A.baseAddress!
                            for r in 0..<m {
                                let row = x + (lo + r) * p
                                for c in 0..<p { a[c * m + r] = row[c] - M[c] }
                                a[p * m + r] = B[lo + r]
                            }
                            let columns = (0..<q).map { a + $0 * m }
                            triangularize(columns, rows: m)
                            for c in 0..<q {
                                for i in 0...min(c, m - 1) { out[c * height + k * q + i] = columns[c][i] }
                            }
                        }
                    }
                }
            }
            let columns = (0..<q).map { S.baseAddress! + $0 * height }
            triangularize(columns, rows: height)
        }
        // The final triangle's first p rows: R (p × p) and Qᵀb.
        var r = [Double](repeating: 0, count: p * p), c = [Double](repeating: 0, count: p)
        for col in 0..<p {
            for i in 0...col { r[col * p + i] = stack[col * height + i] }
        }
        for i in 0..<p { c[i] = stack[p * height + i] }
        return LinearRegression.solveLeastSquares(&r, &c, rows: p, cols: p)
    }

    /// Whether `solve` suits n × p: many rows, and few enough columns for a block to stay in cache.
    static func applies(rows n: Int, cols p: Int) -> Bool { n >= 4 * blockRows && p < maxColumns }

    /// The working memory `solve` allocates: the stacked triangles, and a block per thread.
    static func workingBytes(rows n: Int, cols p: Int) -> Int {
        let q = p + 1
        return MemoryBudget.product((n + blockRows - 1) / blockRows * q, q, 8) + MemoryBudget.product(Parallel.maxThreads * blockRows, q, 8)
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
