#if canImport(Glibc)
    import Glibc
#endif
import ModelZoo

/// Hyperparameters of the `linear` classifier, named and defaulted as scikit-learn's LogisticRegression.
public struct LogisticHyperparameters: ModelHyperparameters {
    /// Inverse L2 strength: the objective is C·Σ wᵢ·log-lossᵢ + ½‖W‖² (intercepts not penalised).
    public var c = 1.0
    public var fitIntercept = true
    public var maxIter = 100
    /// Newton stops when no step changes a parameter by more than tol·(1 + its size).
    public var tol = 1e-8
    public var classWeight = ClassWeight.none

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init("C", \.c, .double(1e-12...1e12), help: "inverse L2 regularisation strength (smaller: stronger)", aliases: ["c"]),
        .init("fit_intercept", \.fitIntercept, .bool, help: "fit an intercept per class (not penalised)"),
        .init("max_iter", \.maxIter, .int(1...10_000), help: "most Newton iterations"),
        .init("tol", \.tol, .double(0...1), help: "stop when a step changes no parameter by more than tol·(1 + |parameter|)"),
        .classWeight(\.classWeight),
    ]
}

/// Multinomial logistic regression with an L2 penalty, as scikit-learn's LogisticRegression (lbfgs,
/// multinomial): one coefficient row for two classes (a sigmoid), one per class beyond (a softmax).
/// Solved to convergence by Newton's method (exact Hessian, Cholesky, backtracking line search), so
/// the coefficients are the unique optimum; starting from zero, multinomial intercepts sum to zero.
public struct LogisticRegression: Classifier {
    public static let info = PluginInfo(
        kind: "linear",
        summary: "Multinomial logistic regression, L2 penalty C, solved to convergence by Newton's method",
        version: 1, targetScaling: .none)

    public let hyperparameters: LogisticHyperparameters
    /// Rows × features (one row for two classes, one per class beyond), row-major.
    public internal(set) var coefficients: [Double] = []
    public internal(set) var intercepts: [Double] = []
    public internal(set) var featureCount = 0
    /// Newton iterations the fit took (0 for a loaded model).
    public internal(set) var iterations = 0
    public var isFitted: Bool { !intercepts.isEmpty }

    public init(hyperparameters: LogisticHyperparameters) { self.hyperparameters = hyperparameters }

    var units: Int { intercepts.count }
    var classCount: Int { units == 1 ? 2 : units }

    public var description: String {
        "LogisticRegression(inputs: \(featureCount), classes: \(isFitted ? classCount : 0), C: \(hyperparameters.c))"
    }
    public var layers: [LayerSummary] {
        guard isFitted else { return [] }
        let parameters = units * featureCount + (hyperparameters.fitIntercept ? units : 0)
        return [
            LayerSummary(
                name: "logistic (\(units == 1 ? "sigmoid" : "softmax"))", outputShape: "(None, \(classCount))", parameters: parameters)
        ]
    }
    public var extras: [String: JSONValue] { isFitted && iterations > 0 ? ["newton_iterations": .int(iterations)] : [:] }

    public static let quickFitParameters: [String] = []

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        try DenseClassification.requireClasses(data, kind: Self.info.kind)
        let n = data.x.rows, p = data.x.cols, k = data.classCount
        guard n > 0 else { throw ZooError.insufficientData("linear: no training rows") }
        let units = k == 2 ? 1 : k
        let d = units * (p + 1)
        guard d <= 4096 else {
            throw ZooError.invalidInput("linear classifier: \(units) × \(p + 1) parameters is more than Newton's method here solves (4096)")
        }
        let weights = hyperparameters.classWeight.sampleWeights(data.y, classCount: k) ?? [Double](repeating: 1, count: n)
        let y = data.y.map { Int($0) }
        let solver = NewtonLogistic(
            x: data.x, y: y, weights: weights, units: units, c: hyperparameters.c,
            fitIntercept: hyperparameters.fitIntercept)
        var theta = [Double](repeating: 0, count: d)
        var (f, g, h) = solver.evaluate(theta)
        var iter = 0
        while iter < hyperparameters.maxIter {
            iter += 1
            guard let step = NewtonLogistic.solve(h, g.map { -$0 }, d) else {
                throw ZooError.diverged(epoch: iter, hint: "the Hessian is not positive definite; try a smaller C")
            }
            let slope = zip(g, step).reduce(0) { $0 + $1.0 * $1.1 }
            // Backtracking from the full Newton step (almost always taken): the candidate's
            // objective, gradient and Hessian come from one pass over the rows.
            var t = 1.0, next = theta
            var candidate = (f: f, g: g, h: h)
            while true {
                for i in 0..<d { next[i] = theta[i] + t * step[i] }
                if units > 1 && hyperparameters.fitIntercept {
                    // The softmax is blind to a common shift of the intercepts (a flat direction of the
                    // objective): keep them summing to zero, as scikit-learn's solution does.
                    let mean = (0..<units).reduce(0.0) { $0 + next[$1 * (p + 1) + p] } / Double(units)
                    for j in 0..<units { next[j * (p + 1) + p] -= mean }
                }
                candidate = solver.evaluate(next)
                if candidate.f <= f + 1e-4 * t * slope || t < 1e-10 { break }
                t /= 2
            }
            let change = (0..<d).reduce(0.0) { max($0, abs(next[$1] - theta[$1]) / (1 + abs(theta[$1]))) }
            let stalled = t < 1e-10 && candidate.f >= f  // no descent left at the precision of doubles
            if !stalled { theta = next; (f, g, h) = candidate }
            if change <= hyperparameters.tol || stalled { break }
        }
        guard theta.allSatisfy(\.isFinite) else { throw ZooError.diverged(epoch: iter, hint: "try a smaller C") }
        coefficients = []
        intercepts = []
        for j in 0..<units {
            coefficients += theta[(j * (p + 1))..<(j * (p + 1) + p)]
            intercepts.append(theta[j * (p + 1) + p])
        }
        featureCount = p
        iterations = iter
        return FitReport()
    }

    public func predictProbabilities(_ x: Matrix) throws -> Matrix {
        guard isFitted else { throw ZooError.notFitted(kind: Self.info.kind) }
        precondition(x.cols == featureCount)
        let p = featureCount, u = units, k = classCount
        var out = [Double](repeating: 0, count: x.rows * k)
        x.values.withUnsafeBufferPointer { X in
            out.withUnsafeMutableBufferPointer { O in
                var z = [Double](repeating: 0, count: u)
                for r in 0..<x.rows {
                    let row = X.baseAddress! + r * p
                    for j in 0..<u {
                        var s = intercepts[j]
                        for f in 0..<p { s += row[f] * coefficients[j * p + f] }
                        z[j] = s
                    }
                    let o = O.baseAddress! + r * k
                    if u == 1 {
                        let s = ClassDecision.sigmoid(z[0])
                        o[0] = 1 - s
                        o[1] = s
                    } else {
                        for j in 0..<k { o[j] = z[j] }
                        ClassDecision.softmax(o, k)
                    }
                }
            }
        }
        return Matrix(rows: x.rows, cols: k, values: out)
    }

    /// Tensors `logistic.coef` [units, features] and `logistic.intercept` [units].
    public func exportState() throws -> [Tensor] {
        guard isFitted else { throw ZooError.notFitted(kind: Self.info.kind) }
        return [Tensor("logistic.coef", coefficients, shape: [units, featureCount]), Tensor("logistic.intercept", intercepts)]
    }

    public init(hyperparameters: LogisticHyperparameters, state: TensorBundle, featureCount: Int, classCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        let units = classCount == 2 ? 1 : classCount
        coefficients = try state.doubles("logistic.coef", shape: [units, featureCount])
        intercepts = try state.doubles("logistic.intercept", shape: [units])
        if !hyperparameters.fitIntercept, intercepts.contains(where: { $0 != 0 }) {
            throw NNMError.invalidValue(tensor: "logistic.intercept", reason: "non-zero without fit_intercept")
        }
        self.featureCount = featureCount
    }
}

/// The penalised log-loss of a logistic model, its gradient and Hessian. Parameters per output unit j:
/// coefficients at j·(p+1) ..< j·(p+1)+p, then the intercept.
///
/// The data is held column by column (x̃ = the row and a 1), so that each sum over rows is one long
/// dot product: the gradient Σᵢ rᵢ·x̃ᵢ and the Hessian's blocks Σᵢ sᵢ·x̃ᵢx̃ᵢᵀ become q and
/// pairs·q(q+1)/2 dot products of row length, instead of short loops per row (measured with
/// callgrind on the BMI categories, 20,000 rows × 5 × 3 classes: 3,000 instructions a row and
/// evaluation before). Each Hessian block scales the columns by its row weights once (q products a
/// row) and dots the scaled columns with the plain ones. (Products x̃_a·x̃_b kept across iterations
/// saved those q products but cost more than they saved: on breast cancer, 455 rows × 31, their
/// 1.8 MB was half the fit in page faults, and it streams from beyond L2 at every evaluation.) Rows
/// go in fixed blocks summed in block order, so the result does not depend on the thread count.
struct NewtonLogistic {
    let n: Int
    let p: Int
    let y: [Int]
    let weights: [Double]
    let units: Int
    let c: Double
    let fitIntercept: Bool
    /// x̃ column-major: column a at a·n, the ones column last.
    let columns: [Double]
    /// Rows per block (fixed: the sums must not depend on the thread count).
    static let blockRows = 4096

    var q: Int { p + 1 }
    var pairs: Int { units * (units + 1) / 2 }
    var m: Int { q * (q + 1) / 2 }

    init(x: Matrix, y: [Int], weights: [Double], units: Int, c: Double, fitIntercept: Bool) {
        let n = x.rows, p = x.cols, q = p + 1
        self.n = n
        self.p = p
        self.y = y
        self.weights = weights
        self.units = units
        self.c = c
        self.fitIntercept = fitIntercept
        var columns = [Double](repeating: 1, count: n * q)
        x.values.withUnsafeBufferPointer { X in
            for i in 0..<n { for f in 0..<p { columns[f * n + i] = X[i * p + f] } }
        }
        self.columns = columns
    }

    /// The objective C·Σ wᵢ·log-lossᵢ + ½‖W‖² at `theta`, its gradient and its (dense, d × d) Hessian.
    func evaluate(_ theta: [Double]) -> (f: Double, g: [Double], h: [Double]) {
        let d = units * q, blocks = (n + Self.blockRows - 1) / Self.blockRows
        // Per block: the loss, the gradient (d), the Hessian's upper triangles per unit pair (pairs × m).
        let stride = 1 + d + pairs * m
        var partial = [Double](repeating: 0, count: blocks * stride)
        partial.withUnsafeMutableBufferPointer { P in
            Parallel.forEach(blocks) { b in
                let lo = b * Self.blockRows
                sumBlock(theta, rows: lo..<min(n, lo + Self.blockRows), into: P.baseAddress! + b * stride)
            }
        }
        var loss = 0.0, g = [Double](repeating: 0, count: d), upper = [Double](repeating: 0, count: pairs * m)
        for b in 0..<blocks {
            loss += partial[b * stride]
            for k in 0..<d { g[k] += partial[b * stride + 1 + k] }
            for k in 0..<(pairs * m) { upper[k] += partial[b * stride + 1 + d + k] }
        }
        var h = hessian(fromUpperTriangles: upper)
        var penalty = 0.0
        for j in 0..<units {
            for f in 0..<p {
                let k = j * q + f
                penalty += theta[k] * theta[k]
                g[k] += theta[k]
                h[k * d + k] += 1
            }
            if !fitIntercept {
                let k = j * q + p
                g[k] = 0
                for m in 0..<d { h[k * d + m] = 0; h[m * d + k] = 0 }
                h[k * d + k] = 1
            }
        }
        return (c * loss + penalty / 2, g, h)
    }

    /// One block's unpenalised loss, gradient and Hessian triangles, written to `out` (1 + d + pairs·m).
    func sumBlock(_ theta: [Double], rows: Range<Int>, into out: UnsafeMutablePointer<Double>) {
        let len = rows.count, lo = rows.lowerBound, u = units, q = self.q, m = self.m, d = u * q
        // z: the logits, then the residuals w·(p − onehot); s: the Hessian's row weights per unit pair;
        // scaled: the columns times one pair's row weights.
        let z = UnsafeMutablePointer<Double>.allocate(capacity: u * len)
        let s = UnsafeMutablePointer<Double>.allocate(capacity: pairs * len)
        let scaled = UnsafeMutablePointer<Double>.allocate(capacity: q * len)
        defer { z.deallocate(); s.deallocate(); scaled.deallocate() }
        columns.withUnsafeBufferPointer { C in
            let col = C.baseAddress! + lo
            for j in 0..<u {
                let zj = z + j * len
                zj.initialize(repeating: theta[j * q + p], count: len)
                for f in 0..<p { VectorKernels.axpy(len, theta[j * q + f], col + f * n, zj) }
            }
            out[0] = rowTerms(z: z, s: s, rows: rows)
            for j in 0..<u {
                for a in 0..<q { out[1 + j * q + a] = VectorKernels.longDot(len, z + j * len, col + a * n) }
            }
            let upper = out + 1 + d
            for pair in 0..<pairs {
                let weights = s + pair * len
                for a in 0..<q { VectorKernels.multiply(len, weights, col + a * n, scaled + a * len) }
                upperTriangle(len, scaled: scaled, columns: col, into: upper + pair * m)
            }
        }
    }

    /// The upper triangle (a ≤ b, row by row) of scaledᵀ·columns over `len` rows: `scaled` column a
    /// at a·len, `columns` column b at b·n. Two rows by two columns a pass (`longDots2x2`, the same
    /// bits as a dot each): a long dot waits on its two loads per multiply-add, and this shares
    /// them. On the diagonal the pass's fourth dot is below the triangle and dropped.
    func upperTriangle(
        _ len: Int, scaled: UnsafePointer<Double>, columns col: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>
    ) {
        let q = self.q
        // Row a of the triangle starts at a·q − a(a−1)/2.
        func at(_ a: Int, _ b: Int) -> Int { a * q - a * (a - 1) / 2 + (b - a) }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 4) { four in
            let d = four.baseAddress!
            var a = 0
            while a + 2 <= q {
                let s0 = scaled + a * len, s1 = s0 + len
                var b = a
                while b + 2 <= q {
                    VectorKernels.longDots2x2(len, s0, s1, col + b * n, col + (b + 1) * n, into: d)
                    out[at(a, b)] = d[0]
                    out[at(a, b + 1)] = d[1]
                    if b > a { out[at(a + 1, b)] = d[2] }
                    out[at(a + 1, b + 1)] = d[3]
                    b += 2
                }
                if b < q {
                    out[at(a, b)] = VectorKernels.longDot(len, s0, col + b * n)
                    out[at(a + 1, b)] = VectorKernels.longDot(len, s1, col + b * n)
                }
                a += 2
            }
            if a < q { out[at(a, a)] = VectorKernels.longDot(len, scaled + a * len, col + a * n) }
        }
    }

    /// Per row of the block: the probabilities from the logits in `z`, the row's log-loss (summed and
    /// returned), its residuals (written over `z`) and its Hessian weights per unit pair (into `s`).
    func rowTerms(z: UnsafeMutablePointer<Double>, s: UnsafeMutablePointer<Double>, rows: Range<Int>) -> Double {
        let len = rows.count, u = units, powers = NegativeExp.powers
        var loss = 0.0
        let prob = UnsafeMutablePointer<Double>.allocate(capacity: max(u, 1))
        defer { prob.deallocate() }
        for (i, row) in rows.enumerated() {
            let yi = y[row], w = c * weights[row]
            if u == 1 {
                // One exp a row serves both the loss, log(1 + e^margin) = max(margin, 0) + log1p(e^−|z|),
                // and the probability σ(z).
                let zi = z[i], margin = yi == 1 ? -zi : zi, t = exp(-abs(zi))
                loss += weights[row] * (max(margin, 0) + log1p(t))
                let pr = zi >= 0 ? 1 / (1 + t) : t / (1 + t)
                z[i] = w * (pr - (yi == 1 ? 1 : 0))
                s[i] = w * pr * (1 - pr)
                continue
            }
            var mx = z[i]
            for j in 1..<u where z[j * len + i] > mx { mx = z[j * len + i] }
            var sum = 0.0
            if u <= 4 {
                // Up to four classes: one vector exp (NegativeExp: the shifted logits are never
                // positive) instead of a libm call a class; absent lanes are e^-inf = 0. The
                // probabilities equal the scalar loop's to rounding (the BMI categories' fit: three
                // `exp` calls a row were a third of it).
                let e = NegativeExp.exp(
                    SIMD4(z[i], z[len + i], u > 2 ? z[2 * len + i] : -.infinity, u > 3 ? z[3 * len + i] : -.infinity)
                        - SIMD4(repeating: mx), powers: powers)
                sum = (e[0] + e[1]) + (e[2] + e[3])
                for j in 0..<u { prob[j] = e[j] }
            } else {
                for j in 0..<u { prob[j] = exp(z[j * len + i] - mx); sum += prob[j] }
            }
            loss += weights[row] * (mx + log(sum) - z[yi * len + i])
            for j in 0..<u { prob[j] /= sum }
            for j in 0..<u { z[j * len + i] = w * (prob[j] - (yi == j ? 1 : 0)) }
            var pair = 0
            for j in 0..<u {
                for l in j..<u {
                    s[pair * len + i] = w * prob[j] * ((j == l ? 1 : 0) - prob[l])
                    pair += 1
                }
            }
        }
        return loss
    }

    /// The dense d × d Hessian from the upper triangles of its unit-pair blocks (j ≤ l, a ≤ b).
    func hessian(fromUpperTriangles upper: [Double]) -> [Double] {
        let q = self.q, d = units * q, m = self.m
        var h = [Double](repeating: 0, count: d * d)
        var pair = 0
        for j in 0..<units {
            for l in j..<units {
                var k = pair * m
                for a in 0..<q {
                    for b in a..<q {
                        let v = upper[k]
                        h[(j * q + a) * d + l * q + b] = v
                        h[(j * q + b) * d + l * q + a] = v
                        h[(l * q + a) * d + j * q + b] = v
                        h[(l * q + b) * d + j * q + a] = v
                        k += 1
                    }
                }
                pair += 1
            }
        }
        return h
    }

    /// Solves H·s = b for symmetric positive (semi)definite H by Cholesky, with a ridge of 1e-12 of
    /// the largest diagonal entry (the softmax leaves the intercepts' common shift free); nil when it fails.
    static func solve(_ h: [Double], _ b: [Double], _ d: Int) -> [Double]? {
        var a = h
        let ridge = 1e-12 * max(1e-300, (0..<d).reduce(0.0) { max($0, h[$1 * d + $1]) })
        for i in 0..<d { a[i * d + i] += ridge }
        for j in 0..<d {
            var s = a[j * d + j]
            for k in 0..<j { s -= a[j * d + k] * a[j * d + k] }
            guard s > 0, s.isFinite else { return nil }
            let l = s.squareRoot()
            a[j * d + j] = l
            for i in (j + 1)..<max(j + 1, d) {
                var t = a[i * d + j]
                for k in 0..<j { t -= a[i * d + k] * a[j * d + k] }
                a[i * d + j] = t / l
            }
        }
        var z = b
        for i in 0..<d {
            var s = z[i]
            for k in 0..<i { s -= a[i * d + k] * z[k] }
            z[i] = s / a[i * d + i]
        }
        var i = d - 1
        while i >= 0 {
            var s = z[i]
            for k in (i + 1)..<max(i + 1, d) { s -= a[k * d + i] * z[k] }
            z[i] = s / a[i * d + i]
            i -= 1
        }
        return z
    }
}
