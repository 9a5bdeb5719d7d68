import ModelZoo

/// Hyperparameters of `two-layer`.
public struct TwoLayerHyperparameters: ModelHyperparameters {
    /// Sigmoid units in the hidden layer (default 2, the notebook's).
    public var hidden = 2
    /// Step size η of the per-sample update (default 0.1).
    public var learningRate = 0.1
    /// Passes over the training rows (default 30).
    public var epochs = 30
    /// Seed for initial weights and shuffling (default 402).
    public var seed = 402
    /// New seeded row order every epoch (default true).
    public var shuffle = true

    enum CodingKeys: String, CodingKey {
        case hidden, learningRate = "learning_rate", epochs, seed, shuffle
    }

    public init() {}

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("hidden", .int(1...1024), default: .int(2), help: "sigmoid units in the hidden layer"),
        ParameterSpec("learning_rate", .double(1e-6...10), default: .double(0.1), help: "step size of the per-sample update"),
        ParameterSpec("epochs", .int(1...100_000), default: .int(30), help: "passes over the training rows"),
        ParameterSpec("seed", .int(0...Int(Int32.max)), default: .int(402), help: "seed for initial weights and shuffling"),
        ParameterSpec("shuffle", .bool, default: .bool(true), help: "visit rows in a new seeded order each epoch"),
    ]
}

/// The notebook's second network: inputs → hidden sigmoid layer → one sigmoid output, trained by
/// backpropagation with the neuron's per-sample rule (gradient without the factor 2), initial
/// weights uniform in [0, 1), target MinMax-scaled.
public struct TwoLayerNet: DenseBackedModel {
    public static let kind = "two-layer"
    public static let summary = "Inputs → hidden sigmoid layer → sigmoid output, per-sample backprop (the notebook's second network)"
    public static let version = 1
    public static let targetScaling = TargetScaling.minMax

    public let hyperparameters: TwoLayerHyperparameters
    public internal(set) var network: DenseNetwork?
    public internal(set) var history: TrainingHistory?

    public init(hyperparameters: TwoLayerHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String { "TwoLayerNet(inputs: \(network?.inputs ?? 0), hidden: \(hyperparameters.hidden), activation: sigmoid)" }

    static func sizes(inputs: Int, _ h: TwoLayerHyperparameters) -> [Int] { [inputs, h.hidden, 1] }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws {
        let h = hyperparameters
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(sizes: TwoLayerNet.sizes(inputs: data.x.cols, h), activations: [.sigmoid, .sigmoid],
                               initialization: .uniform, rng: &rng)
        var config = DenseTrainingConfig(epochs: h.epochs, batchSize: 1, optimizer: .sgd(learningRate: h.learningRate, momentum: 0))
        config.gradientScale = 1
        config.shuffle = h.shuffle
        config.seed = UInt64(h.seed) &+ 1
        history = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
    }
}
