/// Who a plugin is: what the registry, the file header and `zoo plugins` need before any model exists.
public struct PluginInfo: Sendable {
    /// Stable kind name used on the command line and in files (`linear`, `mlp`).
    public let kind: String
    /// One line for `zoo plugins`.
    public let summary: String
    /// Version of the plugin's tensor layout; bumped when the layout changes.
    public let version: Int
    /// How the pipeline scales the target before `fit`.
    public let targetScaling: TargetScaling

    public init(kind: String, summary: String, version: Int, targetScaling: TargetScaling) {
        self.kind = kind
        self.summary = summary
        self.version = version
        self.targetScaling = targetScaling
    }
}

/// A model plugin: a scikit-learn-style estimator.
///
/// Hyperparameters are the only input at construction; learned state comes only from `fit` (or from
/// a file through `init(hyperparameters:state:featureCount:)`); `predict` never mutates and throws
/// before `fit`. Every random choice comes from a seed in the hyperparameters.
public protocol Model: Sendable, CustomStringConvertible {
    associatedtype Hyperparameters: ModelHyperparameters

    static var info: PluginInfo { get }

    init(hyperparameters: Hyperparameters)
    var hyperparameters: Hyperparameters { get }

    /// Learns from `data`. Throws `ZooError.diverged` when training blows up.
    mutating func fit(_ data: TrainingData, context: FitContext) throws -> FitReport
    /// Predictions (scaled target units) for each row of `x`; `x.cols` equals the fitted feature count.
    /// Throws `ZooError.notFitted` before `fit`.
    func predict(_ x: Matrix) throws -> [Double]

    /// The learned state as named tensors (throws `ZooError.notFitted` before `fit`).
    func exportState() throws -> [Tensor]
    /// Rebuilds a fitted model from a file's tensors. Throws `NNMError` naming the tensor and what was wrong.
    init(hyperparameters: Hyperparameters, state: TensorBundle, featureCount: Int) throws

    /// A Keras-style per-layer (or per-part) summary; empty before `fit`.
    var layers: [LayerSummary] { get }
    /// Facts about the learned state for `zoo inspect` (a linear model's rank), the same for a
    /// fitted and a loaded model.
    var extras: [String: JSONValue] { get }

    /// Bytes `fit` will allocate for `rows` × `features` encoded inputs (beyond the matrix itself),
    /// estimated from the hyperparameters before fitting so that a configuration that cannot fit is
    /// refused up front.
    func estimatedFitBytes(rows: Int, features: Int) -> Int

    /// `key=value` settings that make a fit fast enough for checks run over every plugin (the
    /// conformance suite), as scikit-learn's estimator checks shrink `max_iter` and `n_estimators`.
    static var quickFitParameters: [String] { get }
}

extension Model {
    public var extras: [String: JSONValue] { [:] }
    public static var quickFitParameters: [String] { [] }
    public func estimatedFitBytes(rows: Int, features: Int) -> Int { 0 }
    /// Learned parameters in total: the layers' sum.
    public var parameterCount: Int { layers.reduce(0) { $0 + $1.parameters } }
    public var kind: String { Self.info.kind }
}
