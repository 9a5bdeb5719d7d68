import Foundation

/// How a plugin wants the training target scaled before `fit` (predictions are un-scaled by the pipeline).
public enum TargetScaling: String, Codable, Sendable {
    /// Leave the target in its own units (trees, least squares).
    case none
    /// MinMax to [0, 1]: sigmoid outputs can reach it.
    case minMax = "minmax"
    /// Zero mean, unit variance.
    case standard
}

/// What `fit` receives: encoded, scaled features and the (possibly scaled) target.
public struct TrainingData: Sendable {
    /// Encoded features, one row per training example (numeric columns scaled, one-hot columns 0/1).
    public var x: Matrix
    /// The target, scaled as the plugin's `targetScaling` asked.
    public var y: [Double]
    /// Names of the encoded feature columns (`Age`, `Sex=Male`, ...), `x.cols` of them.
    public var featureNames: [String]

    public init(x: Matrix, y: [Double], featureNames: [String]) {
        precondition(x.rows == y.count && x.cols == featureNames.count)
        self.x = x
        self.y = y
        self.featureNames = featureNames
    }
}

/// Progress a plugin reports while fitting (e.g. one event per epoch).
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    /// What a step is ("epoch", "tree").
    public var unit: String
    public var loss: Double?
    public var validationLoss: Double?
    /// Examples processed per second in this step, when meaningful.
    public var rowsPerSecond: Double?

    public init(step: Int, totalSteps: Int, unit: String, loss: Double? = nil, validationLoss: Double? = nil, rowsPerSecond: Double? = nil) {
        self.step = step
        self.totalSteps = totalSteps
        self.unit = unit
        self.loss = loss
        self.validationLoss = validationLoss
        self.rowsPerSecond = rowsPerSecond
    }
}

/// Everything `fit` may use besides the data: a progress sink and the worker count.
public struct FitContext: Sendable {
    public var progress: @Sendable (TrainingProgress) -> Void
    /// Worker threads a plugin may use (≥ 1).
    public var threads: Int

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }) {
        self.threads = max(1, threads)
        self.progress = progress
    }
}

/// One row of a Keras-style model summary.
public struct LayerSummary: Sendable, Equatable, Codable {
    public var name: String
    public var outputShape: String
    public var parameters: Int

    public init(name: String, outputShape: String, parameters: Int) {
        self.name = name
        self.outputShape = outputShape
        self.parameters = parameters
    }
}

/// Per-epoch losses (in the plugin's scaled target units), saved in the file for reports.
public struct TrainingHistory: Sendable, Equatable, Codable {
    public var loss: [Double]
    public var validationLoss: [Double]
    public init(loss: [Double] = [], validationLoss: [Double] = []) {
        self.loss = loss
        self.validationLoss = validationLoss
    }
}

/// A model plugin: a scikit-learn-style estimator.
///
/// Hyperparameters are the only input at construction; learned state comes only from `fit`
/// (or from a file through `init(hyperparameters:state:featureCount:)`); `predict` never mutates.
/// Every random choice comes from a seed in the hyperparameters.
public protocol Model: Sendable, CustomStringConvertible {
    associatedtype Hyperparameters: ModelHyperparameters

    /// Stable kind name used on the command line and in files (`linear`, `mlp`).
    static var kind: String { get }
    /// One line for `zoo plugins`.
    static var summary: String { get }
    /// Version of this plugin's tensor layout; bumped when the layout changes.
    static var version: Int { get }
    /// How the pipeline should scale the target before `fit`.
    static var targetScaling: TargetScaling { get }

    init(hyperparameters: Hyperparameters)
    var hyperparameters: Hyperparameters { get }

    /// Learns from `data`. Throws `ZooError.diverged` when training blows up.
    mutating func fit(_ data: TrainingData, context: FitContext) throws
    /// Predictions (scaled target units) for each row of `x`; `x.cols` equals the fitted feature count.
    func predict(_ x: Matrix) -> [Double]

    /// Learned parameters in total (weights and biases, or tree nodes).
    var parameterCount: Int { get }
    /// A Keras-style per-layer (or per-part) summary.
    var layers: [LayerSummary] { get }
    /// Per-epoch losses, when the plugin trains by epochs.
    var history: TrainingHistory? { get }
    /// Extra facts for `zoo inspect` (e.g. out-of-bag R²), stored in the header.
    var extras: [String: JSONValue] { get }

    /// The learned state as named tensors.
    func exportState() throws -> [Tensor]
    /// Rebuilds a fitted model from a file's tensors. Throws `NNMError` naming the tensor and what was wrong.
    init(hyperparameters: Hyperparameters, state: TensorBundle, featureCount: Int) throws
}

extension Model {
    public var history: TrainingHistory? { nil }
    public var extras: [String: JSONValue] { [:] }
    public var kind: String { Self.kind }
}

