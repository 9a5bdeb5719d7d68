import ModelZoo

/// Hyperparameters of the `mlp` classifier: the regressor's, plus `class_weight`.
public struct MLPClassifierHyperparameters: ModelHyperparameters {
    public var base = MLPHyperparameters()
    public var classWeight = ClassWeight.none

    public init() {}

    public static let parameters: [Hyperparameter<Self>] =
        MLPHyperparameters.parameters.map { $0.lifted(\Self.base) }
        + [.classWeight(\.classWeight)]
}

/// The MLP as a classifier: the same hidden layers, optimisers, mini-batches, validation split and
/// early stopping (on validation cross-entropy, best weights restored), with a softmax output layer
/// of one unit per class and cross-entropy loss (Keras's `Dense(k, "softmax")` +
/// `sparse_categorical_crossentropy`).
public struct MLPClassifier: DenseBackedClassifier {
    public static let info = PluginInfo(
        kind: "mlp",
        summary: "Multi-layer perceptron with a softmax output and cross-entropy (Adam/SGD, early stopping)",
        version: 1, targetScaling: .none)

    public let hyperparameters: MLPClassifierHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3", "hidden=4,3"]

    public init(hyperparameters: MLPClassifierHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        let h = hyperparameters.base
        return
            "MLPClassifier(inputs: \(network?.inputs ?? 0), hidden: \(h.hidden), activation: \(h.activation.rawValue), classes: \(network?.sizes.last ?? 0))"
    }

    static func shape(inputs: Int, classes: Int, _ h: MLPHyperparameters) -> (sizes: [Int], activations: [Activation]) {
        ([inputs] + h.hidden + [classes], Array(repeating: h.activation, count: h.hidden.count) + [.linear])
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        try DenseClassification.requireClasses(data, kind: Self.info.kind)
        let h = hyperparameters.base
        let (sizes, acts) = Self.shape(inputs: data.x.cols, classes: data.classCount, h)
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(sizes: sizes, activations: acts, initialization: h.initialization, rng: &rng)
        var config = MLP.config(h)
        DenseClassification.configure(&config, data, classWeight: hyperparameters.classWeight)
        let report = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
        return report
    }

    public init(hyperparameters: MLPClassifierHyperparameters, state: TensorBundle, featureCount: Int, classCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        let (sizes, acts) = Self.shape(inputs: featureCount, classes: classCount, hyperparameters.base)
        network = try DenseNetwork.load(from: state, sizes: sizes, activations: acts)
    }
}
