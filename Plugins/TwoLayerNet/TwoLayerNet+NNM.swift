import ModelZoo

extension TwoLayerNet {
    /// Tensors: `layer0.weight` [features, hidden], `layer0.bias` [hidden], `layer1.weight` [hidden, 1], `layer1.bias` [1].
    public func exportState() throws -> [Tensor] {
        guard let network else { throw ZooError.invalidInput("two-layer: cannot save an unfitted model") }
        return network.tensors()
    }

    public init(hyperparameters: TwoLayerHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: TwoLayerNet.sizes(inputs: featureCount, hyperparameters),
                                        activations: [.sigmoid, .sigmoid])
    }
}
