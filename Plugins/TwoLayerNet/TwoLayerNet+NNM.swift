import ModelZoo

extension TwoLayerNet {
    public init(hyperparameters: TwoLayerHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(
            from: state, sizes: TwoLayerNet.sizes(inputs: featureCount, hyperparameters),
            activations: [.sigmoid, .sigmoid])
    }
}
