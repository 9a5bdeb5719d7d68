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
        // A loaded forest's trees become a source of their own (without node means: no cutting).
        let from = source ?? { let t = trees; return GrownSource(base: GrownForest(nodes: t.nodes, starts: t.starts, values: [])) }()
        cut.source = GrownSource(base: from.base, count: min(count, from.count), maxDepth: from.maxDepth)
        return cut
    }

    public static var depthParameter: String? { "max_depth" }
    public var depthLimit: Int? { hyperparameters.maxDepth }
    /// Not with an out-of-bag score: it is computed from the trees the fit grew.
    public var cutsByDepth: Bool { !hyperparameters.ensemble.keepInBag }

    /// Every tree cut at `maxDepth` levels: a split at that depth becomes a leaf predicting the mean
    /// the fit kept for it, which is the leaf a fit with `max_depth` = maxDepth makes there (the same
    /// rows reach it, and each node's feature draws depend only on its path). The cut trees
    /// themselves are built only if asked for (saving the model); a search only scores it.
    public func truncated(maxDepth: Int) throws -> RandomForest {
        guard let compiled, let source else { throw ZooError.notFitted(kind: Self.info.kind) }
        guard !source.base.values.isEmpty else {
            throw ZooError.invalidInput("forest: only a forest fitted in this process can be cut by depth")
        }
        guard maxDepth >= 1 else { throw ZooError.invalidInput("forest: max_depth must be at least 1, got \(maxDepth)") }
        var h = hyperparameters
        h.maxDepth = maxDepth
        var cut = RandomForest(hyperparameters: h)
        cut.featureCount = featureCount
        cut.compiled = compiled.truncated(maxDepth: maxDepth, nodeValues: source.values())
        cut.source = GrownSource(base: source.base, count: source.count, maxDepth: min(maxDepth, source.maxDepth ?? maxDepth))
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
