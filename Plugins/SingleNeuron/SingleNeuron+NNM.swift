import ModelZoo

extension SingleNeuron {
    public init(hyperparameters: NeuronHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: [featureCount, 1], activations: [.sigmoid])
    }
}
