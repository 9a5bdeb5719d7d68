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
