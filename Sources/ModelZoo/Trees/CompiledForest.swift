import CZooKernels

/// A prediction-only layout of a forest that walks many rows through one tree in lockstep.
///
/// - Thresholds become ranks: each feature's distinct thresholds are sorted once, a row's value
///   becomes its rank among them (one binary search per feature per row), and `x ≤ t_k` is exactly
///   `rank(x) ≤ k`, an integer compare.
/// - A node is four 32-bit words `[key, 8 × feature, child, leaf]`; a split's children are side by side
///   at word offsets `child` and `child + 4` (links are word offsets, 4 × the node's index, so the
///   walk addresses a node without a shift), and the next node is `child + 4 · (rank > key)`: arithmetic, not a
///   choice. Written as a choice, the compiler turns it into a jump, and which child comes next is a
///   coin toss to the branch predictor (measured: 3× slower).
/// - A leaf is its own child, with a key no rank exceeds (its `leaf` word is the index of its value
///   in `values`), so every row takes exactly `depth` steps without testing whether it arrived;
///   walking a block of rows together keeps many independent loads in flight.
public struct CompiledForest: Sendable {
    /// Four words per node, tree t's nodes from `starts[t]`, its root first; child links are word
    /// offsets (4 × the child's index) from the tree's start.
    let nodes: [UInt32]
    /// Distinct leaf predictions (the file's `values` column).
    let leafValues: [Double]
    public let starts: [Int]
    public let depths: [Int]
    /// Each feature's thresholds, and a row value's rank among them.
    let ranking: ThresholdRanks
    let features: Int

    public var nodeCount: Int { nodes.count / 4 }

    /// Builds the layout from a forest's columns (fitted, or read from a file), trees in parallel,
    /// checking the structure as it goes: a tree that ends inside a split, or runs on after its last
    /// leaf, is an `NNMError` (the columns' counts and index ranges were checked when read).
    /// Where each tree starts in the node column and in the split column: prefix sums of node counts
    /// and of the split bits in each tree's range (its leaves start at node start − split start).
    static func treeOffsets(_ c: ForestColumns) -> (starts: [Int], firstSplit: [Int], total: Int) {
        let trees = c.treeNodes.count
        var starts = [Int](repeating: 0, count: trees), firstSplit = [Int](repeating: 0, count: trees)
        var total = 0, splits = 0
        c.shape.withUnsafeBufferPointer { bits in
            for t in 0..<trees {
                starts[t] = total
                firstSplit[t] = splits
                var i = total
                let end = total + Int(c.treeNodes[t])
                while i < end && i & 7 != 0 { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                while i + 8 <= end { splits += bits[i >> 3].nonzeroBitCount; i += 8 }
                while i < end { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                total = end
            }
        }
        return (starts, firstSplit, total)
    }

    public init(columns c: ForestColumns, features: Int) throws {
        // Leaves read feature 0's rank (and ignore it): there must be one.
        guard features >= 1 else {
            throw NNMError.invalidValue(tensor: "forest.threshold_offsets", reason: "a forest needs at least one feature")
        }
        // A node holds 8 × its feature in 32 bits.
        guard features <= Int(UInt32.max / 8) else {
            throw NNMError.invalidValue(
                tensor: "forest.threshold_offsets", reason: "\(features) features, over the \(UInt32.max / 8) a forest may have")
        }
        let trees = c.treeNodes.count
        let (starts, firstSplit, total) = Self.treeOffsets(c)
        var depths = [Int](repeating: 0, count: trees)
        var failures = [(any Error)?](repeating: nil, count: trees)
        // Every word is written by exactly one tree's task below (trees tile the node range).
        var built = [UInt32](unsafeUninitializedCapacity: 4 * total) { _, initialized in initialized = 4 * total }
        built.withUnsafeMutableBufferPointer { out in
            depths.withUnsafeMutableBufferPointer { depths in
                failures.withUnsafeMutableBufferPointer { failures in
                    c.shape.withUnsafeBufferPointer { bits in
                        c.splitFeature.withUnsafeBufferPointer { sf in
                            c.splitThreshold.withUnsafeBufferPointer { st in
                                c.leafIndex.withUnsafeBufferPointer { li in
                                    let source = TreeSource(bits: bits, feature: sf, threshold: st, leaf: li)
                                    Parallel.forEach(trees) { t in
                                        do {
                                            depths[t] = try Self.compileTree(
                                                t, from: source, start: starts[t], count: Int(c.treeNodes[t]), firstSplit: firstSplit[t],
                                                into: out.baseAddress! + 4 * starts[t])
                                        } catch {
                                            failures[t] = error
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        let levels = depths.reduce(0, +)
        guard levels <= ForestColumns.maxTotalDepth else {
            throw NNMError.invalidValue(
                tensor: "forest.shape",
                reason: "the trees' depths add up to \(levels) levels a row, over the \(ForestColumns.maxTotalDepth) a file may hold")
        }
        nodes = built
        leafValues = c.values
        self.starts = starts
        self.depths = depths
        ranking = ThresholdRanks(thresholds: c.thresholds, offsets: c.offsets.map { Int64($0) })
        self.features = features
    }

    /// The file's forest columns, read by `compileTree`.
    struct TreeSource: @unchecked Sendable {
        let bits: UnsafeBufferPointer<UInt8>
        let feature: UnsafeBufferPointer<UInt32>
        let threshold: UnsafeBufferPointer<UInt32>
        let leaf: UnsafeBufferPointer<UInt32>
    }

    /// A node's key for a leaf: no rank is greater, so a leaf's next node is always its `child`, itself.
    static let leafKey = UInt32(Int32.max)

    /// Compiles tree `t` (`count` nodes in pre-order from node `start`, its splits from `firstSplit`)
    /// into `tree` and returns its depth. Checks the structure as it goes: a tree that ends inside a
    /// split, runs on after its last leaf or is deeper than `ForestColumns.maxDepth` is an `NNMError`.
    ///
    /// The file's pre-order is relaid so that every split's two children sit side by side: a node is
    /// `[key, feature, child, leaf]` and the next node is `child + 4 · (rank > key)`, an add instead of a
    /// second dependent load (1,000,000 BMI rows, 100 trees: see docs/benchmarks.md).
    static func compileTree(
        _ t: Int, from source: TreeSource, start: Int, count n: Int, firstSplit: Int, into tree: UnsafeMutablePointer<UInt32>
    ) throws -> Int {
        // The pre-order as read: a split's left child is the next node, its right child recorded when
        // reached; `entry[k]` is node k's index in the split or leaf columns (both in pre-order).
        var right = [Int32](repeating: -1, count: n), entry = [Int32](repeating: 0, count: n)
        var nextSplit = firstSplit, nextLeaf = start - firstSplit
        var pending: [Int32] = [], depthOf: [Int32] = []
        var depth: Int32 = 0, maxDepth: Int32 = 0
        var previousWasLeaf = false
        for k in 0..<n {
            if k > 0 && previousWasLeaf {
                // After a leaf comes the right child of the innermost open split.
                guard let parent = pending.popLast() else {
                    throw NNMError.invalidValue(tensor: "forest.shape", reason: "tree \(t) has nodes after its last leaf")
                }
                right[Int(parent)] = Int32(k)
                depth = depthOf.removeLast() + 1
            } else if k > 0 {
                depth += 1
            }
            maxDepth = max(maxDepth, depth)
            guard maxDepth <= ForestColumns.maxDepth else {
                throw NNMError.invalidValue(tensor: "forest.shape", reason: "tree \(t) is deeper than \(ForestColumns.maxDepth) levels")
            }
            let i = start + k
            previousWasLeaf = source.bits[i >> 3] >> (i & 7) & 1 == 0
            if previousWasLeaf {
                entry[k] = Int32(nextLeaf)
                nextLeaf += 1
            } else {
                entry[k] = Int32(nextSplit)
                nextSplit += 1
                pending.append(Int32(k))
                depthOf.append(depth)
            }
        }
        guard pending.isEmpty, previousWasLeaf else {
            throw NNMError.invalidValue(tensor: "forest.shape", reason: "tree \(t) ends inside a split")
        }
        relay(from: source, right: right, entry: entry, into: tree)
        return Int(maxDepth)
    }

    /// Writes a checked pre-order tree in the paired layout: depth first, left subtree first, each
    /// split's children given the next two free slots when the split is placed.
    static func relay(from source: TreeSource, right: [Int32], entry: [Int32], into tree: UnsafeMutablePointer<UInt32>) {
        var stack: [(node: Int32, slot: Int32)] = [(0, 0)]
        var free: Int32 = 1
        while let (k, q) = stack.popLast() {
            let node = tree + 4 * Int(q)
            let e = Int(entry[Int(k)])
            if right[Int(k)] >= 0 {
                node[0] = source.threshold[e]
                node[1] = 8 * source.feature[e]
                node[2] = 4 * UInt32(free)
                node[3] = 0
                stack.append((right[Int(k)], free + 1))
                stack.append((k + 1, free))
                free += 2
            } else {
                node[0] = leafKey
                node[1] = 0
                node[2] = 4 * UInt32(q)
                node[3] = source.leaf[e]
            }
        }
    }

    /// The ranks of rows `lo..<hi` of `x` among each feature's thresholds (row-major, `p` a row):
    /// the position of the first threshold ≥ the value, so `x ≤ t_k` is `rank ≤ k`.
    /// In blocks of eight rows, feature-major within a block, padded to a multiple of eight rows (the
    /// walk's layout: see `zoo_forest_walk_tree`).
    func ranks(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int) -> [Int32] { ranking.ranks(x, p: p, lo: lo, hi: hi) }

    /// `n` rounded up to whole blocks of eight rows.
    static func padded(_ n: Int) -> Int { (n + 7) & ~7 }

    /// Adds every tree's prediction for rows `lo..<hi` of `x` (row-major, `p` columns) into `out`.
    public func accumulate(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, into out: UnsafeMutablePointer<Double>) {
        leafValues.withUnsafeBufferPointer { V in
            let values = V.baseAddress!
            walk(x, p: p, lo: lo, hi: hi) { keys, n in
                for r in 0..<n { out[lo + r] += values[Int(keys[r])] }
            }
        }
    }

    /// Walks rows `lo..<hi` of `x` through every tree, tree by tree, and after each tree calls
    /// `leaves(keys, n)` with the key of the leaf each row reached (`keys[r]` for row `lo + r`), so
    /// each row's sum over the trees is added in tree order, as a row-by-row walk would. The walk itself is
    /// the C kernel `zoo_forest_walk_tree`: clang keeps eight rows' chains in registers where Swift's
    /// version of the same loop did not (`zoo predict` of 1,000,000 BMI rows with the shipped 100-tree
    /// forest: 2.0 s → 1.55 s; with the paired layout, branch-free ranks and the leaf early exit,
    /// 1.33 s).
    @inline(__always)
    func walk(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, leaves: (_ keys: UnsafePointer<UInt32>, _ n: Int) -> Void) {
        let n = hi - lo
        guard n > 0 else { return }
        // The C kernels read p ranks a row and each feature's threshold range: p must be the forest's.
        precondition(p == features, "a forest of \(features) features walked with \(p)")
        let ranks = ranks(x, p: p, lo: lo, hi: hi)
        var keys = [UInt32](repeating: 0, count: Self.padded(n))
        nodes.withUnsafeBufferPointer { N in
            ranks.withUnsafeBufferPointer { R in
                keys.withUnsafeMutableBufferPointer { K in
                    for t in 0..<starts.count {
                        // The next tree is fetched while this one is walked when the rows will meet
                        // most of its nodes: a full-depth regression tree (BMI: 25,000 nodes, 400 KB)
                        // is out of cache, and a few thousand rows (a 10,000-row serving request on
                        // two cores) met its nodes cold, one miss at a time: 10,000-row requests to
                        // `zoo serve` 37.6 → 56.4 req/s, `zoo predict` of 1,000,000 rows 1.42 → 1.27 s.
                        // A single row touches one path: fetching whole trees for it cut single-row
                        // requests from 18,100 to 3,800 req/s.
                        if t + 1 < starts.count {
                            let next = starts[t + 1], end = t + 2 < starts.count ? starts[t + 2] : nodes.count / 4
                            if n * depths[t + 1] >= end - next {
                                zoo_prefetch(N.baseAddress! + 4 * next, Int64(16 * (end - next)))
                            }
                        }
                        zoo_forest_walk_tree(
                            N.baseAddress! + 4 * starts[t], Int64(depths[t]), R.baseAddress!, Int64(p), Int64(n), K.baseAddress!)
                        leaves(K.baseAddress!, n)
                    }
                }
            }
        }
    }
}
