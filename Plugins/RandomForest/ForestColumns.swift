import ModelZoo

/// A forest as named flat columns over all trees: the file layout (see `docs/nnm-format.md`) and the
/// source of the prediction layout. Built once from fitted trees, or read and checked from a file.
///
/// - `treeNodes`: nodes per tree. `shape`: one bit per node in pre-order (1 = split), LSB first.
/// - `splitFeature`, `splitThreshold`: per split, its feature and the index of its threshold among
///   that feature's sorted distinct thresholds `thresholds[offsets[f] ..< offsets[f+1]]`.
/// - `leafIndex`: per leaf, the index of its prediction in the sorted distinct `values`.
struct ForestColumns: Sendable, Equatable {
    var treeNodes: [UInt32]
    var shape: [UInt8]
    var splitFeature: [UInt32]
    var splitThreshold: [UInt32]
    var thresholds: [Double]
    var offsets: [UInt32]
    var leafIndex: [UInt32]
    var values: [Double]

    static let maxNodes = 1 << 28

    /// Columns of fitted trees (`starts[t]` is tree t's first node in `nodes`).
    init(nodes: [TreeNode], starts: [Int], features p: Int) {
        treeNodes = starts.indices.map { t in UInt32((t + 1 < starts.count ? starts[t + 1] : nodes.count) - starts[t]) }
        shape = [UInt8](repeating: 0, count: (nodes.count + 7) / 8)
        var perFeature = [Set<Double>](repeating: [], count: p)
        var leafSet = Set<Double>()
        for (i, node) in nodes.enumerated() {
            if node.feature >= 0 {
                shape[i >> 3] |= 1 << (i & 7)
                perFeature[Int(node.feature)].insert(node.value)
            } else {
                leafSet.insert(node.value)
            }
        }
        thresholds = []
        offsets = [0]
        var lookup: [[Double: UInt32]] = []
        for set in perFeature {
            let sorted = set.sorted()
            lookup.append(Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, UInt32($0)) }))
            thresholds += sorted
            offsets.append(UInt32(thresholds.count))
        }
        values = leafSet.sorted()
        let valueIndex = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, UInt32($0)) })
        splitFeature = []
        splitThreshold = []
        leafIndex = []
        for node in nodes {
            if node.feature >= 0 {
                splitFeature.append(UInt32(node.feature))
                splitThreshold.append(lookup[Int(node.feature)][node.value]!)
            } else {
                leafIndex.append(valueIndex[node.value]!)
            }
        }
    }

    func tensors(features p: Int) -> [Tensor] {
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
    init(state: TensorBundle, trees: Int, features p: Int) throws {
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
        leafIndex = try state.indices("forest.leaf_value", count: total - splits)
        values = try state.doubles("forest.values")
        for (s, f) in splitFeature.enumerated() {
            guard Int(f) < p else {
                throw NNMError.invalidValue(tensor: "forest.split_feature", reason: "feature \(f) at split \(s), but the model has \(p) features")
            }
            guard splitThreshold[s] < offsets[Int(f) + 1] - offsets[Int(f)] else {
                throw NNMError.invalidValue(tensor: "forest.split_threshold",
                                            reason: "index \(splitThreshold[s]) at split \(s) past feature \(f)'s \(offsets[Int(f) + 1] - offsets[Int(f)]) thresholds")
            }
        }
        if let bad = leafIndex.firstIndex(where: { Int($0) >= values.count }) {
            throw NNMError.invalidValue(tensor: "forest.leaf_value", reason: "index \(leafIndex[bad]) at leaf \(bad) past \(values.count) values")
        }
    }

    /// The trees as nodes (right-child links rebuilt from the pre-order bits). Throws when the bits do
    /// not describe whole trees: a tree that ends inside a split, or runs on after its last leaf.
    func trees() throws -> (nodes: [TreeNode], starts: [Int]) {
        let total = treeNodes.reduce(0) { $0 + Int($1) }
        var starts: [Int] = []
        starts.reserveCapacity(treeNodes.count)
        var failure: NNMError?
        var pending = [Int](repeating: 0, count: 64)  // splits whose right child is not placed yet
        let nodes = [TreeNode](unsafeUninitializedCapacity: total) { out, initialized in
            shape.withUnsafeBufferPointer { bits in
                splitFeature.withUnsafeBufferPointer { sf in
                    splitThreshold.withUnsafeBufferPointer { st in
                        leafIndex.withUnsafeBufferPointer { li in
                            thresholds.withUnsafeBufferPointer { th in
                                values.withUnsafeBufferPointer { va in
                                    offsets.withUnsafeBufferPointer { off in
                                        var i = 0, s = 0, l = 0
                                        treeLoop: for (t, c) in treeNodes.enumerated() {
                                            let start = i
                                            starts.append(start)
                                            var open = 0
                                            for k in 0..<Int(c) {
                                                if k > 0, out[i - 1].feature < 0 {
                                                    // After a leaf comes the right child of the innermost open split.
                                                    guard open > 0 else {
                                                        failure = .invalidValue(tensor: "forest.shape", reason: "tree \(t) has nodes after its last leaf")
                                                        break treeLoop
                                                    }
                                                    open -= 1
                                                    out[pending[open]].right = Int32(k)
                                                }
                                                if bits[i >> 3] & (1 << (i & 7)) != 0 {
                                                    let f = Int(sf[s])
                                                    out.initializeElement(at: i, to: TreeNode(value: th[Int(off[f] + st[s])], feature: Int32(f), right: -1))
                                                    if open == pending.count { pending.append(0) }
                                                    pending[open] = i
                                                    open += 1
                                                    s += 1
                                                } else {
                                                    out.initializeElement(at: i, to: TreeNode(value: va[Int(li[l])], feature: -1, right: -1))
                                                    l += 1
                                                }
                                                i += 1
                                            }
                                            guard open == 0, out[i - 1].feature < 0 else {
                                                failure = .invalidValue(tensor: "forest.shape", reason: "tree \(t) ends inside a split")
                                                break treeLoop
                                            }
                                        }
                                        initialized = i
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure { throw failure }
        return (nodes, starts)
    }
}
