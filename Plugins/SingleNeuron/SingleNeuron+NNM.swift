import ModelZoo

extension SingleNeuron {
    /// Tensors: `layer0.weight` [features, 1] and `layer0.bias` [1].
    public func exportState() throws -> [Tensor] {
        guard let network else { throw ZooError.invalidInput("neuron: cannot save an unfitted model") }
        return network.tensors()
    }

    public init(hyperparameters: NeuronHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: [featureCount, 1], activations: [.sigmoid])
    }
}
