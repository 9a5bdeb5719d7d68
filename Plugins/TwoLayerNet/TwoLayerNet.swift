import ModelZoo

/// Hyperparameters of `two-layer`: the notebook's second network.
public struct TwoLayerHyperparameters: ModelHyperparameters {
    public var hidden = 2
    public var learningRate = 0.1
    public var epochs = 30
    public var seed = 402
    public var shuffle = true
    /// Glorot, not the notebook's uniform [0, 1): with more than a few inputs those all-positive
    /// weights saturate the hidden sigmoids and the net learns nothing (release build, default
    /// hyperparameters: scikit-learn's diabetes R² -0.0001 → 0.457, digits accuracy 0.10 → 0.53,
    /// wine 0.72 → 1.0; BMI R² 0.9917 → 0.9923). `-p init=uniform` is the notebook's rule.
    public var initialization = WeightInit.glorot

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init("hidden", \.hidden, .int(1...1024), help: "sigmoid units in the hidden layer"),
        .init(
            "learning_rate", \.learningRate, .double(1e-6...10), help: "step size of the per-sample update",
            aliases: ["learning_rate_init"]),
        .init("epochs", \.epochs, .int(1...100_000), help: "passes over the training rows", aliases: ["max_iter"]),
        .seed(\.seed, help: "seed for initial weights and shuffling"),
        .init("shuffle", \.shuffle, .bool, help: "visit rows in a new seeded order each epoch"),
        .choice(
            "init", \.initialization, among: [.glorot, .he, .uniform],
            help: "weight initialisation (uniform: the notebook's [0, 1))"),
    ]

    /// Models saved before `init` existed started from the notebook's uniform [0, 1).
    public static let absentFromOlderFiles: [String: JSONValue] = ["init": .string("uniform")]
}

/// The notebook's second network: inputs → hidden sigmoid layer → one sigmoid output, trained by
/// backpropagation with the neuron's per-sample rule (gradient without the factor 2), Glorot initial
/// weights (the notebook's uniform [0, 1) with `init=uniform`), target MinMax-scaled.
public struct TwoLayerNet: DenseBackedModel {
    public static let info = PluginInfo(
        kind: "two-layer",
        summary: "Inputs → hidden sigmoid layer → sigmoid output, per-sample backprop (the notebook's second network)",
        version: 1, targetScaling: .minMax)

    public let hyperparameters: TwoLayerHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3"]

    public init(hyperparameters: TwoLayerHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "TwoLayerNet(inputs: \(network?.inputs ?? 0), hidden: \(hyperparameters.hidden), activation: sigmoid)"
    }

    static func sizes(inputs: Int, _ h: TwoLayerHyperparameters) -> [Int] { [inputs, h.hidden, 1] }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        let h = hyperparameters
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(
            sizes: TwoLayerNet.sizes(inputs: data.x.cols, h), activations: [.sigmoid, .sigmoid],
            initialization: h.initialization, rng: &rng)
        var config = DenseTrainingConfig(epochs: h.epochs, batchSize: 1, optimizer: .sgd(learningRate: h.learningRate, momentum: 0))
        config.gradientScale = 1
        config.shuffle = h.shuffle
        config.seed = UInt64(h.seed) &+ 1
        let report = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
        return report
    }
}
