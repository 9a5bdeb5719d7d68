import ModelZoo

/// Hyperparameters of the `two-layer` classifier: the regressor's, plus `class_weight`.
public struct TwoLayerClassifierHyperparameters: ModelHyperparameters {
    public var base = TwoLayerHyperparameters()
    public var classWeight = ClassWeight.none

    public init() {}

    public static let parameters: [Hyperparameter<Self>] =
        TwoLayerHyperparameters.parameters.map { $0.lifted(\Self.base) }
        + [.classWeight(\.classWeight)]

    public static let absentFromOlderFiles = TwoLayerHyperparameters.absentFromOlderFiles
}

/// The notebook's second network as a classifier: inputs → hidden sigmoid layer → one softmax unit
/// per class, cross-entropy, per-sample backprop, initial weights as the regressor's (`init`).
public struct TwoLayerClassifier: DenseBackedClassifier {
    public static let info = PluginInfo(
        kind: "two-layer",
        summary: "Inputs → hidden sigmoid layer → softmax, cross-entropy, per-sample backprop",
        version: 1, targetScaling: .none)

    public let hyperparameters: TwoLayerClassifierHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3"]

    public init(hyperparameters: TwoLayerClassifierHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "TwoLayerClassifier(inputs: \(network?.inputs ?? 0), hidden: \(hyperparameters.base.hidden), classes: \(network?.sizes.last ?? 0))"
    }

    static func sizes(inputs: Int, classes: Int, _ h: TwoLayerHyperparameters) -> [Int] { [inputs, h.hidden, classes] }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        try DenseClassification.requireClasses(data, kind: Self.info.kind)
        let h = hyperparameters.base
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(
            sizes: Self.sizes(inputs: data.x.cols, classes: data.classCount, h), activations: [.sigmoid, .linear],
            initialization: h.initialization, rng: &rng)
        var config = DenseTrainingConfig(epochs: h.epochs, batchSize: 1, optimizer: .sgd(learningRate: h.learningRate, momentum: 0))
        config.shuffle = h.shuffle
        config.seed = UInt64(h.seed) &+ 1
        DenseClassification.configure(&config, data, classWeight: hyperparameters.classWeight)
        let report = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
        return report
    }

    public init(hyperparameters: TwoLayerClassifierHyperparameters, state: TensorBundle, featureCount: Int, classCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(
            from: state, sizes: Self.sizes(inputs: featureCount, classes: classCount, hyperparameters.base),
            activations: [.sigmoid, .linear])
    }
}
