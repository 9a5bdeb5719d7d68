/// A forest as named flat columns over all trees: the file layout (see `docs/nnm-format.md`) and the
/// source of the prediction layout. Built once from fitted trees, or read and checked from a file.
///
/// - `treeNodes`: nodes per tree. `shape`: one bit per node in pre-order (1 = split), LSB first.
/// - `splitFeature`, `splitThreshold`: per split, its feature and the index of its threshold among
///   that feature's sorted distinct thresholds `thresholds[offsets[f] ..< offsets[f+1]]`.
/// - `leafIndex`: per leaf, the index of its prediction in the sorted distinct `values`.
public struct ForestColumns: Sendable, Equatable {
    public internal(set) var treeNodes: [UInt32]
    var shape: [UInt8]
    var splitFeature: [UInt32]
    var splitThreshold: [UInt32]
    var thresholds: [Double]
    var offsets: [UInt32]
    var leafIndex: [UInt32]
    public internal(set) var values: [Double]

    public static let maxNodes = 1 << 28
    /// The deepest tree a file may hold (the top of `max_depth`'s range): prediction walks every
    /// level of every tree for every row, so depth bounds the time per row.
    public static let maxDepth = 10_000
    /// The most levels one row may walk over all trees together (every row takes each tree's depth in
    /// steps): 10,000 trees 200 levels deep. Without it, 10,000 trees of the deepest kind would cost
    /// 10⁸ steps a row from a file of a few megabytes.
    public static let maxTotalDepth = 2_000_000

    /// Columns of fitted trees (`starts[t]` is tree t's first node in `nodes`).
    public init(nodes: [TreeNode], starts: [Int], features p: Int) {
        treeNodes = starts.indices.map { t in UInt32((t + 1 < starts.count ? starts[t + 1] : nodes.count) - starts[t]) }
        shape = [UInt8](repeating: 0, count: (nodes.count + 7) / 8)
        // One pass in node order: the shape bits, each split's feature, and the values to index, grouped
        // per feature (thresholds) and for the leaves (group p).
        var groups = [[Double]](repeating: [], count: p + 1)
        splitFeature = []
        for (i, node) in nodes.enumerated() {
            if node.feature >= 0 {
                shape[i >> 3] |= 1 << (i & 7)
                splitFeature.append(UInt32(node.feature))
                groups[Int(node.feature)].append(node.value)
            } else {
                groups[p].append(node.value)
            }
        }
        // Per group, in parallel (the leaves on one core, the features on the other): its sorted
        // distinct values, and each member's index among them.
        var distinct = [[Double]](repeating: [], count: p + 1)
        var indices = [[UInt32]](repeating: [], count: p + 1)
        groups.withUnsafeBufferPointer { G in
            distinct.withUnsafeMutableBufferPointer { D in
                indices.withUnsafeMutableBufferPointer { I in
                    Parallel.forEach(p + 1) { k in
                        let g = p - k  // the leaves, the largest group, first
                        let sorted = Set(G[g]).sorted()
                        let lookup = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, UInt32($0)) })
                        I[g] = G[g].map { lookup[$0]! }  // every member is in `sorted`
                        D[g] = sorted
                    }
                }
            }
        }
        thresholds = distinct[..<p].flatMap { $0 }
        offsets = [0]
        for f in 0..<p { offsets.append(offsets[f] + UInt32(distinct[f].count)) }
        values = distinct[p]
        leafIndex = indices[p]
        // Split s's threshold index: the next unused member of its feature's group, in node order.
        var next = [Int](repeating: 0, count: p)
        splitThreshold = splitFeature.map { f in
            defer { next[Int(f)] += 1 }
            return indices[Int(f)][next[Int(f)]]
        }
    }

    /// The trees as pre-order nodes (a split's left child next, its right child at `right`), one
    /// tree after another, and where each tree starts: the training-time form, rebuilt.
    public func trees() -> (nodes: [TreeNode], starts: [Int]) {
        var nodes: [TreeNode] = [], starts: [Int] = []
        nodes.reserveCapacity(leafIndex.count + splitFeature.count)
        var split = 0, leaf = 0
        for count in treeNodes {
            let start = nodes.count
            starts.append(start)
            var open: [Int] = []  // splits whose right child is still to come, deepest last
            for i in start..<(start + Int(count)) {
                if i > start, nodes[i - 1].feature < 0, let parent = open.popLast() { nodes[parent].right = Int32(i - start) }
                if shape[i >> 3] >> (i & 7) & 1 == 1 {
                    let f = Int(splitFeature[split])
                    let threshold = thresholds[Int(offsets[f] + splitThreshold[split])]
                    nodes.append(TreeNode(value: threshold, feature: Int32(f), right: 0))
                    open.append(i)
                    split += 1
                } else {
                    nodes.append(TreeNode(value: values[Int(leafIndex[leaf])], feature: -1, right: -1))
                    leaf += 1
                }
            }
        }
        return (nodes, starts)
    }

    public func tensors(features p: Int) -> [Tensor] {
        [
            Tensor("forest.tree_nodes", treeNodes),
            Tensor("forest.shape", shape),
            Tensor.indices("forest.split_feature", splitFeature, maxValue: UInt32(max(0, p - 1))),
            Tensor.indices("forest.split_threshold", splitThreshold, maxValue: splitThreshold.max() ?? 0),
            Tensor("forest.thresholds", thresholds),
            Tensor("forest.threshold_offsets", offsets),
            Tensor.indices("forest.leaf_value", leafIndex, maxValue: UInt32(max(0, values.count - 1))),
            Tensor("forest.values", values),
        ]
    }

    /// Reads the columns of a `trees`-tree forest over `p` features, checking counts, shapes and ranges.
    public init(state: TensorBundle, trees: Int, features p: Int) throws {
        treeNodes = try state.uint32s("forest.tree_nodes", shape: [trees])
        var total = 0
        for c in treeNodes {
            guard c >= 1 else { throw NNMError.invalidValue(tensor: "forest.tree_nodes", reason: "a tree has no nodes") }
            total += Int(c)
            guard total <= ForestColumns.maxNodes else {
                throw NNMError.invalidValue(tensor: "forest.tree_nodes", reason: "more than \(ForestColumns.maxNodes) nodes")
            }
        }
        shape = try state.uint8s("forest.shape", shape: [(total + 7) / 8])
        var splits = 0
        for byte in shape { splits += byte.nonzeroBitCount }
        if total % 8 != 0, shape[shape.count - 1] >> (total % 8) != 0 {
            throw NNMError.invalidValue(tensor: "forest.shape", reason: "padding bits are set")
        }
        splitFeature = try state.indices("forest.split_feature", count: splits)
        splitThreshold = try state.indices("forest.split_threshold", count: splits)
        offsets = try state.uint32s("forest.threshold_offsets", shape: [p + 1])
        thresholds = try state.doubles("forest.thresholds")
        guard offsets.first == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), Int(offsets.last!) == thresholds.count else {
            throw NNMError.invalidValue(tensor: "forest.threshold_offsets", reason: "offsets must rise from 0 to \(thresholds.count)")
        }
        // The writer stores each feature's thresholds sorted and distinct: prediction ranks values among
        // them by binary search, so unsorted ones would silently contradict "left when x ≤ threshold".
        let th = thresholds, off = offsets
        for f in 0..<p {
            let a = Int(off[f]), b = Int(off[f + 1])
            if a < b, let k = (a..<b - 1).first(where: { !(th[$0] < th[$0 + 1]) }) {
                throw NNMError.invalidValue(
                    tensor: "forest.thresholds",
                    reason: "feature \(f)'s thresholds are not sorted and distinct (at index \(k + 1))")
            }
        }
        leafIndex = try state.indices("forest.leaf_value", count: total - splits)
        values = try state.doubles("forest.values")
        let v = values
        if let k = v.indices.dropFirst().first(where: { !(v[$0 - 1] < v[$0]) }) {
            throw NNMError.invalidValue(tensor: "forest.values", reason: "values are not sorted and distinct (at index \(k))")
        }
        for (s, f) in splitFeature.enumerated() {
            guard Int(f) < p else {
                throw NNMError.invalidValue(
                    tensor: "forest.split_feature", reason: "feature \(f) at split \(s), but the model has \(p) features")
            }
            guard splitThreshold[s] < offsets[Int(f) + 1] - offsets[Int(f)] else {
                throw NNMError.invalidValue(
                    tensor: "forest.split_threshold",
                    reason:
                        "index \(splitThreshold[s]) at split \(s) past feature \(f)'s \(offsets[Int(f) + 1] - offsets[Int(f)]) thresholds")
            }
        }
        if let bad = leafIndex.firstIndex(where: { Int($0) >= values.count }) {
            throw NNMError.invalidValue(
                tensor: "forest.leaf_value", reason: "index \(leafIndex[bad]) at leaf \(bad) past \(values.count) values")
        }
    }
}
