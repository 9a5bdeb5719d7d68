import ModelZoo

/// File layout of a forest: the named flat columns of `ForestColumns` (documented in docs/nnm-format.md).
extension RandomForest {
    public func exportState() throws -> [Tensor] {
        // A fitted forest passed the reader's structure checks when it was compiled, so the file reads back.
        guard let columns else { throw ZooError.notFitted(kind: Self.info.kind) }
        return columns.tensors(features: featureCount)
    }

    public init(hyperparameters: ForestHyperparameters, state: TensorBundle, featureCount p: Int) throws {
        self.init(hyperparameters: hyperparameters)
        featureCount = p
        let c = try ForestColumns(state: state, trees: hyperparameters.trees, features: p)
        storedColumns = c
        compiled = try CompiledForest(columns: c, features: p)
    }
}
