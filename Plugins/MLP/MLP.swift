import ModelZoo

/// The MLP's optimizers.
public enum OptimizerName: String, ParameterChoice {
    case adam, sgd
}

/// Hyperparameters of `mlp`, with Keras's defaults where Keras has one (6,3 hidden units: the
/// notebook's Keras model); scikit-learn's MLPRegressor names are accepted as aliases.
public struct MLPHyperparameters: ModelHyperparameters {
    public var hidden = [6, 3]
    public var activation = Activation.relu
    public var optimizer = OptimizerName.adam
    public var learningRate = 0.001
    public var momentum = 0.9
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-7
    public var batch = 32
    public var epochs = 50
    public var validation = 0.2
    public var patience = 10
    public var l2 = 0.0
    public var initialization = WeightInit.glorot
    public var seed = 402

    public init() {}

    public static let parameters: [Hyperparameter<Self>] = [
        .init(
            "hidden", \.hidden, .intList(1...4096, minCount: 0), help: "units per hidden layer, e.g. 64,64",
            aliases: ["hidden_layer_sizes"]),
        .choice("activation", \.activation, help: "hidden-layer activation (output is linear)"),
        .choice("optimizer", \.optimizer, help: "adam or sgd (with momentum)", aliases: ["solver"]),
        .init("learning_rate", \.learningRate, .double(1e-7...10), help: "step size", aliases: ["learning_rate_init"]),
        .init("momentum", \.momentum, .double(0...0.999), help: "SGD momentum"),
        .init("beta1", \.beta1, .double(0...0.9999), help: "Adam first-moment decay", aliases: ["beta_1"]),
        .init("beta2", \.beta2, .double(0...0.99999), help: "Adam second-moment decay", aliases: ["beta_2"]),
        .init("epsilon", \.epsilon, .double(1e-12...1), help: "Adam epsilon"),
        .init("batch", \.batch, .int(1...65_536), help: "rows per mini-batch", aliases: ["batch_size"]),
        .init("epochs", \.epochs, .int(1...100_000), help: "passes over the training rows", aliases: ["max_iter"]),
        .init(
            "validation", \.validation, .double(0...0.9), help: "last fraction of training rows used for validation loss",
            aliases: ["validation_split", "validation_fraction"]),
        .init(
            "patience", \.patience, .int(0...100_000), help: "early-stopping patience in epochs (0 = off); best weights restored",
            aliases: ["n_iter_no_change"]),
        .init("l2", \.l2, .double(0...10), help: "L2 penalty on weights (added to each weight's gradient)", aliases: ["alpha"]),
        .choice("init", \.initialization, among: [.glorot, .he, .uniform], help: "weight initialisation"),
        .seed(\.seed, help: "seed for initialisation and shuffling"),
    ]
}

/// A multi-layer perceptron: any stack of dense layers with one activation, a linear output,
/// mini-batch Adam or momentum SGD, validation split and early stopping. Target scaled to [0, 1].
public struct MLP: DenseBackedModel {
    public static let info = PluginInfo(
        kind: "mlp",
        summary: "Multi-layer perceptron (dense layers, Adam/SGD, mini-batches, early stopping)",
        version: 1, targetScaling: .minMax)

    public let hyperparameters: MLPHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3", "hidden=4,3"]

    public func estimatedFitBytes(rows: Int, features: Int) -> Int {
        Self.denseFitBytes(sizes: MLP.shape(inputs: features, hyperparameters).sizes, batch: hyperparameters.batch)
    }

    public init(hyperparameters: MLPHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "MLP(inputs: \(network?.inputs ?? 0), hidden: \(hyperparameters.hidden), activation: \(hyperparameters.activation.rawValue))"
    }

    static func shape(inputs: Int, _ h: MLPHyperparameters) -> (sizes: [Int], activations: [Activation]) {
        ([inputs] + h.hidden + [1], Array(repeating: h.activation, count: h.hidden.count) + [.linear])
    }

    /// The training configuration the hyperparameters describe (shared with the classifier).
    static func config(_ h: MLPHyperparameters) -> DenseTrainingConfig {
        let optimizer: Optimizer =
            h.optimizer == .sgd
            ? .sgd(learningRate: h.learningRate, momentum: h.momentum)
            : .adam(learningRate: h.learningRate, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon)
        var config = DenseTrainingConfig(epochs: h.epochs, batchSize: h.batch, optimizer: optimizer)
        config.l2 = h.l2
        config.validationFraction = h.validation
        config.patience = h.patience
        config.seed = UInt64(h.seed) &+ 1
        return config
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        let h = hyperparameters
        let (sizes, acts) = MLP.shape(inputs: data.x.cols, h)
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(sizes: sizes, activations: acts, initialization: h.initialization, rng: &rng)
        let config = MLP.config(h)
        let report = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
        return report
    }
}
