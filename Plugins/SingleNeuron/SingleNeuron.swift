import ModelZoo

/// Hyperparameters of `neuron`: the notebook's per-sample rule.
public struct NeuronHyperparameters: ModelHyperparameters {
    public var learningRate = 0.1
    public var epochs = 20
    public var seed = 402
    /// false keeps file order, as the notebook did.
    public var shuffle = true
    /// Empty draws each weight uniformly from [0, 1), as the notebook did.
    public var weights: [Double] = []
    /// Averaged SGD: the fraction of the last updates whose weights are averaged (0: the last weights).
    public var average = 0.0

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init(
            "learning_rate", \.learningRate, .double(1e-6...10), help: "step size of the per-sample update",
            aliases: ["eta0", "learning_rate_init"]),
        .init("epochs", \.epochs, .int(1...100_000), help: "passes over the training rows", aliases: ["max_iter"]),
        .seed(\.seed, help: "seed for initial weights and shuffling"),
        .init("shuffle", \.shuffle, .bool, help: "visit rows in a new seeded order each epoch"),
        .init("weights", \.weights, .doubleList, help: "initial w1..wn then b (empty: uniform [0,1))"),
        .init(
            "average", \.average, .double(0...1),
            help: "average the weights over this last fraction of the updates (averaged SGD; 0: the last weights)"),
    ]
}

/// One sigmoid neuron, output σ(Σ xᵢwᵢ + b), trained by the notebook's per-sample rule:
/// w −= η·(output − target)·output·(1 − output)·x. The target is MinMax-scaled to [0, 1] so the
/// sigmoid can reach it.
public struct SingleNeuron: DenseBackedModel {
    public static let info = PluginInfo(
        kind: "neuron",
        summary: "One sigmoid neuron trained by per-sample backprop (the notebook's first model)",
        version: 1, targetScaling: .minMax)

    public let hyperparameters: NeuronHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3"]

    public init(hyperparameters: NeuronHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String { "SingleNeuron(inputs: \(network?.inputs ?? 0), activation: sigmoid)" }

    /// The network this neuron is: inputs → 1 sigmoid unit.
    static func initialNetwork(inputs: Int, _ h: NeuronHyperparameters) throws -> DenseNetwork {
        if !h.weights.isEmpty {
            guard h.weights.count == inputs + 1 else {
                throw ZooError.invalidParameter(
                    key: "weights", value: "\(h.weights.count) numbers",
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
        c.averageFraction = h.average
        return c
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        var net = try SingleNeuron.initialNetwork(inputs: data.x.cols, hyperparameters)
        let report = try DenseTrainer.train(
            &net, x: data.x, y: data.y, config: SingleNeuron.config(hyperparameters),
            progress: context.progress)
        network = net
        return report
    }
}
