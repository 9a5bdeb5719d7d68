/// What a search ranks candidates by: one number per fold from actual and predicted values, with
/// its direction and scikit-learn's scoring name. A type, not a metric switch, so a classification
/// scorer (log-loss, accuracy) is one more value.
public struct Scorer: Sendable {
    /// Our name (`rmse`), as `--scoring` takes it.
    public let name: String
    /// scikit-learn's scoring string (`neg_root_mean_squared_error`).
    public let sklearnName: String
    /// Whether a larger raw value is better (R²) or worse (RMSE).
    public let greaterIsBetter: Bool
    let compute: @Sendable (_ actual: [Double], _ predicted: [Double]) -> Double

    public init(name: String, sklearnName: String, greaterIsBetter: Bool,
                compute: @escaping @Sendable (_ actual: [Double], _ predicted: [Double]) -> Double) {
        self.name = name
        self.sklearnName = sklearnName
        self.greaterIsBetter = greaterIsBetter
        self.compute = compute
    }

    /// The metric in its own units (RMSE in target units).
    public func value(actual: [Double], predicted: [Double]) -> Double { compute(actual, predicted) }

    /// scikit-learn's convention: greater is better (RMSE is negated).
    public func testScore(_ value: Double) -> Double { greaterIsBetter ? value : -value }

    public static let rmse = Scorer(name: "rmse", sklearnName: "neg_root_mean_squared_error", greaterIsBetter: false) {
        RegressionMetrics(actual: $0, predicted: $1).rmse
    }
    public static let mae = Scorer(name: "mae", sklearnName: "neg_mean_absolute_error", greaterIsBetter: false) {
        RegressionMetrics(actual: $0, predicted: $1).mae
    }
    public static let r2 = Scorer(name: "r2", sklearnName: "r2", greaterIsBetter: true) {
        RegressionMetrics(actual: $0, predicted: $1).r2
    }
    public static let all = [rmse, mae, r2]

    public static func named(_ name: String) throws -> Scorer {
        guard let s = all.first(where: { $0.name == name || $0.sklearnName == name }) else {
            throw ZooError.invalidInput("unknown scoring '\(name)'; use one of \(all.map(\.name).joined(separator: ", "))")
        }
        return s
    }
}
