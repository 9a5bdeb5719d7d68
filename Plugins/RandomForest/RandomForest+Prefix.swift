import ModelZoo

/// A forest's first k trees are the forest a fit with `trees=k` grows (tree t's bootstrap sample and
/// feature draws come from stream t of the seed), so a search scores its prefixes.
extension RandomForest: PrefixEnsemble {
    public static let memberParameter = "trees"
    public var memberCount: Int { hyperparameters.trees }

    public func prefix(_ count: Int) throws -> RandomForest {
        guard let compiled else { throw ZooError.notFitted(kind: Self.info.kind) }
        try Self.checkPrefix(count, of: compiled.starts.count)
        var h = hyperparameters
        h.trees = count
        var cut = RandomForest(hyperparameters: h)
        cut.featureCount = featureCount
        cut.compiled = compiled.prefix(count)
        let (nodes, starts) = trees
        let end = count < starts.count ? starts[count] : nodes.count
        cut.grownTrees = (Array(nodes[..<end]), Array(starts[..<count]))
        cut.nodeValues = nodeValues.isEmpty ? [] : Array(nodeValues[..<end])
        return cut
    }

    public static var depthParameter: String? { "max_depth" }
    public var depthLimit: Int? { hyperparameters.maxDepth }
    /// Not with an out-of-bag score: it is computed from the trees the fit grew.
    public var cutsByDepth: Bool { !hyperparameters.ensemble.keepInBag }

    /// Every tree cut at `maxDepth` levels: a split at that depth becomes a leaf predicting the mean
    /// the fit kept for it, which is the leaf a fit with `max_depth` = maxDepth makes there (the same
    /// rows reach it, and each node's feature draws depend only on its path).
    public func truncated(maxDepth: Int) throws -> RandomForest {
        guard let compiled, let grownTrees else { throw ZooError.notFitted(kind: Self.info.kind) }
        guard nodeValues.count == grownTrees.nodes.count else {
            throw ZooError.invalidInput("forest: only a forest fitted in this process can be cut by depth")
        }
        guard maxDepth >= 1 else { throw ZooError.invalidInput("forest: max_depth must be at least 1, got \(maxDepth)") }
        var h = hyperparameters
        h.maxDepth = maxDepth
        var cut = RandomForest(hyperparameters: h)
        cut.featureCount = featureCount
        cut.compiled = compiled.truncated(maxDepth: maxDepth, nodeValues: nodeValues)
        var kept: [TreeNode] = [], keptValues: [Double] = [], keptStarts: [Int] = []
        for start in grownTrees.starts {
            keptStarts.append(kept.count)
            Self.cut(tree: start, nodes: grownTrees.nodes, values: nodeValues, maxDepth: maxDepth, into: &kept, values: &keptValues)
        }
        cut.grownTrees = (kept, keptStarts)
        cut.nodeValues = keptValues
        return cut
    }

    /// Appends the tree rooted at `nodes[root]` cut at `maxDepth` levels, in pre-order, with its nodes' values.
    static func cut(tree root: Int, nodes: [TreeNode], values: [Double], maxDepth: Int, into out: inout [TreeNode], values kept: inout [Double]) {
        let base = out.count
        // (node, depth, the split whose right child it is, relative to the tree's start; −1 for a left child)
        var stack: [(node: Int, depth: Int, parent: Int)] = [(root, 0, -1)]
        while let (i, depth, parent) = stack.popLast() {
            let at = out.count - base
            if parent >= 0 { out[base + parent].right = Int32(at) }
            kept.append(values[i])
            let node = nodes[i]
            if node.feature < 0 {
                out.append(node)
            } else if depth >= maxDepth {
                out.append(TreeNode(value: values[i], feature: -1, right: -1))
            } else {
                out.append(TreeNode(value: node.value, feature: node.feature, right: 0))
                stack.append((root + Int(node.right), depth + 1, at))
                stack.append((i + 1, depth + 1, -1))
            }
        }
    }

    /// A prefix holds 1 to all of the trees.
    static func checkPrefix(_ count: Int, of trees: Int) throws {
        guard (1...trees).contains(count) else {
            throw ZooError.invalidInput("forest: the first \(count) trees of a \(trees)-tree forest do not exist")
        }
    }
}

extension RandomForestClassifier: PrefixEnsemble {
    public static let memberParameter = "trees"
    public var memberCount: Int { hyperparameters.base.trees }

    public func prefix(_ count: Int) throws -> RandomForestClassifier {
        guard columns != nil else { throw ZooError.notFitted(kind: Self.info.kind) }
        try RandomForest.checkPrefix(count, of: starts.count)
        var h = hyperparameters
        h.base.trees = count
        var cut = RandomForestClassifier(hyperparameters: h)
        let end = count < starts.count ? starts[count] : nodes.count
        // The distribution table stays whole: the first trees' leaves point into it.
        try cut.install(
            columns: ForestColumns(nodes: Array(nodes[..<end]), starts: Array(starts[..<count]), features: featureCount),
            distributions: distributions, features: featureCount, classes: classCount)
        return cut
    }
}
