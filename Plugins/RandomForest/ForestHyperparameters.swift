import ModelZoo

/// Hyperparameters of `forest`, named and defaulted as scikit-learn's RandomForestRegressor
/// (its names are accepted as aliases).
public struct ForestHyperparameters: ModelHyperparameters {
    public var trees = 100
    public var maxDepth: Int?
    public var minSamplesSplit = 2
    public var minSamplesLeaf = 1
    /// scikit-learn's default for regression: every feature at every split.
    public var maxFeatures = FeatureSubset.all
    public var bootstrap = true
    public var oob = false
    public var seed = 402

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init("trees", \.trees, .int(1...10_000), help: "trees in the ensemble", aliases: ["n_estimators"]),
        .init("max_depth", \.maxDepth, .optionalInt(1...10_000), help: "maximum tree depth (none: unlimited)"),
        .init("min_samples_split", \.minSamplesSplit, .int(2...1_000_000), help: "rows a node needs to be split"),
        .init("min_samples_leaf", \.minSamplesLeaf, .int(1...1_000_000), help: "rows every leaf keeps at least"),
        .init(
            "max_features", \.maxFeatures, .featureSubset,
            help: "features tried per split: a count, a fraction, sqrt, log2 or all (1.0 = all, 1 = one)"),
        .init("bootstrap", \.bootstrap, .bool, help: "train each tree on a bootstrap sample"),
        .init("oob", \.oob, .bool, help: "compute the out-of-bag R² (needs bootstrap)", aliases: ["oob_score"]),
        .seed(\.seed, help: "seed for bootstrap and feature sampling"),
    ]

    public static let retiredKeys = ["jobs": "the forest uses the cores --threads allows"]
}

extension ForestHyperparameters {
    /// When a node may be split.
    var limits: TreeLimits { TreeLimits(maxDepth: maxDepth, minSamplesSplit: minSamplesSplit, minSamplesLeaf: minSamplesLeaf) }
    /// How the trees are sampled and grown.
    var ensemble: TreeEnsemble { TreeEnsemble(trees: trees, seed: seed, bootstrap: bootstrap, keepInBag: oob) }
}
