/// Forests derived from a compiled forest without rebuilding it: its first trees, or every tree cut
/// at a depth. Both keep the parent's thresholds (a subset's splits rank the same among them), so a
/// search scores its cut and shortened candidates without building their file columns (building
/// them was half of `zoo tune`'s time on the BMI forest grid).
extension CompiledForest {
    init(
        nodes: [UInt32], leafValues: [Double], starts: [Int], depths: [Int], ranking: ThresholdRanks, features: Int
    ) {
        self.nodes = nodes
        self.leafValues = leafValues
        self.starts = starts
        self.depths = depths
        self.ranking = ranking
        self.features = features
    }

    /// The first `count` trees (1 ≤ count ≤ the trees).
    public func prefix(_ count: Int) -> CompiledForest {
        precondition((1...starts.count).contains(count))
        let end = count < starts.count ? starts[count] : nodes.count / 4
        return CompiledForest(
            nodes: Array(nodes[..<(4 * end)]), leafValues: leafValues, starts: Array(starts[..<count]),
            depths: Array(depths[..<count]), ranking: ranking, features: features)
    }

    /// Every tree cut at `maxDepth` levels: a split at that depth becomes a leaf predicting
    /// `nodeValues[i]`, where i counts the forest's nodes in pre-order (a regression forest's node
    /// means, kept from its fit). Regression forests only: a leaf word indexes `leafValues`.
    public func truncated(maxDepth: Int, nodeValues: ArraySlice<Double>) -> CompiledForest {
        precondition(maxDepth >= 1 && nodeValues.startIndex == 0 && nodeValues.count == nodes.count / 4)
        var out: [UInt32] = [], values = leafValues, newStarts: [Int] = [], newDepths: [Int] = []
        out.reserveCapacity(nodes.count)
        var preorder = 0
        for t in starts.indices {
            newStarts.append(out.count / 4)
            newDepths.append(cut(tree: t, maxDepth: maxDepth, nodeValues: nodeValues, preorder: &preorder, into: &out, values: &values))
        }
        return CompiledForest(
            nodes: out, leafValues: values, starts: newStarts, depths: newDepths, ranking: ranking,
            features: features)
    }

    /// Appends tree t cut at `maxDepth` in the paired layout and returns its depth. The walk visits
    /// every node of the tree in pre-order (a split's left child, at word `child`, before its right, at
    /// `child + 4`), so `preorder` stays the node's index in `nodeValues`; nodes below a cut are
    /// visited only to count them.
    func cut(
        tree t: Int, maxDepth: Int, nodeValues: ArraySlice<Double>, preorder: inout Int, into out: inout [UInt32], values: inout [Double]
    ) -> Int {
        let base = out.count / 4, root = starts[t]
        out.append(contentsOf: repeatElement(0, count: 4))
        var free: UInt32 = 1, depth = 0
        // (node relative to the tree's start, its depth, its slot in the new tree; −1 below a cut)
        var stack: [(node: Int, depth: Int, slot: Int)] = [(0, 0, 0)]
        while let (i, d, q) = stack.popLast() {
            let node = 4 * (root + i), value = nodeValues[preorder]
            preorder += 1
            let isSplit = nodes[node] != Self.leafKey
            if isSplit {
                let child = Int(nodes[node + 2]) / 4
                stack.append((child + 1, d + 1, q >= 0 && d < maxDepth ? Int(free) + 1 : -1))
                stack.append((child, d + 1, q >= 0 && d < maxDepth ? Int(free) : -1))
            }
            guard q >= 0 else { continue }
            depth = max(depth, d)
            let w = 4 * (base + q)
            if isSplit && d < maxDepth {
                (out[w], out[w + 1], out[w + 2], out[w + 3]) = (nodes[node], nodes[node + 1], 4 * free, 0)
                out.append(contentsOf: repeatElement(0, count: 8))  // the two children's slots
                free += 2
            } else {
                let leaf = isSplit ? UInt32(values.count) : nodes[node + 3]
                if isSplit { values.append(value) }
                (out[w], out[w + 1], out[w + 2], out[w + 3]) = (Self.leafKey, 0, 4 * UInt32(q), leaf)
            }
        }
        return depth
    }
}
