/// One node of a fitted tree, 16 bytes. Nodes are in pre-order: a split's left child is the next
/// node, its right child is at `right` (an index within the same tree, always after the split). A
/// leaf has `feature == -1` and its prediction in `value` (a classification tree's leaf: the index
/// of its class distribution).
public struct TreeNode: Sendable, Equatable {
    /// Split threshold (go left when x ≤ threshold), or the leaf's prediction.
    public var value: Double
    /// Split feature, or −1 for a leaf.
    public var feature: Int32
    /// Index of the right child within the tree (splits only).
    public var right: Int32

    @inlinable
    public init(value: Double, feature: Int32, right: Int32) {
        self.value = value
        self.feature = feature
        self.right = right
    }

    /// Walks a tree from its root: always terminates, since children are after their parent.
    @inlinable @inline(__always)
    public static func walk(_ root: UnsafePointer<TreeNode>, _ x: UnsafePointer<Double>) -> Double {
        var i = 0
        while true {
            let node = root[i]
            if node.feature < 0 { return node.value }
            i = x[Int(node.feature)] <= node.value ? i + 1 : Int(node.right)
        }
    }
}

/// When a node may be split, as scikit-learn's tree parameters of the same names.
public struct TreeLimits: Sendable {
    public var maxDepth: Int?
    public var minSamplesSplit: Int
    public var minSamplesLeaf: Int

    public init(maxDepth: Int?, minSamplesSplit: Int, minSamplesLeaf: Int) {
        self.maxDepth = maxDepth
        self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf
    }

    /// Whether a node of `count` rows at `depth` may be split at all.
    @inline(__always)
    func allowsSplit(count: Int, depth: Int) -> Bool {
        count >= minSamplesSplit && count >= 2 * minSamplesLeaf && (maxDepth.map { depth < $0 } ?? true)
    }
}
