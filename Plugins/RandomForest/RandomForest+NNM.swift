import ModelZoo

/// File layout of a forest: the named flat columns of `ForestColumns` (documented in docs/nnm-format.md).
extension RandomForest {
    public func exportState() throws -> [Tensor] {
        guard let columns else { throw ZooError.notFitted(kind: Self.info.kind) }
        // Readers refuse deeper trees (docs/nnm-format.md): never write a file that cannot be read back.
        if let depth = compiled?.depths.max(), depth > ForestColumns.maxDepth {
            throw ZooError.invalidInput("forest: a tree is \(depth) levels deep, over the \(ForestColumns.maxDepth) a model file may hold; set max_depth")
        }
        return columns.tensors(features: featureCount)
    }

    public init(hyperparameters: ForestHyperparameters, state: TensorBundle, featureCount p: Int) throws {
        self.init(hyperparameters: hyperparameters)
        featureCount = p
        let c = try ForestColumns(state: state, trees: hyperparameters.trees, features: p)
        columns = c
        compiled = try CompiledForest(columns: c, features: p)
    }
}
