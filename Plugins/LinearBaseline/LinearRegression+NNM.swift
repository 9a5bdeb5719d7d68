import ModelZoo

extension LinearRegression {
    /// Tensors: `coef` [features] and `intercept` [1], f64.
    public func exportState() throws -> [Tensor] {
        guard isFitted else { throw ZooError.notFitted(kind: Self.info.kind) }
        return [Tensor("coef", coefficients), Tensor("intercept", [intercept]), Tensor("rank", [Int32(rank)])]
    }

    public init(hyperparameters: LinearHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        coefficients = try state.doubles("coef", shape: [featureCount])
        intercept = try state.doubles("intercept", shape: [1])[0]
        let r = try state.int32s("rank", shape: [1])[0]
        guard r >= 0, Int(r) <= featureCount else {
            throw NNMError.invalidValue(tensor: "rank", reason: "\(r) is not in 0...\(featureCount)")
        }
        rank = Int(r)
        isFitted = true
    }
}
