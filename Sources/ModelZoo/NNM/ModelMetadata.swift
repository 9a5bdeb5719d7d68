import Foundation

/// How many rows training read, dropped, imputed and used.
public struct RowCounts: Codable, Sendable, Equatable {
    public var read = 0
    public var droppedMissingTarget = 0
    public var droppedMissingFeatures = 0
    public var imputed = 0
    public var train = 0
    public var test = 0

    enum CodingKeys: String, CodingKey {
        case read, imputed, train, test
        case droppedMissingTarget = "dropped_missing_target"
        case droppedMissingFeatures = "dropped_missing_features"
    }

    public init() {}
}

/// The uncompressed `META` section: everything `zoo list` and `zoo inspect` show without touching weights.
///
/// Unknown keys from newer minor versions are ignored; anything a reader must understand to predict
/// correctly is named in `requires` instead.
public struct ModelMetadata: Codable, Sendable, Equatable {
    public var kind: String
    public var pluginVersion: Int
    /// The program that wrote the file (`ModelZoo 0.1.0`).
    public var writer: String
    /// ISO 8601 UTC creation time.
    public var created: String
    /// The model's one-line description (`MLP(inputs: 5, hidden: [6, 3])`).
    public var summary: String
    public var hyperparameters: JSONValue
    public var schema: FeatureSchema
    public var testMetrics: RegressionMetrics?
    public var trainMetrics: RegressionMetrics?
    /// A classifier's metrics on the test and training splits (its `testMetrics` stay nil).
    public var testClassification: ClassificationMetrics?
    public var trainClassification: ClassificationMetrics?
    public var rows: RowCounts
    public var parameterCount: Int
    public var layers: [LayerSummary]
    /// Plugin-specific facts about the learned state for inspection (a linear model's rank).
    public var extras: [String: JSONValue]
    /// What fitting reported: early stopping, out-of-bag R², importances (the history is read from tensors).
    public var fit: FitReport
    /// Training options that shaped the data (seed, test fraction, scaler, impute).
    public var training: TrainingRecord
    /// Features a reader must support to use this file correctly; empty in v1.0.
    public var requires: [String]
    /// The hyperparameter search (or cross-validation) this model was chosen by, if any.
    public var search: SearchRecord?

    enum CodingKeys: String, CodingKey {
        case kind, writer, created, summary, hyperparameters, schema, rows, layers, extras, fit, training, requires, search
        case pluginVersion = "plugin_version"
        case testMetrics = "test_metrics"
        case trainMetrics = "train_metrics"
        case testClassification = "test_classification_metrics"
        case trainClassification = "train_classification_metrics"
        case parameterCount = "parameter_count"
    }

    public init(
        kind: String, pluginVersion: Int, writer: String = ModelZooVersion.writer, created: String = ModelMetadata.now(),
        summary: String, hyperparameters: JSONValue, schema: FeatureSchema, testMetrics: RegressionMetrics?,
        trainMetrics: RegressionMetrics?, rows: RowCounts, parameterCount: Int, layers: [LayerSummary],
        extras: [String: JSONValue] = [:], fit: FitReport = FitReport(), training: TrainingRecord = TrainingRecord(),
        requires: [String] = []
    ) {
        self.kind = kind
        self.pluginVersion = pluginVersion
        self.writer = writer
        self.created = created
        self.summary = summary
        self.hyperparameters = hyperparameters
        self.schema = schema
        self.testMetrics = testMetrics
        self.trainMetrics = trainMetrics
        self.rows = rows
        self.parameterCount = parameterCount
        self.layers = layers
        self.extras = extras
        self.fit = fit
        self.training = training
        self.requires = requires
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decode(String.self, forKey: .kind)
        pluginVersion = try c.decode(Int.self, forKey: .pluginVersion)
        writer = try c.decodeIfPresent(String.self, forKey: .writer) ?? "unknown"
        created = try c.decodeIfPresent(String.self, forKey: .created) ?? ""
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? kind
        hyperparameters = try c.decodeIfPresent(JSONValue.self, forKey: .hyperparameters) ?? .object([:])
        schema = try c.decode(FeatureSchema.self, forKey: .schema)
        testMetrics = try c.decodeIfPresent(RegressionMetrics.self, forKey: .testMetrics)
        trainMetrics = try c.decodeIfPresent(RegressionMetrics.self, forKey: .trainMetrics)
        testClassification = try c.decodeIfPresent(ClassificationMetrics.self, forKey: .testClassification)
        trainClassification = try c.decodeIfPresent(ClassificationMetrics.self, forKey: .trainClassification)
        rows = try c.decodeIfPresent(RowCounts.self, forKey: .rows) ?? RowCounts()
        parameterCount = try c.decodeIfPresent(Int.self, forKey: .parameterCount) ?? 0
        layers = try c.decodeIfPresent([LayerSummary].self, forKey: .layers) ?? []
        extras = try c.decodeIfPresent([String: JSONValue].self, forKey: .extras) ?? [:]
        fit = try c.decodeIfPresent(FitReport.self, forKey: .fit) ?? FitReport()
        training = try c.decodeIfPresent(TrainingRecord.self, forKey: .training) ?? TrainingRecord()
        requires = try c.decodeIfPresent([String].self, forKey: .requires) ?? []
        search = try c.decodeIfPresent(SearchRecord.self, forKey: .search)
    }

    /// What the model predicts (the schema's classes decide).
    public var task: LearningTask { schema.task }

    /// The `requires` entry of a classifier's file: older readers, which would take its class
    /// indices for numbers, refuse it.
    public static let classificationRequirement = "classification"

    public static func now() -> String { timestamp(Date()) }

    /// `date` as ISO 8601 in UTC to the second (`2026-12-07T21:14:27Z`, what ISO8601DateFormatter's
    /// internet date-time gives). Formatted by hand: Foundation's formatter took ~4 ms to make on
    /// Linux, once for every model `zoo train` wrote (a fifth of training breast cancer end to end).
    public static func timestamp(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&t, &parts)
        func digits(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))T"
            + "\(digits(parts.tm_hour, 2)):\(digits(parts.tm_min, 2)):\(digits(parts.tm_sec, 2))Z"
    }
}

/// This build's version strings.
public enum ModelZooVersion {
    public static let version = "0.1.0"
    public static let writer = "ModelZoo \(version)"
}
