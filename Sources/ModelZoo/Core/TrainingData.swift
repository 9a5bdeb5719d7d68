/// What `fit` receives: encoded, scaled features and the (possibly scaled) target.
public struct TrainingData: Sendable {
    /// Encoded features, one row per training example (numeric columns scaled, one-hot columns 0/1).
    public var x: Matrix
    /// The target, scaled as the plugin's `targetScaling` asked.
    public var y: [Double]
    /// Names of the encoded feature columns (`Age`, `Sex=Male`, ...), `x.cols` of them.
    public var featureNames: [String]
    /// Classification: the number of classes, `y` holding class indices 0..<classCount; 0 for regression.
    public var classCount: Int

    public init(x: Matrix, y: [Double], featureNames: [String], classCount: Int = 0) {
        precondition(x.rows == y.count && x.cols == featureNames.count)
        self.x = x
        self.y = y
        self.featureNames = featureNames
        self.classCount = classCount
    }

    public var task: LearningTask { classCount > 0 ? .classification : .regression }
}
