import ModelZoo

/// Hyperparameters of the `neuron` classifier: the regressor's, plus `class_weight`.
public struct NeuronClassifierHyperparameters: ModelHyperparameters {
    public var base = NeuronHyperparameters()
    public var classWeight = ClassWeight.none

    /// A classifier's steps are 10× the regressor's: the log-loss gradient (p − y)·x is bounded by
    /// the MinMax-scaled inputs, and η 0.1 stopped far from the optimum in 20 epochs. Test log-loss
    /// at η 0.1 → 1 (20 epochs, docs/bench/classify.py's splits): wine 0.065 → 0.017, breast cancer
    /// 0.098 → 0.042, BMI categories 0.070 → 0.049. scikit-learn's SGDClassifier takes steps of
    /// 10 and more at first (its "optimal" schedule).
    ///
    /// Steps that large keep hopping around the optimum to the last update: test log-loss over seeds
    /// 0-9 spread 0.042-0.075 on breast cancer. The mean of the last quarter of the updates' weights
    /// (averaged SGD, `average`) sits closer to it, whatever the seed; means over the ten seeds,
    /// docs/bench/classify.py's splits, `average` 0 → 0.25: breast cancer 0.0536 → 0.0419 (spread
    /// 0.040-0.046), wine 0.0229 → 0.0161, BMI categories 0.0575 → 0.0469; digits (three seeds, zoo's
    /// own split) 0.34 → 0.22. The sum costs ~1% of the fit (breast cancer 0.437–0.441 → 0.443 ms).
    public init() {
        base.learningRate = 1
        base.average = 0.25
    }

    public static let parameters: [Hyperparameter<Self>] =
        NeuronHyperparameters.parameters.map { $0.lifted(\Self.base) }
        + [.classWeight(\.classWeight)]

    /// Classifiers saved before averaged SGD kept the last update's weights.
    public static let absentFromOlderFiles: [String: JSONValue] = ["average": .double(0)]
}

/// Logistic regression by the notebook's per-sample rule: one sigmoid unit for two classes (a softmax
/// unit per class beyond), trained sample by sample with w −= η·(p − y)·x, the cross-entropy
/// gradient (batch 1, plain SGD), initial weights uniform in [0, 1); the trained weights are the
/// mean over the last quarter of the updates (averaged SGD, `average`).
public struct NeuronClassifier: DenseBackedClassifier {
    public static let info = PluginInfo(
        kind: "neuron",
        summary: "Logistic regression by per-sample updates: sigmoid for two classes, softmax beyond",
        version: 1, targetScaling: .none)

    public let hyperparameters: NeuronClassifierHyperparameters
    public internal(set) var network: DenseNetwork?

    public static let quickFitParameters = ["epochs=3"]

    public init(hyperparameters: NeuronClassifierHyperparameters) { self.hyperparameters = hyperparameters }

    public var description: String {
        guard let network else { return "NeuronClassifier(inputs: 0)" }
        let units = network.sizes.last!
        return
            "NeuronClassifier(inputs: \(network.inputs), classes: \(units == 1 ? 2 : units), output: \(units == 1 ? "sigmoid" : "softmax"))"
    }

    static func sizes(inputs: Int, classes: Int) -> [Int] {
        [inputs, DenseClassification.outputs(classCount: classes, sigmoidForTwo: true)]
    }

    public mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport {
        try DenseClassification.requireClasses(data, kind: Self.info.kind)
        let h = hyperparameters.base
        let sizes = Self.sizes(inputs: data.x.cols, classes: data.classCount)
        var net: DenseNetwork
        if !h.weights.isEmpty {
            let count = DenseNetwork.parameterCount(sizes)
            guard h.weights.count == count else {
                throw ZooError.invalidParameter(
                    key: "weights", value: "\(h.weights.count) numbers",
                    expected: "\(count) numbers (\(sizes[0])×\(sizes[1]) weights, then \(sizes[1]) biases)")
            }
            net = DenseNetwork(sizes: sizes, activations: [.linear], parameters: h.weights)
        } else {
            var rng = SplitMix64(seed: UInt64(h.seed))
            net = DenseNetwork(sizes: sizes, activations: [.linear], initialization: .uniform, rng: &rng)
        }
        var config = SingleNeuron.config(h)
        DenseClassification.configure(&config, data, classWeight: hyperparameters.classWeight)
        let report = try DenseTrainer.train(&net, x: data.x, y: data.y, config: config, progress: context.progress)
        network = net
        return report
    }

    public init(hyperparameters: NeuronClassifierHyperparameters, state: TensorBundle, featureCount: Int, classCount: Int) throws {
        self.init(hyperparameters: hyperparameters)
        network = try DenseNetwork.load(from: state, sizes: Self.sizes(inputs: featureCount, classes: classCount), activations: [.linear])
    }
}
