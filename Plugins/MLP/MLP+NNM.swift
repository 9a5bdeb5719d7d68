import ModelZoo

extension MLP {
    public init(hyperparameters: MLPHyperparameters, state: TensorBundle, featureCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        let (sizes, acts) = MLP.shape(inputs: featureCount, hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: sizes, activations: acts)
    }
}
