/// How a plugin wants the training target scaled before `fit` (predictions are un-scaled by the pipeline).
public enum TargetScaling: String, Codable, Sendable {
    /// Leave the target in its own units (trees, least squares).
    case none
    /// MinMax to [0, 1]: sigmoid outputs can reach it.
    case minMax = "minmax"
    /// Zero mean, unit variance.
    case standard
}
