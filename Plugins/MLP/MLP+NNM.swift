import ModelZoo

extension MLP {
    /// Tensors: `layer{l}.weight` [in, out] and `layer{l}.bias` [out] for each dense layer.
    public func exportState() throws -> [Tensor] {
        guard let network else { throw ZooError.invalidInput("mlp: cannot save an unfitted model") }
        return network.tensors()
    }

    public init(hyperparameters: MLPHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        let (sizes, acts) = MLP.shape(inputs: featureCount, hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: sizes, activations: acts)
    }
}
