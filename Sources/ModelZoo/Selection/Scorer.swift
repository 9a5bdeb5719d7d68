/// What a search ranks candidates by: one number per fold, with its direction and scikit-learn's
/// scoring name. A type, not a metric switch: a regression scorer reads actual and predicted
/// values, a classification scorer reads the fold's `ClassificationMetrics`, and which one a search
/// may use follows its `LearningTask`.
public struct Scorer: Sendable {
    /// How a scorer gets its number from a fold's predictions.
    public enum Measure: Sendable {
        case regression(@Sendable (_ actual: [Double], _ predicted: [Double]) -> Double)
        case classification(ClassificationMetric)
    }

    /// Our name (`rmse`, `log_loss`), as `--scoring` takes it.
    public let name: String
    /// scikit-learn's scoring string (`neg_root_mean_squared_error`, `neg_log_loss`).
    public let sklearnName: String
    /// Other names `--scoring` accepts (`roc_auc_ovr` for `roc_auc`).
    public let aliases: [String]
    /// Whether a larger raw value is better (R², accuracy) or worse (RMSE, log-loss).
    public let greaterIsBetter: Bool
    public let measure: Measure

    public init(name: String, sklearnName: String, aliases: [String] = [], greaterIsBetter: Bool, measure: Measure) {
        self.name = name
        self.sklearnName = sklearnName
        self.aliases = aliases
        self.greaterIsBetter = greaterIsBetter
        self.measure = measure
    }

    public init(
        name: String, sklearnName: String, greaterIsBetter: Bool,
        compute: @escaping @Sendable (_ actual: [Double], _ predicted: [Double]) -> Double
    ) {
        self.init(name: name, sklearnName: sklearnName, greaterIsBetter: greaterIsBetter, measure: .regression(compute))
    }

    /// The task this scorer measures.
    public var task: LearningTask {
        if case .classification = measure { return .classification }
        return .regression
    }

    /// A regression metric in its own units (RMSE in target units). NaN for a classification scorer.
    public func value(actual: [Double], predicted: [Double]) -> Double {
        guard case .regression(let compute) = measure else { return .nan }
        return compute(actual, predicted)
    }

    /// A classification metric of a fold (log-loss, accuracy, ...). NaN for a regression scorer, or
    /// when the metric is undefined on the fold (ROC AUC without both classes).
    public func value(_ metrics: ClassificationMetrics) -> Double {
        guard case .classification(let metric) = measure else { return .nan }
        return metrics.value(metric) ?? .nan
    }

    /// scikit-learn's convention: greater is better (RMSE and log-loss are negated).
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
    public static let logLoss = Scorer(
        name: "log_loss", sklearnName: "neg_log_loss", greaterIsBetter: false,
        measure: .classification(.logLoss))
    public static let accuracy = Scorer(
        name: "accuracy", sklearnName: "accuracy", greaterIsBetter: true,
        measure: .classification(.accuracy))
    public static let balancedAccuracy = Scorer(
        name: "balanced_accuracy", sklearnName: "balanced_accuracy", greaterIsBetter: true,
        measure: .classification(.balancedAccuracy))
    public static let macroF1 = Scorer(
        name: "macro_f1", sklearnName: "f1_macro", greaterIsBetter: true,
        measure: .classification(.macroF1))
    public static let weightedF1 = Scorer(
        name: "weighted_f1", sklearnName: "f1_weighted", greaterIsBetter: true,
        measure: .classification(.weightedF1))
    /// Binary ROC AUC, or the one-vs-rest macro average beyond two classes (as ClassificationMetrics computes it).
    public static let rocAUC = Scorer(
        name: "roc_auc", sklearnName: "roc_auc", aliases: ["roc_auc_ovr"], greaterIsBetter: true,
        measure: .classification(.rocAUC))

    public static let regression = [rmse, mae, r2]
    public static let classification = [logLoss, accuracy, balancedAccuracy, macroF1, weightedF1, rocAUC]
    public static let all = regression + classification

    /// The default ranking of a task: RMSE, or log-loss as `compare` ranks classifiers.
    public static func `default`(for task: LearningTask) -> Scorer { task == .classification ? logLoss : rmse }

    /// The scorer `name` (ours or scikit-learn's) for a search of `task`; one of the other task is refused.
    public static func named(_ name: String, for task: LearningTask = .regression) throws -> Scorer {
        let allowed = task == .classification ? classification : regression
        let names = allowed.map { "\($0.name) (\($0.sklearnName))" }.joined(separator: ", ")
        guard let s = all.first(where: { $0.name == name || $0.sklearnName == name || $0.aliases.contains(name) }) else {
            throw ZooError.invalidInput("unknown scoring '\(name)'; use one of \(names)")
        }
        guard s.task == task else {
            let what = task == .classification ? "a classifier" : "a regressor"
            throw ZooError.invalidInput("scoring '\(name)' does not apply to \(what); use one of \(names)")
        }
        return s
    }
}
