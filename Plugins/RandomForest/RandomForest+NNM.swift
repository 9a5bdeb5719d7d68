import ModelZoo

/// File layout of a forest: the named flat columns of `ForestColumns` (documented in docs/nnm-format.md).
extension RandomForest {
    public func exportState() throws -> [Tensor] {
        guard let columns else { throw ZooError.invalidInput("forest: cannot save an unfitted model") }
        return columns.tensors(features: featureCount)
    }

    public init(hyperparameters: ForestHyperparameters, state: TensorBundle, featureCount p: Int) throws {
        self.init(hyperparameters: hyperparameters)
        featureCount = p
        let c = try ForestColumns(state: state, trees: hyperparameters.trees, features: p)
        let (nodes, starts) = try c.trees()
        self.nodes = nodes
        treeStarts = starts
        columns = c
        compiled = CompiledForest(columns: c, nodes: nodes, starts: starts, features: p)
    }
}
