/// The rows one tree of an ensemble trains on, and the random stream its splits draw from.
public struct BootstrapSample: Sendable {
    /// Per training row, how often the bootstrap drew it (1 for every row without bootstrap).
    public var weight: [Double]
    /// Per training row, 1 when drawn; empty unless asked for (the out-of-bag score needs it).
    public var inBag: [UInt8]
    /// The stream the tree's feature order draws from.
    public var rng: SplitMix64
}

/// Grows an ensemble's trees in parallel. Tree t draws from its own stream `split(t)` of the seed,
/// so the trees do not depend on scheduling or the thread count.
public struct TreeEnsemble: Sendable {
    public var trees: Int
    public var seed: Int
    public var bootstrap: Bool
    /// Keep each tree's in-bag rows (for an out-of-bag score).
    public var keepInBag: Bool

    public init(trees: Int, seed: Int, bootstrap: Bool, keepInBag: Bool) {
        self.trees = trees
        self.seed = seed
        self.bootstrap = bootstrap
        self.keepInBag = keepInBag && bootstrap
    }

    /// Tree t's sample of `n` rows. `featureSampling`: whether splits try a random subset of the
    /// features. Without bootstrap or feature sampling, ties are the only randomness left: every tree
    /// then breaks them the same way, so identical data gives identical trees.
    public func sample(_ t: Int, rows n: Int, featureSampling: Bool) -> BootstrapSample {
        let base = SplitMix64(seed: UInt64(seed))
        var rng = base.split(UInt64(t))
        var weight = [Double](repeating: bootstrap ? 0 : 1, count: n)
        var inBag = [UInt8](repeating: 0, count: keepInBag ? n : 0)
        if bootstrap {
            for _ in 0..<n {
                let r = rng.below(n)
                weight[r] += 1
                if keepInBag { inBag[r] = 1 }
            }
        }
        return BootstrapSample(weight: weight, inBag: inBag, rng: bootstrap || featureSampling ? rng : base.split(UInt64.max))
    }

    /// `grow(t)` for every tree on the cores `Parallel.maxThreads` allows, `progress` after each.
    public func grow<T>(progress: (TrainingProgress) -> Void, _ grow: (Int) -> T) -> [T] {
        let results = Locked([T?](repeating: nil, count: trees))
        let jobs = max(1, min(Parallel.maxThreads, trees))
        let done = Locked(0)
        Parallel.forEach(jobs) { worker in
            for t in stride(from: worker, to: trees, by: jobs) {
                let tree = grow(t)
                results.withLock { $0[t] = tree }
                let k = done.withLock {
                    $0 += 1; return $0
                }
                progress(TrainingProgress(step: k, totalSteps: trees, unit: .tree))
            }
        }
        return results.withLock { $0.map { $0! } }  // every tree was stored by its worker
    }

    /// As scikit-learn: each tree's importances normalised, then averaged, then normalised.
    public static func importances(_ perTree: [[Double]], features p: Int) -> [Double] {
        var imp = [Double](repeating: 0, count: p)
        for t in perTree {
            let total = t.reduce(0, +)
            if total > 0 { for f in 0..<p { imp[f] += t[f] / total } }
        }
        let s = imp.reduce(0, +)
        return s > 0 ? imp.map { $0 / s } : imp
    }

    /// All trees' nodes one tree after another, and where each tree starts.
    public static func concatenated(_ trees: [[TreeNode]]) -> (nodes: [TreeNode], starts: [Int]) {
        var all: [TreeNode] = [], starts: [Int] = []
        for t in trees {
            starts.append(all.count)
            all += t
        }
        return (all, starts)
    }
}
