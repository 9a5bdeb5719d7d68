import ModelZoo

/// One node of a fitted tree, 16 bytes. Nodes are in pre-order: a split's left child is the next
/// node, its right child is at `right` (an index within the same tree, always after the split). A leaf has `feature == -1` and its prediction in `value`.
public struct TreeNode: Sendable, Equatable {
    /// Split threshold (go left when x ≤ threshold), or the leaf's prediction.
    public var value: Double
    /// Split feature, or −1 for a leaf.
    public var feature: Int32
    /// Index of the right child within the tree (splits only).
    public var right: Int32
}

/// Grows one CART regression tree on weighted rows with exact squared-error splits.
///
/// Rows are presorted once per feature; each node owns a contiguous range of every feature's
/// sorted row list, and a split stably partitions those ranges, so a level costs O(features × rows)
/// and no sorting happens below the root.
struct TreeBuilder {
    let n: Int
    let p: Int
    /// Column-major features: `xt[f * n + row]`.
    let xt: UnsafeBufferPointer<Double>
    let y: UnsafeBufferPointer<Double>
    let h: ForestHyperparameters
    let featuresPerSplit: Int

    struct Result {
        var nodes: [TreeNode]
        /// Weighted impurity decrease per feature.
        var importance: [Double]
    }

    /// Grows a tree on rows with `weight[row] > 0`; `sortedAll[f * n ..< (f+1) * n]` lists all rows by
    /// feature f. `rng` orders the features tried at each node.
    /// This tree's in-bag rows (weight > 0), per feature, in the presorted order: `m` rows a feature.
    func inBagOrder(weight: [Double], sortedAll: UnsafeBufferPointer<Int32>) -> (order: [Int32], m: Int) {
        var m = 0
        for r in 0..<n where weight[r] > 0 { m += 1 }
        var order = [Int32](repeating: 0, count: p * m)
        for f in 0..<p {
            var k = f * m
            for i in 0..<n {
                let r = Int(sortedAll[f * n + i])
                if weight[r] > 0 { order[k] = Int32(r); k += 1 }
            }
        }
        return (order, m)
    }

    /// Weighted count and sum of y over a node's rows `O[lo..<hi]` (feature 0's range), and whether y varies.
    @inline(__always)
    func nodeStatistics(_ O: UnsafeMutableBufferPointer<Int32>, lo: Int, hi: Int, W: UnsafePointer<Double>,
                        WY: UnsafePointer<Double>) -> (w: Double, sy: Double, varies: Bool) {
        var w = 0.0, sy = 0.0
        var yMin = Double.infinity, yMax = -Double.infinity
        for i in lo..<hi {
            let r = Int(O[i])
            let yr = y[r]
            w += W[r]; sy += WY[r]
            yMin = min(yMin, yr); yMax = max(yMax, yr)
        }
        return (w, sy, yMin < yMax)
    }

    /// Stably moves the rows going left (`goesLeft`) to the front of every feature's range but `f`'s
    /// (already in order), keeping each side's order.
    @inline(__always)
    func partition(_ O: UnsafeMutableBufferPointer<Int32>, lo: Int, hi: Int, splitFeature f: Int, m: Int,
                   goesLeft: UnsafePointer<Bool>, scratch: UnsafeMutablePointer<Int32>) {
        for g in 0..<p where g != f {
            let seg = g * m
            var l = lo, s = 0
            for i in lo..<hi {
                let r = O[seg + i]
                if goesLeft[Int(r)] { O[seg + l] = r; l += 1 } else { scratch[s] = r; s += 1 }
            }
            for k in 0..<s { O[seg + l + k] = scratch[k] }
        }
    }

    func grow(weight: [Double], sortedAll: UnsafeBufferPointer<Int32>, rng: inout SplitMix64) -> Result {
        var (order, m) = inBagOrder(weight: weight, sortedAll: sortedAll)
        var nodes: [TreeNode] = []
        nodes.reserveCapacity(2 * m)
        var importance = [Double](repeating: 0, count: p)
        var featureOrder = Array(0..<p)
        // Flat scratch through raw pointers: the scans below run ~10⁸ times per forest, and array
        // accesses inside them cost bounds checks and uniqueness checks on every write.
        let goesLeft = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: max(m, 1))
        let W = UnsafeMutablePointer<Double>.allocate(capacity: n)   // weight
        let WY = UnsafeMutablePointer<Double>.allocate(capacity: n)  // weight × y
        defer { goesLeft.deallocate(); scratch.deallocate(); W.deallocate(); WY.deallocate() }
        goesLeft.initialize(repeating: false, count: n)
        for r in 0..<n { W[r] = weight[r]; WY[r] = weight[r] * y[r] }

        struct Task { var lo: Int; var hi: Int; var depth: Int; var parent: Int }
        var stack: [Task] = [Task(lo: 0, hi: m, depth: 0, parent: -1)]
        order.withUnsafeMutableBufferPointer { O in
            while let t = stack.popLast() {
                let index = nodes.count
                if t.parent >= 0 { nodes[t.parent].right = Int32(index) }
                // Over feature 0's range: every feature's range holds the same rows.
                let (w, sy, varies) = nodeStatistics(O, lo: t.lo, hi: t.hi, W: W, WY: WY)
                let count = t.hi - t.lo
                let mean = sy / w
                // Like scikit-learn: split any node that is not pure, as long as a valid split exists.
                let canSplit = count >= h.minSamplesSplit && count >= 2 * h.minSamplesLeaf
                    && (h.maxDepth.map { t.depth < $0 } ?? true) && varies
                var best = (score: -Double.infinity, feature: -1, position: 0, threshold: 0.0)
                if canSplit {
                    // Features in a random order (as scikit-learn): the first `featuresPerSplit` are tried,
                    // and among equally good splits the first wins, so ties (common in small nodes,
                    // where any feature separating two rows scores the same) do not always favour
                    // the first columns.
                    for i in 0..<min(featuresPerSplit, p - 1) {
                        let j = i + rng.below(p - i)
                        featureOrder.swapAt(i, j)
                    }
                    for fi in 0..<featuresPerSplit {
                        let f = featureOrder[fi]
                        let seg = f * m
                        let col = xt.baseAddress! + f * n
                        var wl = 0.0, sl = 0.0
                        let minLeaf = h.minSamplesLeaf
                        // Split after position i: both sides keep at least `minLeaf` rows.
                        let first = t.lo + minLeaf - 1, last = t.hi - minLeaf
                        for i in t.lo..<first {
                            let r = Int(O[seg + i])
                            wl += W[r]; sl += WY[r]
                        }
                        guard first < last else { continue }
                        var xv = col[Int(O[seg + first])]
                        for i in first..<last {
                            let r = Int(O[seg + i])
                            wl += W[r]
                            sl += WY[r]
                            let xn = col[Int(O[seg + i + 1])]
                            defer { xv = xn }
                            if xv >= xn { continue }  // equal values cannot be separated
                            let wr = w - wl, sr = sy - sl
                            let score = sl * sl / wl + sr * sr / wr
                            if score > best.score {
                                var thr = xv + (xn - xv) / 2
                                if thr >= xn || !thr.isFinite { thr = xv }
                                best = (score, f, i + 1 - t.lo, thr)
                            }
                        }
                    }
                }
                guard best.feature >= 0 else {
                    nodes.append(TreeNode(value: mean, feature: -1, right: -1))
                    continue
                }
                importance[best.feature] += best.score - sy * sy / w
                nodes.append(TreeNode(value: best.threshold, feature: Int32(best.feature), right: -1))
                // Partition every feature's range: rows going left first, order kept.
                let f = best.feature
                let splitAt = t.lo + best.position
                for i in t.lo..<t.hi { goesLeft[Int(O[f * m + i])] = i < splitAt }
                partition(O, lo: t.lo, hi: t.hi, splitFeature: f, m: m, goesLeft: goesLeft, scratch: scratch)
                // Feature 0's range must hold this node's rows for the statistics above: it does, for every g.
                stack.append(Task(lo: splitAt, hi: t.hi, depth: t.depth + 1, parent: index))
                stack.append(Task(lo: t.lo, hi: splitAt, depth: t.depth + 1, parent: -1))
            }
        }
        return Result(nodes: nodes, importance: importance)
    }
}

extension TreeNode {
    /// Walks a tree from its root: always terminates, since children are after their parent.
    @inline(__always)
    static func walk(_ root: UnsafePointer<TreeNode>, _ x: UnsafePointer<Double>) -> Double {
        var i = 0
        while true {
            let node = root[i]
            if node.feature < 0 { return node.value }
            i = x[Int(node.feature)] <= node.value ? i + 1 : Int(node.right)
        }
    }
}
