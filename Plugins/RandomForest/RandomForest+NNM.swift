import ModelZoo

/// File layout of a forest: named flat columns over all trees, no per-node pointers.
///
/// - `forest.tree_nodes` u32 [trees]: nodes per tree.
/// - `forest.shape` u8 [⌈nodes/8⌉]: one bit per node in pre-order (1 = split, 0 = leaf; LSB first).
///   The tree structure (left child next, right child after the left subtree) follows from these
///   bits alone, so out-of-range children and cycles cannot be expressed.
/// - `forest.split_feature` [splits] (u8/u16/u32): feature index of each split.
/// - `forest.split_threshold` [splits] (u8/u16/u32): index into that feature's sorted thresholds.
/// - `forest.thresholds` f64 [K] and `forest.threshold_offsets` u32 [features + 1]: feature f's
///   distinct thresholds are `thresholds[offsets[f] ..< offsets[f+1]]`.
/// - `forest.leaf_value` [leaves] (u8/u16/u32): index into `forest.values` f64 [V], the sorted
///   distinct leaf predictions (most leaves are single training targets, so V is small).
extension RandomForest {
    static let maxNodes = 1 << 28

    public func exportState() throws -> [Tensor] {
        guard !treeStarts.isEmpty else { throw ZooError.invalidInput("forest: cannot save an unfitted model") }
        let p = featureCount
        var counts: [UInt32] = []
        for t in 0..<treeStarts.count {
            let end = t + 1 < treeStarts.count ? treeStarts[t + 1] : nodes.count
            counts.append(UInt32(end - treeStarts[t]))
        }
        var bits = [UInt8](repeating: 0, count: (nodes.count + 7) / 8)
        var thresholdsByFeature = [Set<Double>](repeating: [], count: p)
        var leafValues = Set<Double>()
        for (i, node) in nodes.enumerated() {
            if node.feature >= 0 {
                bits[i >> 3] |= 1 << (i & 7)
                thresholdsByFeature[Int(node.feature)].insert(node.value)
            } else {
                leafValues.insert(node.value)
            }
        }
        var tables: [[Double]] = thresholdsByFeature.map { $0.sorted() }
        var offsets: [UInt32] = [0]
        for t in tables { offsets.append(offsets.last! + UInt32(t.count)) }
        let lookup = tables.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, UInt32($0)) }) }
        let values = leafValues.sorted()
        let valueIndex = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, UInt32($0)) })
        var splitFeature: [UInt32] = [], splitThreshold: [UInt32] = [], leafIndex: [UInt32] = []
        var maxThresholdIndex: UInt32 = 0
        for node in nodes {
            if node.feature >= 0 {
                let f = Int(node.feature)
                let k = lookup[f][node.value]!
                splitFeature.append(UInt32(f))
                splitThreshold.append(k)
                maxThresholdIndex = max(maxThresholdIndex, k)
            } else {
                leafIndex.append(valueIndex[node.value]!)
            }
        }
        let flat = tables.flatMap { $0 }
        tables.removeAll()
        return [
            Tensor("forest.tree_nodes", counts),
            Tensor("forest.shape", bits),
            Tensor.indices("forest.split_feature", splitFeature, maxValue: UInt32(max(0, p - 1))),
            Tensor.indices("forest.split_threshold", splitThreshold, maxValue: maxThresholdIndex),
            Tensor("forest.thresholds", flat),
            Tensor("forest.threshold_offsets", offsets),
            Tensor.indices("forest.leaf_value", leafIndex, maxValue: UInt32(max(0, values.count - 1))),
            Tensor("forest.values", values),
        ]
    }

    public init(hyperparameters: ForestHyperparameters, state: TensorBundle, featureCount p: Int) throws {
        self.init(hyperparameters: hyperparameters)
        featureCount = p
        let trees = hyperparameters.trees
        let counts = try state.uint32s("forest.tree_nodes", shape: [trees])
        var total = 0
        for c in counts {
            guard c >= 1 else { throw NNMError.invalidValue(tensor: "forest.tree_nodes", reason: "a tree has no nodes") }
            total += Int(c)
            guard total <= RandomForest.maxNodes else {
                throw NNMError.invalidValue(tensor: "forest.tree_nodes", reason: "more than \(RandomForest.maxNodes) nodes")
            }
        }
        let bits = try state.uint8s("forest.shape", shape: [(total + 7) / 8])
        var splits = 0
        for i in 0..<total where bits[i >> 3] & (1 << (i & 7)) != 0 { splits += 1 }
        if total % 8 != 0, bits[bits.count - 1] >> (total % 8) != 0 {
            throw NNMError.invalidValue(tensor: "forest.shape", reason: "padding bits are set")
        }
        let leaves = total - splits
        let features = try state.indices("forest.split_feature", count: splits)
        let thresholdIndex = try state.indices("forest.split_threshold", count: splits)
        let offsets = try state.uint32s("forest.threshold_offsets", shape: [p + 1])
        let thresholds = try state.doubles("forest.thresholds")
        guard offsets.first == 0, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }), Int(offsets.last!) == thresholds.count else {
            throw NNMError.invalidValue(tensor: "forest.threshold_offsets", reason: "offsets must rise from 0 to \(thresholds.count)")
        }
        let leafIndex = try state.indices("forest.leaf_value", count: leaves)
        let values = try state.doubles("forest.values")

        var out: [TreeNode] = []
        out.reserveCapacity(total)
        var starts: [Int] = []
        var s = 0, l = 0
        var pending: [Int] = []  // splits whose right child is not placed yet
        for (t, c) in counts.enumerated() {
            let start = out.count
            starts.append(start)
            pending.removeAll(keepingCapacity: true)
            for k in 0..<Int(c) {
                let i = start + k
                if k > 0, out[i - 1].feature < 0 {
                    // After a leaf comes the right child of the innermost open split.
                    guard let parent = pending.popLast() else {
                        throw NNMError.invalidValue(tensor: "forest.shape", reason: "tree \(t) has nodes after its last leaf")
                    }
                    out[parent].right = Int32(k)
                }
                if bits[i >> 3] & (1 << (i & 7)) != 0 {
                    let f = Int(features[s]), ti = Int(thresholdIndex[s])
                    guard f < p else {
                        throw NNMError.invalidValue(tensor: "forest.split_feature", reason: "feature \(f) at split \(s), but the model has \(p) features")
                    }
                    guard ti < Int(offsets[f + 1] - offsets[f]) else {
                        throw NNMError.invalidValue(tensor: "forest.split_threshold", reason: "index \(ti) at split \(s) past feature \(f)'s \(offsets[f + 1] - offsets[f]) thresholds")
                    }
                    out.append(TreeNode(value: thresholds[Int(offsets[f]) + ti], feature: Int32(f), right: -1))
                    pending.append(i)
                    s += 1
                } else {
                    let v = Int(leafIndex[l])
                    guard v < values.count else {
                        throw NNMError.invalidValue(tensor: "forest.leaf_value", reason: "index \(v) at leaf \(l) past \(values.count) values")
                    }
                    out.append(TreeNode(value: values[v], feature: -1, right: -1))
                    l += 1
                }
            }
            guard pending.isEmpty, out[out.count - 1].feature < 0 else {
                throw NNMError.invalidValue(tensor: "forest.shape", reason: "tree \(t) ends inside a split")
            }
        }
        nodes = out
        treeStarts = starts
        compiled = CompiledForest(nodes: out, starts: starts, features: p)
    }
}
