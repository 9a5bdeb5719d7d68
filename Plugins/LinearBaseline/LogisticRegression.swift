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
struct NewtonLogistic {
    let x: Matrix
    let y: [Int]
    let weights: [Double]
    let units: Int
    let c: Double
    let fitIntercept: Bool
    /// Per row, the upper triangle of x̃·x̃ᵀ (x̃ = the row and a 1), a-major: the Hessian's building
    /// blocks, computed once for every Newton iteration (empty above 32 M values: then per row, each time).
    let packed: [Double]

    var p: Int { x.cols }

    init(x: Matrix, y: [Int], weights: [Double], units: Int, c: Double, fitIntercept: Bool) {
        self.x = x
        self.y = y
        self.weights = weights
        self.units = units
        self.c = c
        self.fitIntercept = fitIntercept
        let q = x.cols + 1, m = q * (q + 1) / 2
        guard x.rows * m <= 1 << 25 else {
            packed = []
            return
        }
        var packed = [Double](repeating: 0, count: x.rows * m)
        x.values.withUnsafeBufferPointer { X in
            packed.withUnsafeMutableBufferPointer { P in
                var xt = [Double](repeating: 1, count: q)
                for i in 0..<x.rows {
                    for f in 0..<(q - 1) { xt[f] = X[i * (q - 1) + f] }
                    var k = i * m
                    for a in 0..<q { for b in a..<q { P[k] = xt[a] * xt[b]; k += 1 } }
                }
            }
        }
        self.packed = packed
    }

    /// The objective C·Σ wᵢ·log-lossᵢ + ½‖W‖² at `theta`, its gradient and its (dense, d × d) Hessian,
    /// in one pass over the rows.
    func evaluate(_ theta: [Double]) -> (f: Double, g: [Double], h: [Double]) {
        let q = p + 1, d = units * q, u = units, n = x.rows, p = self.p
        var g = [Double](repeating: 0, count: d), h = [Double](repeating: 0, count: d * d)
        var loss = 0.0
        let z = UnsafeMutablePointer<Double>.allocate(capacity: max(u, 2))
        let prob = UnsafeMutablePointer<Double>.allocate(capacity: max(u, 2))
        let xt = UnsafeMutablePointer<Double>.allocate(capacity: q)
        let m = q * (q + 1) / 2, pairs = u * (u + 1) / 2
        let A = UnsafeMutablePointer<Double>.allocate(capacity: pairs * m)
        A.initialize(repeating: 0, count: pairs * m)
        let ob = UnsafeMutablePointer<Double>.allocate(capacity: m)
        defer { z.deallocate(); prob.deallocate(); xt.deallocate(); A.deallocate(); ob.deallocate() }
        xt[p] = 1
        x.values.withUnsafeBufferPointer { X in
            theta.withUnsafeBufferPointer { T in
                g.withUnsafeMutableBufferPointer { G in
                    packed.withUnsafeBufferPointer { PK in
                        for i in 0..<n {
                            let row = X.baseAddress! + i * p
                            for f in 0..<p { xt[f] = row[f] }
                            for j in 0..<u {
                                let t = T.baseAddress! + j * q
                                var s = t[p]
                                for f in 0..<p { s += xt[f] * t[f] }
                                z[j] = s
                            }
                            let yi = y[i], w = c * weights[i]
                            if u == 1 {
                                let m = yi == 1 ? -z[0] : z[0]
                                loss += weights[i] * (m > 0 ? m + log1p(exp(-m)) : log1p(exp(m)))
                                prob[0] = ClassDecision.sigmoid(z[0])
                            } else {
                                var mx = z[0]
                                for j in 1..<u where z[j] > mx { mx = z[j] }
                                var s = 0.0
                                for j in 0..<u { prob[j] = exp(z[j] - mx); s += prob[j] }
                                loss += weights[i] * (mx + log(s) - z[yi])
                                for j in 0..<u { prob[j] /= s }
                            }
                            for j in 0..<u {
                                let r = w * (prob[j] - (u == 1 ? (yi == 1 ? 1 : 0) : (yi == j ? 1 : 0)))
                                VectorKernels.axpy(q, r, xt, G.baseAddress! + j * q)
                            }
                            var o = UnsafePointer(ob)
                            if PK.isEmpty {
                                var k = 0
                                for a in 0..<q { for b in a..<q { ob[k] = xt[a] * xt[b]; k += 1 } }
                            } else {
                                o = PK.baseAddress! + i * m
                            }
                            var pair = 0
                            for j in 0..<u {
                                for l in j..<u {
                                    let ws = w * (u == 1 ? prob[0] * (1 - prob[0]) : prob[j] * ((j == l ? 1 : 0) - prob[l]))
                                    VectorKernels.axpy(m, ws, o, A + pair * m)
                                    pair += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        // Unpack the accumulated upper triangles into the blocks (j ≤ l, a ≤ b).
        var pair = 0
        for j in 0..<u {
            for l in j..<u {
                var k = pair * m
                for a in 0..<q {
                    for b in a..<q { h[(j * q + a) * d + l * q + b] = A[k]; k += 1 }
                }
                pair += 1
            }
        }
        // Symmetrise: blocks (j ≤ l) hold entries a ≤ b; fill the rest.
        for j in 0..<u {
            for l in j..<u {
                for a in 0..<q {
                    for b in a..<q {
                        let v = h[(j * q + a) * d + l * q + b]
                        h[(j * q + b) * d + l * q + a] = v
                        h[(l * q + a) * d + j * q + b] = v
                        h[(l * q + b) * d + j * q + a] = v
                    }
                }
            }
        }
        var penalty = 0.0
        for j in 0..<u {
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
