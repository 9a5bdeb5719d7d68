import ModelZoo

/// Hyperparameters of `linear`.
public struct LinearHyperparameters: ModelHyperparameters {
    /// Without an intercept the line passes through the origin of the scaled features.
    public var fitIntercept = true

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init("fit_intercept", \.fitIntercept, .bool, help: "fit an intercept term")
    ]
}

/// Ordinary least squares, solved by Householder QR with column pivoting on centred data.
///
/// Pivoting makes rank deficiency harmless: one-hot columns for every level plus an intercept are
/// collinear, so one column of each such set gets coefficient 0 and predictions are unchanged.
public struct LinearRegression: Model, LinearPredictor {
    public static let info = PluginInfo(
        kind: "linear",
        summary: "Ordinary least squares baseline (pivoted QR; handles collinear one-hot columns)",
        version: 1, targetScaling: .none)

    public let hyperparameters: LinearHyperparameters
    /// One coefficient per encoded feature (0 for a column dropped as collinear).
    public internal(set) var coefficients: [Double] = []
    public internal(set) var intercept = 0.0
    /// Rank of the (centred) design found by the pivoted QR.
    public internal(set) var rank = 0
    /// Set by `fit` or a file: coefficients may be legitimately empty of meaning before then.
    public internal(set) var isFitted = false

    public init(hyperparameters: LinearHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String { "LinearRegression(inputs: \(coefficients.count))" }
    public var layers: [LayerSummary] {
        guard isFitted else { return [] }
        let parameters = coefficients.count + (hyperparameters.fitIntercept ? 1 : 0)
        return [LayerSummary(name: "linear", outputShape: "(None, 1)", parameters: parameters)]
    }
    public var extras: [String: JSONValue] { isFitted ? ["rank": .int(rank)] : [:] }

    /// The column-major centred copy the pivoted QR works on, or the blocked QR's working memory.
    public func estimatedFitBytes(rows: Int, features: Int) -> Int {
        TallSkinnyQR.applies(rows: rows, cols: features)
            ? TallSkinnyQR.workingBytes(rows: rows, cols: features) : MemoryBudget.product(rows, features + 1, 8)
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        let n = data.x.rows, p = data.x.cols
        guard n > 0 else { throw ZooError.insufficientData("linear: no training rows") }
        let xMean = hyperparameters.fitIntercept ? Self.columnMeans(data.x) : [Double](repeating: 0, count: p)
        let yMean = hyperparameters.fitIntercept ? data.y.reduce(0, +) / Double(n) : 0
        var b = data.y.map { $0 - yMean }
        // Many rows: blocks in cache; few rows, or columns too many for a block to fit the cache: the
        // pivoted QR directly (see TallSkinnyQR).
        let (beta, r) =
            TallSkinnyQR.applies(rows: n, cols: p)
            ? data.x.values.withUnsafeBufferPointer { TallSkinnyQR.solve(rowMajor: $0.baseAddress!, mean: xMean, b, rows: n, cols: p) }
            : { () -> ([Double], Int) in
                var a = Self.centredColumns(data.x, mean: xMean)
                return LinearRegression.solveLeastSquares(&a, &b, rows: n, cols: p)
            }()
        coefficients = beta
        rank = r
        intercept = hyperparameters.fitIntercept ? yMean - zip(xMean, beta).reduce(0) { $0 + $1.0 * $1.1 } : 0
        isFitted = true
        return FitReport()
    }

    /// Each column's mean, summed row by row. Raw pointers: element access through the arrays
    /// (bounds and uniqueness checks) was 5% of `zoo train linear` on 160,000 wide rows.
    static func columnMeans(_ x: Matrix) -> [Double] {
        let n = x.rows, p = x.cols
        var mean = [Double](repeating: 0, count: p)
        x.values.withUnsafeBufferPointer { X in
            mean.withUnsafeMutableBufferPointer { M in
                for r in 0..<n { for c in 0..<p { M[c] += X[r * p + c] } }
                for c in 0..<p { M[c] /= Double(n) }
            }
        }
        return mean
    }

    /// The column-major centred design: the pivoted QR works down columns.
    static func centredColumns(_ x: Matrix, mean: [Double]) -> [Double] {
        let n = x.rows, p = x.cols
        var a = [Double](unsafeUninitializedCapacity: n * p) { _, initialized in initialized = n * p }
        x.values.withUnsafeBufferPointer { X in
            a.withUnsafeMutableBufferPointer { A in
                for r in 0..<n { for c in 0..<p { A[c * n + r] = X[r * p + c] - mean[c] } }
            }
        }
        return a
    }

    /// Least squares `min ‖A·β − b‖` for column-major `a` (n × p), by Householder QR with column pivoting.
    /// Columns whose remaining norm falls below 1e-10 of the largest are treated as dependent (β = 0).
    static func solveLeastSquares(_ a: inout [Double], _ b: inout [Double], rows n: Int, cols p: Int) -> ([Double], Int) {
        var perm = Array(0..<p)
        var diag = [Double](repeating: 0, count: p)
        var norms = (0..<p).map { c in (0..<n).reduce(0.0) { $0 + a[c * n + $1] * a[c * n + $1] } }
        let maxNorm = norms.max() ?? 0
        let tol = 1e-20 * max(maxNorm, 1e-300)  // squared norms: 1e-10 relative
        var rank = 0
        a.withUnsafeMutableBufferPointer { A in
            b.withUnsafeMutableBufferPointer { B in
                let base = A.baseAddress!
                for k in 0..<min(n, p) {
                    // Pivot: the remaining column with the largest norm below row k.
                    norms.withUnsafeMutableBufferPointer { N in
                        Self.forColumns(k..<p, rows: n - k) { c in N[c] = VectorKernels.dot(n - k, base + c * n + k, base + c * n + k) }
                    }
                    var j = k
                    for c in (k + 1)..<max(k + 1, p) where norms[c] > norms[j] { j = c }
                    if norms[j] <= tol { break }
                    if j != k {
                        for r in 0..<n { A.swapAt(k * n + r, j * n + r) }
                        perm.swapAt(k, j)
                        norms.swapAt(k, j)
                    }
                    let norm = norms[k].squareRoot()
                    let akk = A[k * n + k]
                    let alpha = akk > 0 ? -norm : norm
                    A[k * n + k] = akk - alpha  // v = x − α·e1, stored in place
                    let vtv = norms[k] - akk * akk + (akk - alpha) * (akk - alpha)
                    if vtv > 0 {
                        let v = UnsafePointer(base + k * n + k)
                        Self.forColumns((k + 1)..<max(k + 1, p), rows: n - k) { c in
                            let column = base + c * n + k
                            VectorKernels.axpy(n - k, -2 * VectorKernels.dot(n - k, v, column) / vtv, v, column)
                        }
                        VectorKernels.axpy(n - k, -2 * VectorKernels.dot(n - k, v, B.baseAddress! + k) / vtv, v, B.baseAddress! + k)
                    }
                    diag[k] = alpha
                    rank = k + 1
                }
            }
        }
        // Back substitution on R[0..<rank, 0..<rank] (R above the diagonal is in `a`).
        var z = [Double](repeating: 0, count: p)
        var k = rank - 1
        while k >= 0 {
            var s = b[k]
            for c in (k + 1)..<max(k + 1, rank) { s -= a[c * n + k] * z[c] }
            z[k] = s / diag[k]
            k -= 1
        }
        var beta = [Double](repeating: 0, count: p)
        for i in 0..<p { beta[perm[i]] = z[i] }
        return (beta, rank)
    }

    /// `body(c)` for each column in `columns`, on the cores when the columns hold enough rows to pay
    /// for it (each column is computed alone, so the result does not depend on the thread count).
    static func forColumns(_ columns: Range<Int>, rows: Int, _ body: (Int) -> Void) {
        guard columns.count > 1, rows * columns.count >= 1 << 16 else { return columns.forEach(body) }
        let parts = min(columns.count, 4 * Parallel.maxThreads)
        Parallel.forEach(parts) { k in
            for c in (columns.lowerBound + columns.count * k / parts)..<(columns.lowerBound + columns.count * (k + 1) / parts) { body(c) }
        }
    }

    public func predict(_ x: Matrix) throws -> [Double] {
        guard isFitted else { throw ZooError.notFitted(kind: Self.info.kind) }
        precondition(x.cols == coefficients.count)
        var out = [Double](repeating: intercept, count: x.rows)
        let p = x.cols
        x.values.withUnsafeBufferPointer { X in
            coefficients.withUnsafeBufferPointer { C in
                for r in 0..<x.rows {
                    var s = intercept
                    let row = X.baseAddress! + r * p
                    for c in 0..<p { s += row[c] * C[c] }
                    out[r] = s
                }
            }
        }
        return out
    }
}
