import ModelZoo

/// A fitted forest's trees in pre-order (a split's left child next, its right child at `right`),
/// where each tree starts, and each node's mean (the value it would predict as a leaf; empty for
/// trees read from a file).
struct GrownForest: Sendable {
    var nodes: [TreeNode]
    var starts: [Int]
    var values: [Double]
}

/// A fitted forest's trees as a grown forest's first `count` trees cut at `maxDepth`: derived forests
/// (a search's candidates) share the grown one and build their own trees only when asked for.
struct GrownSource: Sendable {
    var base: GrownForest
    var count: Int
    var maxDepth: Int?

    init(base: GrownForest, count: Int? = nil, maxDepth: Int? = nil) {
        self.base = base
        self.count = count ?? base.starts.count
        self.maxDepth = maxDepth
    }

    /// Where the first `count` trees end in `base.nodes`.
    var end: Int { count < base.starts.count ? base.starts[count] : base.nodes.count }

    /// The node means in the forest's pre-order (the first trees', cut where cut), from index 0;
    /// without a cut, a slice of the grown forest's (not a copy).
    func values() -> ArraySlice<Double> { maxDepth == nil ? base.values[..<end] : ArraySlice(materialized().values) }

    /// The trees themselves.
    func materialized() -> GrownForest {
        let nodes = Array(base.nodes[..<end]), starts = Array(base.starts[..<count])
        let values = base.values.isEmpty ? [] : Array(base.values[..<end])
        guard let maxDepth else { return GrownForest(nodes: nodes, starts: starts, values: values) }
        var out = GrownForest(nodes: [], starts: [], values: [])
        for start in starts {
            out.starts.append(out.nodes.count)
            Self.cut(tree: start, nodes: nodes, values: values, maxDepth: maxDepth, into: &out)
        }
        return out
    }

    /// Appends the tree rooted at `nodes[root]` cut at `maxDepth` levels, in pre-order, with its nodes' means.
    static func cut(tree root: Int, nodes: [TreeNode], values: [Double], maxDepth: Int, into out: inout GrownForest) {
        let base = out.nodes.count
        // (node, depth, the split whose right child it is, relative to the tree's start; −1 for a left child)
        var stack: [(node: Int, depth: Int, parent: Int)] = [(root, 0, -1)]
        while let (i, depth, parent) = stack.popLast() {
            let at = out.nodes.count - base
            if parent >= 0 { out.nodes[base + parent].right = Int32(at) }
            out.values.append(values[i])
            let node = nodes[i]
            if node.feature < 0 {
                out.nodes.append(node)
            } else if depth >= maxDepth {
                out.nodes.append(TreeNode(value: values[i], feature: -1, right: -1))
            } else {
                out.nodes.append(TreeNode(value: node.value, feature: node.feature, right: 0))
                stack.append((root + Int(node.right), depth + 1, at))
                stack.append((i + 1, depth + 1, -1))
            }
        }
    }
}
