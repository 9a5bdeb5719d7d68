import ModelZoo

/// A forest's first k trees are the forest a fit with `trees=k` grows (tree t's bootstrap sample and
/// feature draws come from stream t of the seed), so a search scores its prefixes.
extension RandomForest: PrefixEnsemble {
    public static let memberParameter = "trees"
    public var memberCount: Int { hyperparameters.trees }

    public func prefix(_ count: Int) throws -> RandomForest {
        guard let columns else { throw ZooError.notFitted(kind: Self.info.kind) }
        try Self.checkPrefix(count, of: columns.treeNodes.count)
        var h = hyperparameters
        h.trees = count
        var cut = RandomForest(hyperparameters: h)
        let (nodes, starts) = columns.trees()
        let end = count < starts.count ? starts[count] : nodes.count
        let c = ForestColumns(nodes: Array(nodes[..<end]), starts: Array(starts[..<count]), features: featureCount)
        cut.compiled = try CompiledForest(columns: c, features: featureCount)
        cut.columns = c
        cut.featureCount = featureCount
        return cut
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
