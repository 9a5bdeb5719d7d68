import ModelZoo

/// Grows a forest's trees in parallel from one presorted column-major copy of the data. Each tree
/// draws from its own seeded stream, so the trees do not depend on scheduling or the thread count.
struct ForestGrower {
    struct GrownTree {
        var nodes: [TreeNode]
        var importance: [Double]
        /// Per training row, 1 when the bootstrap drew it (kept only for the out-of-bag score).
        var inBag: [UInt8]
    }

    let data: TrainingData
    let h: ForestHyperparameters

    struct Forest {
        var trees: [GrownTree]

        var inBag: [[UInt8]] { trees.map(\.inBag) }

        func concatenated() -> (nodes: [TreeNode], starts: [Int]) {
            var all: [TreeNode] = [], starts: [Int] = []
            for t in trees {
                starts.append(all.count)
                all += t.nodes
            }
            return (all, starts)
        }

        /// As scikit-learn: each tree's importances normalised, then averaged, then normalised.
        func importances(features p: Int) -> [Double] { Self.importances(trees.map(\.importance), features: p) }

        /// Per-tree importances, each normalised, then averaged, then normalised.
        static func importances(_ perTree: [[Double]], features p: Int) -> [Double] {
            var imp = [Double](repeating: 0, count: p)
            for t in perTree {
                let total = t.reduce(0, +)
                if total > 0 { for f in 0..<p { imp[f] += t[f] / total } }
            }
            let s = imp.reduce(0, +)
            return s > 0 ? imp.map { $0 / s } : imp
        }
    }

    func grow(progress: @Sendable (TrainingProgress) -> Void) -> Forest {
        let n = data.x.rows, p = data.x.cols
        let (xt, sorted) = Self.presort(data.x)
        let trees = h.trees
        let base = SplitMix64(seed: UInt64(h.seed))
        let featuresPerSplit = h.maxFeatures.resolve(features: p)
        let results = Locked([GrownTree?](repeating: nil, count: trees))
        let jobs = max(1, min(Parallel.maxThreads, trees))
        let done = Locked(0)
        xt.withUnsafeBufferPointer { XT in
            data.y.withUnsafeBufferPointer { Y in
                sorted.withUnsafeBufferPointer { S in
                    let builder = TreeBuilder(n: n, p: p, xt: XT, y: Y, h: h, featuresPerSplit: featuresPerSplit)
                    Parallel.forEach(jobs) { worker in
                        for t in stride(from: worker, to: trees, by: jobs) {
                            let tree = growTree(t, builder: builder, sorted: S, base: base, sampled: featuresPerSplit < p)
                            results.withLock { $0[t] = tree }
                            let k = done.withLock { $0 += 1; return $0 }
                            progress(TrainingProgress(step: k, totalSteps: trees, unit: .tree))
                        }
                    }
                }
            }
        }
        return Forest(trees: results.withLock { $0.map { $0! } })  // every tree was stored by its worker
    }

    func growTree(_ t: Int, builder: TreeBuilder, sorted: UnsafeBufferPointer<Int32>, base: SplitMix64,
                  sampled: Bool) -> GrownTree {
        let n = data.x.rows
        var rng = base.split(UInt64(t))
        var weight = [Double](repeating: h.bootstrap ? 0 : 1, count: n)
        var inBag = [UInt8](repeating: 0, count: h.oob && h.bootstrap ? n : 0)
        if h.bootstrap {
            for _ in 0..<n {
                let r = rng.below(n)
                weight[r] += 1
                if h.oob { inBag[r] = 1 }
            }
        }
        // Without bootstrap or feature sampling, ties are the only randomness left: every tree then
        // breaks them the same way, so identical data gives identical trees.
        var splitRng = h.bootstrap || sampled ? rng : base.split(UInt64.max)
        let tree = builder.grow(weight: weight, sortedAll: sorted, rng: &splitRng)
        return GrownTree(nodes: tree.nodes, importance: tree.importance, inBag: inBag)
    }

    /// A column-major copy of `x` and, per feature, the row indices in ascending value order (ties by row).
    static func presort(_ x: Matrix) -> (xt: [Double], sorted: [Int32]) {
        let n = x.rows, p = x.cols
        var xt = [Double](repeating: 0, count: n * p)
        for r in 0..<n { for f in 0..<p { xt[f * n + r] = x.values[r * p + f] } }
        var sorted = [Int32](repeating: 0, count: n * p)
        for f in 0..<p {
            let idx = (0..<n).sorted { a, b in
                let va = xt[f * n + a], vb = xt[f * n + b]
                return va < vb || (va == vb && a < b)
            }
            for i in 0..<n { sorted[f * n + i] = Int32(idx[i]) }
        }
        return (xt, sorted)
    }
}
