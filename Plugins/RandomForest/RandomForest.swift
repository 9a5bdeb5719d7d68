import Foundation
import ModelZoo

/// An ensemble of CART regression trees (Breiman's random forest), as scikit-learn's
/// RandomForestRegressor: bootstrap samples, exact squared-error splits, optional feature
/// subsampling, trees grown in parallel, predictions averaged.
///
/// The learned state is one thing in two layouts built from each other: `columns` (the file form)
/// and `compiled` (the prediction form). A fitted and a loaded forest hold the same state.
public struct RandomForest: Model {
    public static let info = PluginInfo(
        kind: "forest",
        summary: "Random forest of CART regression trees (exact splits, parallel, out-of-bag R², importances)",
        version: 1, targetScaling: .none)

    public let hyperparameters: ForestHyperparameters
    public internal(set) var featureCount = 0
    /// The file form, as read or as fitted; nil for a forest derived from another (`prefix`,
    /// `truncated`), whose `columns` are built when first asked for.
    var storedColumns: ForestColumns?
    var compiled: CompiledForest?
    /// A fitted forest's trees as grown, with each node's mean, in memory only (empty for a loaded
    /// forest): what `prefix` and `truncated` derive from, and what `columns` is built from.
    var source: GrownSource?

    public static let quickFitParameters = ["trees=5"]

    public init(hyperparameters: ForestHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "RandomForest(trees: \(compiled?.starts.count ?? 0), nodes: \(nodeCount), max_depth: \(hyperparameters.maxDepth.map(String.init) ?? "none"))"
    }
    /// Nodes in all trees.
    public var nodeCount: Int { compiled?.nodeCount ?? 0 }
    public var layers: [LayerSummary] {
        guard let compiled else { return [] }
        return [LayerSummary(name: "trees (\(compiled.starts.count))", outputShape: "(None, 1)", parameters: nodeCount)]
    }
    public var extras: [String: JSONValue] {
        compiled.map { ["max_depth_reached": .int($0.depths.max() ?? 0)] } ?? [:]
    }

    /// The presorted columns, per-worker scratch, and about 64 bytes per node over the node form, the
    /// file columns and the prediction layout; a tree has at most 2·leaves − 1 nodes, and its leaves
    /// are bounded by the rows a bootstrap draws (63%) over `min_samples_leaf`, and by 2^max_depth.
    public func estimatedFitBytes(rows n: Int, features p: Int) -> Int {
        let h = hyperparameters
        let distinct = h.bootstrap ? (n * 632 + 999) / 1000 : n
        var leaves = max(1, distinct / h.minSamplesLeaf)
        if let d = h.maxDepth, d < 62 { leaves = min(leaves, 1 << d) }
        let nodes = MemoryBudget.product(h.trees, 2 * leaves)
        let scratch = MemoryBudget.product(Parallel.maxThreads, n, p + 4, 8)
        return MemoryBudget.product(n, p, 12) &+ scratch &+ MemoryBudget.product(nodes, 64)
    }

    /// Every tree's nodes in pre-order, one tree after another, and where each tree starts.
    public var trees: (nodes: [TreeNode], starts: [Int]) {
        guard let grown = source?.materialized() else { return storedColumns?.trees() ?? ([], []) }
        return (grown.nodes, grown.starts)
    }

    /// The file form: as read, or built from the grown trees (a search's fits and their cut and
    /// shortened variants never need it, only the model that is saved).
    var columns: ForestColumns? {
        if let storedColumns { return storedColumns }
        guard let grown = source?.materialized() else { return nil }
        return ForestColumns(nodes: grown.nodes, starts: grown.starts, features: featureCount)
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        let n = data.x.rows, p = data.x.cols
        guard n >= 1 else { throw ZooError.insufficientData("forest: no training rows") }
        if case .count(let k) = hyperparameters.maxFeatures, k > p {
            throw ZooError.invalidParameter(key: "max_features", value: "\(k)", expected: "at most \(p), the encoded feature count")
        }
        let h = hyperparameters, ensemble = h.ensemble
        let featuresPerSplit = h.maxFeatures.resolve(features: p)
        let grower = TreeGrower(data: PresortedColumns(data.x), limits: h.limits, featuresPerSplit: featuresPerSplit)
        let grown = ensemble.grow(progress: context.progress) { t in
            var sample = ensemble.sample(t, rows: n, featureSampling: featuresPerSplit < p)
            return (tree: grower.regressionTree(y: data.y, weight: sample.weight, rng: &sample.rng), inBag: sample.inBag)
        }
        let (nodes, starts) = TreeEnsemble.concatenated(grown.map(\.tree.nodes))
        let c = ForestColumns(nodes: nodes, starts: starts, features: p)
        let compiled = try CompiledForest(columns: c, features: p)
        featureCount = p
        self.compiled = compiled
        storedColumns = c  // built for the compiled form anyway: saving the model needs no rebuild
        source = GrownSource(base: GrownForest(nodes: nodes, starts: starts, values: grown.flatMap(\.tree.nodeValues)))
        var report = FitReport(featureImportances: TreeEnsemble.importances(grown.map(\.tree.importance), features: p))
        if ensemble.keepInBag {
            report.outOfBagR2 = outOfBagR2(data, nodes: nodes, starts: starts, inBag: grown.map(\.inBag))
        }
        return report
    }

    /// R² of each row's average prediction over the trees that did not see it (rows seen by all are
    /// skipped). Rows in parallel slices; each row's sum runs over the trees in order, so the result
    /// does not depend on the slicing.
    func outOfBagR2(_ data: TrainingData, nodes: [TreeNode], starts: [Int], inBag: [[UInt8]]) -> Double? {
        let n = data.x.rows, p = data.x.cols
        var sums = [Double](repeating: 0, count: n), counts = [Int](repeating: 0, count: n)
        let slices = min(n, 4 * Parallel.maxThreads)
        sums.withUnsafeMutableBufferPointer { S in
            counts.withUnsafeMutableBufferPointer { C in
                data.x.values.withUnsafeBufferPointer { X in
                    nodes.withUnsafeBufferPointer { N in
                        Parallel.forEach(slices) { k in
                            for r in (n * k / slices)..<(n * (k + 1) / slices) {
                                for t in 0..<starts.count where inBag[t][r] == 0 {
                                    S[r] += TreeNode.walk(N.baseAddress! + starts[t], X.baseAddress! + r * p)
                                    C[r] += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        let seen = (0..<n).filter { counts[$0] > 0 }
        guard !seen.isEmpty else { return nil }
        return RegressionMetrics(actual: seen.map { data.y[$0] }, predicted: seen.map { sums[$0] / Double(counts[$0]) }).r2
    }

    /// Predictions averaged over the trees, rows spread over the cores in chunks.
    public func predict(_ x: Matrix) throws -> [Double] {
        guard let compiled else { throw ZooError.notFitted(kind: Self.info.kind) }
        precondition(x.cols == featureCount)
        let n = x.rows, p = x.cols
        var out = [Double](repeating: 0, count: n)
        guard n > 0 else { return out }
        // Large chunks, about one per core: each chunk walks every tree over all its rows, so a tree
        // loaded into cache serves as many rows as possible (measured on 300,000 rows: 16,384-row
        // chunks 636 k rows/s, 65,536-row chunks 721 k rows/s).
        let cores = Parallel.maxThreads
        let chunk = max(256, min(65536, (n + cores - 1) / cores))
        let chunks = (n + chunk - 1) / chunk
        // The sum over the trees divided by their count, as scikit-learn's `y_hat /= len(estimators_)`
        // (times the reciprocal was off by an ulp: 3 of 20 trees printed as 0.15000000000000002).
        let trees = Double(compiled.starts.count)
        out.withUnsafeMutableBufferPointer { O in
            let o = O.baseAddress!
            x.values.withUnsafeBufferPointer { X in
                Parallel.forEach(chunks) { c in
                    let lo = c * chunk, hi = min(n, lo + chunk)
                    compiled.accumulate(X.baseAddress!, p: p, lo: lo, hi: hi, into: o)
                    for r in lo..<hi { o[r] /= trees }
                }
            }
        }
        return out
    }
}
