/// A training matrix column-major, with every feature's rows presorted once by value (ties by row):
/// what every tree of an ensemble grows from.
public struct PresortedColumns: Sendable {
    public let rows: Int
    public let features: Int
    /// `xt[f * rows + row]`.
    let xt: [Double]
    /// `sorted[f * rows ..< (f + 1) * rows]`: the rows in ascending order of feature f.
    let sorted: [Int32]

    public init(_ x: Matrix) {
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
        rows = n
        features = p
        self.xt = xt
        self.sorted = sorted
    }
}

/// What a grown tree learned besides its nodes.
public struct GrownTree: Sendable {
    public var nodes: [TreeNode]
    /// Regression only: per node, the value it would predict as a leaf (its rows' weighted mean), so
    /// that the tree cut at a depth is the tree a fit with that `max_depth` grows.
    public var nodeValues: [Double] = []
    /// Weighted impurity decrease per feature.
    public var importance: [Double]
    /// Classification only: per leaf (leaf values index it), its weighted class fractions.
    public var distributions: [[Double]]
}

/// Grows CART trees on weighted rows with exact splits, for any `TreeCriterion`.
///
/// Each node owns a contiguous range of every feature's presorted row list, and a split stably
/// partitions those ranges, so a level costs O(features × rows) and no sorting happens below the
/// root. The grower is generic inside this module and specialised for each criterion by the public
/// entry points below: the split scan runs ~10⁸ times per forest.
public struct TreeGrower: Sendable {
    let data: PresortedColumns
    let limits: TreeLimits
    /// Features tried per split (scikit-learn's resolved `max_features`).
    let featuresPerSplit: Int

    public init(data: PresortedColumns, limits: TreeLimits, featuresPerSplit: Int) {
        self.data = data
        self.limits = limits
        self.featuresPerSplit = featuresPerSplit
    }

    /// A regression tree (squared error; a leaf predicts its rows' weighted mean of `y`). Rows with
    /// `weight[row] > 0` take part; `rng` orders the features tried at each node.
    public func regressionTree(y: [Double], weight: [Double], rng: inout SplitMix64) -> GrownTree {
        let n = data.rows
        let W = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let WY = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { W.deallocate(); WY.deallocate() }
        for r in 0..<n { W[r] = weight[r]; WY[r] = weight[r] * y[r] }
        return y.withUnsafeBufferPointer { Y in
            var criterion = SquaredError(y: Y, W: W, WY: WY)
            return grow(weight: weight, criterion: &criterion, rng: &rng, nodeValues: true)
        }
    }

    /// A classification tree (gini or entropy) over class indices `y` in 0..<classes; a leaf's value
    /// indexes the returned `distributions`.
    public func classificationTree(
        y: [Int32], classes k: Int, criterion kind: SplitCriterion, weight: [Double],
        rng: inout SplitMix64
    ) -> GrownTree {
        let total = UnsafeMutablePointer<Double>.allocate(capacity: k)
        let left = UnsafeMutablePointer<Double>.allocate(capacity: k)
        defer { total.deallocate(); left.deallocate() }
        return y.withUnsafeBufferPointer { Y in
            weight.withUnsafeBufferPointer { Wt in
                var criterion = ClassImpurity(y: Y, weight: Wt.baseAddress!, k: k, gini: kind == .gini, total: total, left: left)
                var tree = grow(weight: weight, criterion: &criterion, rng: &rng, nodeValues: false)
                tree.distributions = criterion.distributions
                return tree
            }
        }
    }

    /// This tree's in-bag rows (weight > 0), per feature, in the presorted order: `m` rows a feature.
    /// Every row is written and the position moves on only for an in-bag one: a bootstrap keeps
    /// ~63% of the rows at random, so a branch on it missed a third of the time (16% of fitting
    /// the BMI-category forest).
    func inBagOrder(weight: [Double]) -> (order: [Int32], m: Int) {
        let n = data.rows, p = data.features
        var m = 0
        for r in 0..<n where weight[r] > 0 { m += 1 }
        // One slot past the end for the out-of-bag rows after the last feature's last in-bag row.
        var order = [Int32](repeating: 0, count: p * m + 1)
        data.sorted.withUnsafeBufferPointer { sortedAll in
            weight.withUnsafeBufferPointer { W in
                order.withUnsafeMutableBufferPointer { O in
                    for f in 0..<p {
                        var k = f * m
                        for i in 0..<n {
                            let r = Int(sortedAll[f * n + i])
                            O[k] = Int32(r)
                            k += W[r] > 0 ? 1 : 0
                        }
                    }
                }
            }
        }
        order.removeLast()
        return (order, m)
    }

    /// A candidate split: after `position` rows of the node's range in `feature`'s order.
    struct Split {
        var score = -Double.infinity
        var feature = -1
        var position = 0
        var threshold = 0.0
    }

    /// A node still to grow: its rows `lo..<hi` of every feature's range, the split whose right child
    /// it is, and the seed of its own random stream.
    struct NodeTask { var lo: Int; var hi: Int; var depth: Int; var parent: Int; var seed: UInt64 }

    /// A node's children's seeds: its own stream's first two values. Each node draws its feature
    /// order from a stream fixed by its path from the root, not from one stream shared in growth
    /// order, so a node's split does not depend on how deep the subtrees grown before it went: the
    /// tree grown with `max_depth` d is this tree cut at depth d (`zoo tune` grows the deepest once).
    @inline(__always)
    static func childSeeds(_ seed: UInt64) -> (left: UInt64, right: UInt64) {
        var g = SplitMix64(seed: seed ^ 0x6A09_E667_F3BC_C909)
        return (g.next(), g.next())
    }

    func grow<C: TreeCriterion>(weight: [Double], criterion c: inout C, rng: inout SplitMix64, nodeValues keepValues: Bool) -> GrownTree {
        let n = data.rows, p = data.features
        var (order, m) = inBagOrder(weight: weight)
        var nodes: [TreeNode] = []
        nodes.reserveCapacity(2 * m)
        var importance = [Double](repeating: 0, count: p)
        var values: [Double] = []
        if keepValues { values.reserveCapacity(2 * m) }
        var featureOrder = Array(0..<p)
        // Flat scratch through raw pointers: array accesses in the scans cost bounds and uniqueness checks.
        let goesLeft = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: max(m, 1))
        defer { goesLeft.deallocate(); scratch.deallocate() }
        goesLeft.initialize(repeating: false, count: n)

        var stack: [NodeTask] = [NodeTask(lo: 0, hi: m, depth: 0, parent: -1, seed: rng.next())]
        data.xt.withUnsafeBufferPointer { XT in
            order.withUnsafeMutableBufferPointer { O in
                let O = O.baseAddress!
                while let t = stack.popLast() {
                    let index = nodes.count
                    if t.parent >= 0 { nodes[t.parent].right = Int32(index) }
                    // Over feature 0's range: every feature's range holds the same rows.
                    let impure = c.beginNode(O, lo: t.lo, hi: t.hi)
                    if keepValues { values.append(c.leaf()) }
                    var best = Split()
                    // Like scikit-learn: split any node that is not pure, as long as a valid split exists.
                    if impure && limits.allowsSplit(count: t.hi - t.lo, depth: t.depth) {
                        var nodeRng = SplitMix64(seed: t.seed)
                        for i in 0..<p { featureOrder[i] = i }
                        shuffleFeatures(&featureOrder, rng: &nodeRng)
                        for f in featureOrder[0..<featuresPerSplit] {
                            scan(feature: f, O + f * m, lo: t.lo, hi: t.hi, column: XT.baseAddress! + f * n, criterion: &c, best: &best)
                        }
                    }
                    guard best.feature >= 0 else {
                        nodes.append(TreeNode(value: c.leaf(), feature: -1, right: -1))
                        continue
                    }
                    importance[best.feature] += c.decrease(best.score)
                    nodes.append(TreeNode(value: best.threshold, feature: Int32(best.feature), right: -1))
                    let splitAt = t.lo + best.position
                    for i in t.lo..<t.hi { goesLeft[Int(O[best.feature * m + i])] = i < splitAt }
                    partition(O, lo: t.lo, hi: t.hi, splitFeature: best.feature, m: m, goesLeft: goesLeft, scratch: scratch)
                    let seeds = Self.childSeeds(t.seed)
                    stack.append(NodeTask(lo: splitAt, hi: t.hi, depth: t.depth + 1, parent: index, seed: seeds.right))
                    stack.append(NodeTask(lo: t.lo, hi: splitAt, depth: t.depth + 1, parent: -1, seed: seeds.left))
                }
            }
        }
        return GrownTree(nodes: nodes, nodeValues: values, importance: importance, distributions: [])
    }

    /// Features in a random order (as scikit-learn): the first `featuresPerSplit` are tried, and among
    /// equally good splits the first wins, so ties (common in small nodes, where any feature
    /// separating two rows scores the same) do not always favour the first columns.
    @inline(__always)
    func shuffleFeatures(_ featureOrder: inout [Int], rng: inout SplitMix64) {
        let p = featureOrder.count
        for i in 0..<min(featuresPerSplit, p - 1) {
            let j = i + rng.below(p - i)
            featureOrder.swapAt(i, j)
        }
    }

    /// The best split of rows `rows[lo..<hi]` (in `feature`'s order) on that feature, if better than
    /// `best`: both sides keep at least `min_samples_leaf` rows, and equal values are never separated.
    @inline(__always)
    func scan<C: TreeCriterion>(
        feature f: Int, _ rows: UnsafeMutablePointer<Int32>, lo: Int, hi: Int,
        column col: UnsafePointer<Double>, criterion c: inout C, best: inout Split
    ) {
        c.resetLeft()
        let minLeaf = limits.minSamplesLeaf
        // Split after position i: both sides keep at least `minLeaf` rows.
        let first = lo + minLeaf - 1, last = hi - minLeaf
        for i in lo..<first { c.addLeft(Int(rows[i])) }
        guard first < last else { return }
        var xv = col[Int(rows[first])]
        for i in first..<last {
            c.addLeft(Int(rows[i]))
            let xn = col[Int(rows[i + 1])]
            defer { xv = xn }
            if xv >= xn { continue }  // equal values cannot be separated
            let score = c.score()
            if score > best.score {
                var thr = xv + (xn - xv) / 2
                if thr >= xn || !thr.isFinite { thr = xv }
                best = Split(score: score, feature: f, position: i + 1 - lo, threshold: thr)
            }
        }
    }

    /// Stably moves the rows going left (`goesLeft`) to the front of every feature's range but `f`'s
    /// (already in order), keeping each side's order; feature 0's range then holds each child's rows.
    @inline(__always)
    func partition(
        _ O: UnsafeMutablePointer<Int32>, lo: Int, hi: Int, splitFeature f: Int, m: Int,
        goesLeft: UnsafePointer<Bool>, scratch: UnsafeMutablePointer<Int32>
    ) {
        for g in 0..<data.features where g != f {
            let row = O + g * m
            var l = lo, s = 0
            // Branch-free: each row is written to both places and counts on the side it goes to (l
            // never passes i, so nothing unread is overwritten). Which side a row goes is a coin toss
            // to the branch predictor: the branching loop was a third of growing a BMI forest.
            for i in lo..<hi {
                let r = row[i], left = goesLeft[Int(r)] ? 1 : 0
                row[l] = r
                scratch[s] = r
                l &+= left
                s &+= 1 &- left
            }
            for k in 0..<s { row[l + k] = scratch[k] }
        }
    }
}
