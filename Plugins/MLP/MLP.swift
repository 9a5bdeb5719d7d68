import ModelZoo

/// Hyperparameters of `mlp`, with Keras's defaults where Keras has one.
public struct MLPHyperparameters: ModelHyperparameters {
    /// Units per hidden layer (default 6,3: the notebook's Keras model).
    public var hidden = [6, 3]
    /// Hidden-layer activation (default relu); the output is linear.
    public var activation = Activation.relu
    /// `adam` (default) or `sgd`.
    public var optimizer = "adam"
    /// Step size (default 0.001, Keras's Adam default).
    public var learningRate = 0.001
    /// SGD momentum (default 0.9; ignored by Adam).
    public var momentum = 0.9
    /// Adam β1, β2, ε (Keras defaults 0.9, 0.999, 1e-7).
    public var beta1 = 0.9
    public var beta2 = 0.999
    public var epsilon = 1e-7
    /// Rows per mini-batch (default 32).
    public var batch = 32
    /// Passes over the training rows (default 50).
    public var epochs = 50
    /// Fraction of training rows held out (the last ones) for validation loss (default 0.2, as `validation_split`).
    public var validation = 0.2
    /// Stop after this many epochs without validation improvement and restore the best weights (0 = off; default 10).
    public var patience = 10
    /// L2 penalty on weights (default 0).
    public var l2 = 0.0
    /// Weight initialisation: glorot (default, Keras's), he, uniform.
    public var initialization = WeightInit.glorot
    /// Seed for initialisation and shuffling (default 402).
    public var seed = 402

    enum CodingKeys: String, CodingKey {
        case hidden, activation, optimizer, learningRate = "learning_rate", momentum, beta1, beta2, epsilon, batch, epochs
        case validation, patience, l2, initialization = "init", seed
    }

    public init() {}

    public static let parameters: [ParameterSpec] = [
        ParameterSpec("hidden", .intList(1...4096, minCount: 0), default: .array([.int(6), .int(3)]), help: "units per hidden layer, e.g. 64,64"),
        ParameterSpec("activation", .choice(["relu", "sigmoid", "tanh", "linear"]), default: .string("relu"), help: "hidden-layer activation (output is linear)"),
        ParameterSpec("optimizer", .choice(["adam", "sgd"]), default: .string("adam"), help: "adam or sgd (with momentum)"),
        ParameterSpec("learning_rate", .double(1e-7...10), default: .double(0.001), help: "step size"),
        ParameterSpec("momentum", .double(0...0.999), default: .double(0.9), help: "SGD momentum"),
        ParameterSpec("beta1", .double(0...0.9999), default: .double(0.9), help: "Adam first-moment decay"),
        ParameterSpec("beta2", .double(0...0.99999), default: .double(0.999), help: "Adam second-moment decay"),
        ParameterSpec("epsilon", .double(1e-12...1), default: .double(1e-7), help: "Adam epsilon"),
        ParameterSpec("batch", .int(1...65_536), default: .int(32), help: "rows per mini-batch"),
        ParameterSpec("epochs", .int(1...100_000), default: .int(50), help: "passes over the training rows"),
        ParameterSpec("validation", .double(0...0.9), default: .double(0.2), help: "last fraction of training rows used for validation loss"),
        ParameterSpec("patience", .int(0...100_000), default: .int(10), help: "early-stopping patience in epochs (0 = off); best weights restored"),
        ParameterSpec("l2", .double(0...10), default: .double(0), help: "L2 penalty on weights"),
        ParameterSpec("init", .choice(["glorot", "he", "uniform"]), default: .string("glorot"), help: "weight initialisation"),
        ParameterSpec("seed", .int(0...Int(Int32.max)), default: .int(402), help: "seed for initialisation and shuffling"),
    ]
}

/// A multi-layer perceptron: any stack of dense layers with one activation, a linear output,
/// mini-batch Adam or momentum SGD, validation split and early stopping. Target scaled to [0, 1].
public struct MLP: DenseBackedModel {
    public static let kind = "mlp"
    public static let summary = "Multi-layer perceptron (dense layers, Adam/SGD, mini-batches, early stopping)"
    public static let version = 1
    public static let targetScaling = TargetScaling.minMax

    public let hyperparameters: MLPHyperparameters
    public internal(set) var network: DenseNetwork?
    public internal(set) var history: TrainingHistory?

    public init(hyperparameters: MLPHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        "MLP(inputs: \(network?.inputs ?? 0), hidden: \(hyperparameters.hidden), activation: \(hyperparameters.activation.rawValue))"
    }

    static func shape(inputs: Int, _ h: MLPHyperparameters) -> (sizes: [Int], activations: [Activation]) {
        ([inputs] + h.hidden + [1], Array(repeating: h.activation, count: h.hidden.count) + [.linear])
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws {
        let h = hyperparameters
        let (sizes, acts) = MLP.shape(inputs: data.x.cols, h)
        var rng = SplitMix64(seed: UInt64(h.seed))
        var net = DenseNetwork(sizes: sizes, activations: acts, initialization: h.initialization, rng: &rng)
        let optimizer: Optimizer = h.optimizer == "sgd"
            ? .sgd(learningRate: h.learningRate, momentum: h.momentum)
            : .adam(learningRate: h.learningRate, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon)
        var config = DenseTrainingConfig(epochs: h.epochs, batchSize: h.batch, optimizer: optimizer)
        config.l2 = h.l2
        config.validationFraction = h.validation
        config.patience = h.patience
        config.seed = UInt64(h.seed) &+ 1
        history = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
    }
}
