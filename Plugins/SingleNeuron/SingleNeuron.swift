import ModelZoo

/// Hyperparameters of `neuron`.
public struct NeuronHyperparameters: ModelHyperparameters {
    /// Step size η of the per-sample update (default 0.1, the notebook's).
    public var learningRate = 0.1
    /// Passes over the training rows (default 20).
    public var epochs = 20
    /// Seed for initial weights and the per-epoch shuffle (default 402).
    public var seed = 402
    /// Visit rows in a fresh seeded order each epoch (default true); false keeps file order, as the notebook did.
    public var shuffle = true
    /// Initial w₁…wₙ followed by b; empty (default) draws each uniformly from [0, 1), as the notebook did.
    public var weights: [Double] = []

    enum CodingKeys: String, CodingKey {
        case learningRate = "learning_rate", epochs, seed, shuffle, weights
    }

    public init() {}

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("learning_rate", .double(1e-6...10), default: .double(0.1), help: "step size of the per-sample update"),
        ParameterSpec("epochs", .int(1...100_000), default: .int(20), help: "passes over the training rows"),
        ParameterSpec("seed", .int(0...Int(Int32.max)), default: .int(402), help: "seed for initial weights and shuffling"),
        ParameterSpec("shuffle", .bool, default: .bool(true), help: "visit rows in a new seeded order each epoch"),
        ParameterSpec("weights", .doubleList, default: .array([]), help: "initial w1..wn then b (empty: uniform [0,1))"),
    ]
}

/// One sigmoid neuron, output σ(Σ xᵢwᵢ + b), trained by the notebook's per-sample rule:
/// w −= η·(output − target)·output·(1 − output)·x. The target is MinMax-scaled to [0, 1] so the
/// sigmoid can reach it.
public struct SingleNeuron: DenseBackedModel {
    public static let kind = "neuron"
    public static let summary = "One sigmoid neuron trained by per-sample backprop (the notebook's first model)"
    public static let version = 1
    public static let targetScaling = TargetScaling.minMax

    public let hyperparameters: NeuronHyperparameters
    public internal(set) var network: DenseNetwork?
    public internal(set) var history: TrainingHistory?

    public init(hyperparameters: NeuronHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String { "SingleNeuron(inputs: \(network?.inputs ?? 0), activation: sigmoid)" }

    /// The network this neuron is: inputs → 1 sigmoid unit.
    static func initialNetwork(inputs: Int, _ h: NeuronHyperparameters) throws -> DenseNetwork {
        if !h.weights.isEmpty {
            guard h.weights.count == inputs + 1 else {
                throw ZooError.invalidParameter(key: "weights", value: "\(h.weights.count) numbers",
                                                expected: "\(inputs + 1) numbers (\(inputs) weights, then the bias)")
            }
            return DenseNetwork(sizes: [inputs, 1], activations: [.sigmoid], parameters: h.weights)
        }
        var rng = SplitMix64(seed: UInt64(h.seed))
        return DenseNetwork(sizes: [inputs, 1], activations: [.sigmoid], initialization: .uniform, rng: &rng)
    }

    /// The notebook's training configuration: batch 1, plain SGD, gradient without the factor 2.
    static func config(_ h: NeuronHyperparameters) -> DenseTrainingConfig {
        var c = DenseTrainingConfig(epochs: h.epochs, batchSize: 1, optimizer: .sgd(learningRate: h.learningRate, momentum: 0))
        c.gradientScale = 1
        c.shuffle = h.shuffle
        c.seed = UInt64(h.seed) &+ 1
        return c
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws {
        var net = try SingleNeuron.initialNetwork(inputs: data.x.cols, hyperparameters)
        history = try DenseTrainer.train(&net, x: data.x, y: data.y, config: SingleNeuron.config(hyperparameters), progress: context.progress)
        network = net
    }
}
