import ModelZoo

/// Hyperparameters of `forest`, named and defaulted as scikit-learn's RandomForestRegressor.
public struct ForestHyperparameters: ModelHyperparameters {
    /// Trees in the ensemble (default 100).
    public var trees = 100
    /// Maximum depth; nil (default) grows until leaves are pure or too small.
    public var maxDepth: Int?
    /// A node with fewer distinct training rows is not split (default 2).
    public var minSamplesSplit = 2
    /// Every leaf keeps at least this many distinct training rows (default 1).
    public var minSamplesLeaf = 1
    /// Features tried per split: a count (≥ 1), a fraction (0, 1], or nil (default) for all, as scikit-learn does for regression.
    public var maxFeatures: JSONValue = .null
    /// Train each tree on a bootstrap sample (default true).
    public var bootstrap = true
    /// Compute the out-of-bag R² (default false; needs bootstrap).
    public var oob = false
    /// Seed for bootstrap samples and feature choices (default 402).
    public var seed = 402
    /// Worker threads; 0 (default) uses every core. Results do not depend on it.
    public var jobs = 0

    enum CodingKeys: String, CodingKey {
        case trees, maxDepth = "max_depth", minSamplesSplit = "min_samples_split", minSamplesLeaf = "min_samples_leaf"
        case maxFeatures = "max_features", bootstrap, oob, seed, jobs
    }

    public init() {}

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("trees", .int(1...10_000), default: .int(100), help: "trees in the ensemble"),
        ParameterSpec("max_depth", .optionalInt(1...10_000), default: .null, help: "maximum tree depth (none: unlimited)"),
        ParameterSpec("min_samples_split", .int(2...1_000_000), default: .int(2), help: "rows a node needs to be split"),
        ParameterSpec("min_samples_leaf", .int(1...1_000_000), default: .int(1), help: "rows every leaf keeps at least"),
        ParameterSpec("max_features", .countOrFraction, default: .null, help: "features tried per split (none: all)"),
        ParameterSpec("bootstrap", .bool, default: .bool(true), help: "train each tree on a bootstrap sample"),
        ParameterSpec("oob", .bool, default: .bool(false), help: "compute the out-of-bag R²"),
        ParameterSpec("seed", .int(0...Int(Int32.max)), default: .int(402), help: "seed for bootstrap and feature sampling"),
        ParameterSpec("jobs", .int(0...1024), default: .int(0), help: "worker threads (0: all cores)"),
    ]

    /// Features to try per split for `p` features.
    func featuresPerSplit(_ p: Int) -> Int {
        switch maxFeatures {
        case .int(let k): return max(1, min(p, k))
        case .double(let f): return max(1, min(p, Int((f * Double(p)).rounded(.down))))
        default: return p
        }
    }
}
