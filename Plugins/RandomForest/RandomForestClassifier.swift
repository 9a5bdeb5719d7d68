import Foundation
import ModelZoo

/// Hyperparameters of the `forest` classifier: the regressor's (with scikit-learn's classifier
/// default `max_features=sqrt`), the split criterion and `class_weight`.
public struct ForestClassifierHyperparameters: ModelHyperparameters {
    public var base: ForestHyperparameters
    public var criterion = SplitCriterion.gini
    public var classWeight = ClassWeight.none

    public init() {
        base = ForestHyperparameters()
        base.maxFeatures = .sqrt
    }

    public static let parameters: [Hyperparameter<Self>] =
        ForestHyperparameters.parameters.map { row in
            row.name == "oob"
                ? Hyperparameter<ForestHyperparameters>(
                    "oob", \.oob, .bool, help: "compute the out-of-bag accuracy (needs bootstrap)",
                    aliases: ["oob_score"]
                ).lifted(\Self.base)
                : row.lifted(\Self.base)
        } + [
            .choice("criterion", \.criterion, help: "split quality: gini impurity or entropy (log_loss)"),
            .classWeight(\.classWeight),
        ]

    public static let retiredKeys = ForestHyperparameters.retiredKeys
}

/// A random forest of CART classification trees, as scikit-learn's RandomForestClassifier: bootstrap
/// samples, exact gini or entropy splits, `max_features` per split, trees grown in parallel; the
/// probabilities are the mean over the trees of each leaf's weighted class fractions.
///
/// File form: the regressor's forest columns, where a leaf's value is the index of its class
/// distribution in `forest.class_proba` [distributions, classes] (distinct distributions stored once).
public struct RandomForestClassifier: Classifier {
    public static let info = PluginInfo(
        kind: "forest",
        summary: "Random forest of CART classification trees (gini/entropy, parallel, out-of-bag accuracy, importances)",
        version: 1, targetScaling: .none)

    public let hyperparameters: ForestClassifierHyperparameters
    public internal(set) var featureCount = 0
    public internal(set) var classCount = 0
    var columns: ForestColumns?
    var nodes: [TreeNode] = []
    var starts: [Int] = []
    /// Distributions × classes, row-major.
    var distributions: [Double] = []
    var maxDepth = 0
    /// The prediction layout (lockstep walks over rank-encoded rows).
    var compiled: CompiledForest?

    public static let quickFitParameters = ["trees=5"]

    /// Every tree's nodes in pre-order, one tree after another, and where each tree starts; a leaf's
    /// `value` is its row in `leafDistributions` (for exporters, e.g. ONNX TreeEnsembleClassifier).
    public var trees: (nodes: [TreeNode], starts: [Int]) { (nodes, starts) }
    /// Distinct leaf class distributions, one row per distribution, one column per class.
    public var leafDistributions: Matrix {
        Matrix(rows: classCount > 0 ? distributions.count / classCount : 0, cols: classCount, values: distributions)
    }

    public init(hyperparameters: ForestClassifierHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "RandomForestClassifier(trees: \(starts.count), nodes: \(nodes.count), classes: \(classCount), criterion: \(hyperparameters.criterion.rawValue))"
    }
    public var layers: [LayerSummary] {
        guard columns != nil else { return [] }
        return [LayerSummary(name: "trees (\(starts.count))", outputShape: "(None, \(classCount))", parameters: nodes.count)]
    }
    public var extras: [String: JSONValue] { columns == nil ? [:] : ["max_depth_reached": .int(maxDepth)] }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        try DenseClassification.requireClasses(data, kind: Self.info.kind)
        let n = data.x.rows, p = data.x.cols, k = data.classCount
        let h = hyperparameters.base
        guard n >= 1 else { throw ZooError.insufficientData("forest: no training rows") }
        if case .count(let c) = h.maxFeatures, c > p {
            throw ZooError.invalidParameter(key: "max_features", value: "\(c)", expected: "at most \(p), the encoded feature count")
        }
        let classWeights = hyperparameters.classWeight.sampleWeights(data.y, classCount: k)
        let y = data.y.map { Int32($0) }
        let ensemble = h.ensemble, criterion = hyperparameters.criterion
        let featuresPerSplit = h.maxFeatures.resolve(features: p)
        let grower = TreeGrower(data: PresortedColumns(data.x), limits: h.limits, featuresPerSplit: featuresPerSplit)
        let grown = ensemble.grow(progress: context.progress) { t in
            var sample = ensemble.sample(t, rows: n, featureSampling: featuresPerSplit < p)
            if let classWeights { for r in 0..<n { sample.weight[r] *= classWeights[r] } }
            let tree = grower.classificationTree(y: y, classes: k, criterion: criterion, weight: sample.weight, rng: &sample.rng)
            return (tree: tree, inBag: sample.inBag)
        }
        // One table of distinct distributions; leaves re-pointed into it, trees concatenated.
        var table: [[Double]: Int] = [:], flat: [Double] = []
        var all: [TreeNode] = [], starts: [Int] = []
        for g in grown {
            starts.append(all.count)
            for var node in g.tree.nodes {
                if node.feature < 0 {
                    let dist = g.tree.distributions[Int(node.value)]
                    let id =
                        table[dist]
                        ?? {
                            let id = table.count; table[dist] = id; flat += dist; return id
                        }()
                    node.value = Double(id)
                }
                all.append(node)
            }
        }
        try install(columns: ForestColumns(nodes: all, starts: starts, features: p), distributions: flat, features: p, classes: k)
        var report = FitReport(featureImportances: TreeEnsemble.importances(grown.map(\.tree.importance), features: p))
        if ensemble.keepInBag {
            report.outOfBagAccuracy = outOfBagAccuracy(data, inBag: grown.map(\.inBag))
        }
        return report
    }

    /// Sets the learned state from columns and distributions, checking the structure (as a file's).
    mutating func install(columns c: ForestColumns, distributions: [Double], features p: Int, classes k: Int) throws {
        let compiled = try CompiledForest(columns: c, features: p)  // checks every tree's structure
        let (nodes, starts) = c.trees()
        self.columns = c
        self.nodes = nodes
        self.starts = starts
        self.distributions = distributions
        featureCount = p
        classCount = k
        maxDepth = compiled.depths.max() ?? 0
        self.compiled = compiled
    }

    /// Accuracy of each row's averaged out-of-bag probabilities (rows seen by every tree are skipped).
    func outOfBagAccuracy(_ data: TrainingData, inBag: [[UInt8]]) -> Double? {
        let n = data.x.rows, k = classCount
        var right = 0, seen = 0
        var sums = [Double](repeating: 0, count: k)
        data.x.values.withUnsafeBufferPointer { X in
            nodes.withUnsafeBufferPointer { N in
                for r in 0..<n {
                    sums.withUnsafeMutableBufferPointer { S in S.update(repeating: 0) }
                    var any = false
                    for t in 0..<starts.count where inBag[t][r] == 0 {
                        let id = Int(TreeNode.walk(N.baseAddress! + starts[t], X.baseAddress! + r * featureCount))
                        for c in 0..<k { sums[c] += distributions[id * k + c] }
                        any = true
                    }
                    guard any else { continue }
                    seen += 1
                    var best = 0
                    for c in 1..<k where sums[c] > sums[best] { best = c }
                    if best == Int(data.y[r]) { right += 1 }
                }
            }
        }
        return seen > 0 ? Double(right) / Double(seen) : nil
    }

    public func predictProbabilities(_ x: Matrix) throws -> Matrix {
        guard columns != nil else { throw ZooError.notFitted(kind: Self.info.kind) }
        precondition(x.cols == featureCount)
        let n = x.rows, p = featureCount, k = classCount
        var out = [Double](repeating: 0, count: n * k)
        guard n > 0 else { return Matrix(rows: 0, cols: k, values: []) }
        guard let compiled else { throw ZooError.notFitted(kind: Self.info.kind) }
        let cores = Parallel.maxThreads
        let chunk = max(256, min(65536, (n + cores - 1) / cores))
        let chunks = (n + chunk - 1) / chunk
        // Divided by the tree count, as scikit-learn's predict_proba (see `RandomForest.predict`).
        let trees = Double(starts.count)
        out.withUnsafeMutableBufferPointer { O in
            x.values.withUnsafeBufferPointer { X in
                distributions.withUnsafeBufferPointer { D in
                    Parallel.forEach(chunks) { ch in
                        let lo = ch * chunk, hi = min(n, lo + chunk)
                        let o = O.baseAddress! + lo * k
                        compiled.accumulateDistributions(X.baseAddress!, p: p, lo: lo, hi: hi, distributions: D.baseAddress!, k: k, into: o)
                        for i in 0..<((hi - lo) * k) { o[i] /= trees }
                    }
                }
            }
        }
        return Matrix(rows: n, cols: k, values: out)
    }

    public func exportState() throws -> [Tensor] {
        guard let columns else { throw ZooError.notFitted(kind: Self.info.kind) }
        return columns.tensors(features: featureCount)
            + [Tensor("forest.class_proba", distributions, shape: [distributions.count / max(1, classCount), classCount])]
    }

    public init(hyperparameters: ForestClassifierHyperparameters, state: TensorBundle, featureCount p: Int, classCount k: Int) throws {
        self.init(hyperparameters: hyperparameters)
        let c = try ForestColumns(state: state, trees: hyperparameters.base.trees, features: p)
        // Leaf values are distribution indices 0, 1, ...: the sorted distinct values are exactly those.
        for (i, v) in c.values.enumerated() where v != Double(i) {
            throw NNMError.invalidValue(tensor: "forest.values", reason: "value \(v) at \(i) is not the distribution index \(i)")
        }
        let dists = try state.doubles("forest.class_proba", shape: [c.values.count, k])
        for d in 0..<c.values.count {
            var s = 0.0
            for j in 0..<k {
                let v = dists[d * k + j]
                guard v >= 0, v <= 1 else {
                    throw NNMError.invalidValue(tensor: "forest.class_proba", reason: "probability \(v) outside [0, 1] in row \(d)")
                }
                s += v
            }
            guard abs(s - 1) <= 1e-9 else {
                throw NNMError.invalidValue(tensor: "forest.class_proba", reason: "row \(d) sums to \(s), not 1")
            }
        }
        try install(columns: c, distributions: dists, features: p, classes: k)
    }
}
