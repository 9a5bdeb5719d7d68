/// What a fitting step is, so progress can be shown per epoch or per tree.
public enum ProgressUnit: String, Sendable {
    case epoch, tree

    /// Whether a log (stderr not a terminal) gets a line for every step: epochs are few and slow,
    /// trees many and fast (about ten lines in all).
    public var logsEveryStep: Bool { self == .epoch }
}

/// Progress a plugin reports while fitting (e.g. one event per epoch).
public struct TrainingProgress: Sendable {
    public var step: Int
    public var totalSteps: Int
    public var unit: ProgressUnit
    /// Losses in the plugin's scaled target units; `Trainer` converts them to target units.
    public var loss: Double?
    public var validationLoss: Double?
    /// Examples processed per second in this step, when meaningful.
    public var rowsPerSecond: Double?

    public init(
        step: Int, totalSteps: Int, unit: ProgressUnit, loss: Double? = nil, validationLoss: Double? = nil,
        rowsPerSecond: Double? = nil
    ) {
        self.step = step
        self.totalSteps = totalSteps
        self.unit = unit
        self.loss = loss
        self.validationLoss = validationLoss
        self.rowsPerSecond = rowsPerSecond
    }
}

/// Everything `fit` may use besides the data: a progress sink. The thread limit is `Parallel.maxThreads`.
public struct FitContext: Sendable {
    public var progress: @Sendable (TrainingProgress) -> Void

    public init(progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }) {
        self.progress = progress
    }
}
