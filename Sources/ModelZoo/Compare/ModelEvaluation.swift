import Foundation

/// One model measured on one data set (or, without data, its stored test metrics).
public struct ModelEvaluation: Sendable, Codable {
    public var name: String
    public var path: String
    public var kind: String?
    /// The target the model predicts (the unit of its errors).
    public var target: String?
    public var parameters: Int?
    public var fileBytes: Int?
    public var metrics: RegressionMetrics?
    /// A classifier's metrics (its `metrics` stay nil).
    public var classification: ClassificationMetrics?
    /// `.classification` for a classifier; nil for a regressor (and an unreadable file), so that a
    /// regressor's JSON keeps the keys it had before classifiers existed.
    public var task: LearningTask?
    /// Encoded rows predicted per second (model only, parsing excluded); nil without data.
    public var rowsPerSecond: Double?
    /// Rows scored (the metrics' row count), nil when none were.
    public var rows: Int?
    /// Rows of the data this model could not use (missing or unknown values).
    public var skippedRows: Int = 0
    /// Why the model could not be evaluated; other fields may be nil.
    public var error: String?
    /// Which rows the metrics come from: the model's own held-out rows, rows it was trained on, or others.
    public var rowSet: RowSet?
    /// Why the rows are what they are, when a user should know (e.g. in-sample because the file records no split).
    public var rowSetNote: String?

    /// Actual and predicted values (for charts); not serialised.
    public var actual: [Double] = []
    public var predicted: [Double] = []
    /// What fitting reported (history, early stopping, importances) and the encoded feature names
    /// the importances belong to; not serialised.
    public var fit = FitReport()
    public var featureNames: [String] = []
    /// The search the model was chosen by (for the report's charts); not serialised.
    public var search: SearchRecord?

    /// A classifier's true classes, probabilities and labels (for charts); not serialised.
    public var actualClasses: [Int] = []
    public var probabilities: Matrix?
    public var classes: [String] = []

    /// Evaluated: metrics of the model's task and no error.
    public var isEvaluated: Bool { error == nil && (metrics != nil || classification != nil) }

    enum CodingKeys: String, CodingKey {
        case name, path, kind, target, parameters, metrics, error, rows, task
        case classification = "classification_metrics"
        case fileBytes = "file_bytes", rowsPerSecond = "rows_per_second", skippedRows = "skipped_rows"
        case rowSet = "row_set", rowSetNote = "row_set_note"
    }

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }

    /// The model's identity and what its fit reported.
    mutating func describe(_ model: TrainedModel) {
        kind = model.metadata.kind
        target = model.schema.target
        parameters = model.metadata.parameterCount
        fit = model.metadata.fit
        featureNames = model.schema.encodedNames
        search = model.metadata.search
        task = model.task == .classification ? .classification : nil
        classes = model.classes ?? []
    }
}

/// Which rows a model was scored on. Only `inSample` rows were (or may have been) seen in training;
/// they are never ranked against the others.
public enum RowSet: String, Sendable, Codable {
    /// The model's own test split, reproduced from its file (the data is its training file by fingerprint).
    case heldOut = "held-out"
    /// Rows the model was trained on (its training file without a test split, or one that cannot be reproduced).
    case inSample = "in-sample"
    /// A file other than the model's training file (by fingerprint).
    case other = "other-data"
    /// The test metrics stored in the file at training time.
    case stored = "stored-test"

    /// Whether a score on these rows may be ranked as an out-of-sample score.
    public var isOutOfSample: Bool { self != .inSample }
}

/// A CSV table to evaluate on, with its fingerprint (computed once for every model).
public struct EvaluationData: Sendable {
    public let table: CSVTable
    public let fingerprint: DataFingerprint

    public init(_ table: CSVTable) {
        self.table = table
        fingerprint = DataFingerprint(table)
    }
}

/// Evaluates models from files on a CSV table, each on the columns it needs.
public enum ModelComparison {
    /// The `.nnm` files named by `paths` (directories expand to their `.nnm` files, sorted).
    public static func modelFiles(_ paths: [String]) throws -> [String] {
        var out: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                throw ZooError.io(path: p, message: "no such file or directory")
            }
            if isDir.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: p).filter { $0.hasSuffix(".nnm") }.sorted()
                out += names.map { (p as NSString).appendingPathComponent($0) }
            } else {
                out.append(p)
            }
        }
        return out
    }

    /// Loads and evaluates one model on `table` (nil: stored metrics only). Never throws: failures
    /// land in the row's `error` so other models still compare.
    public static func evaluate(path: String, table: CSVTable?, target: String?, registry: PluginRegistry) -> ModelEvaluation {
        evaluate(path: path, data: table.map(EvaluationData.init), target: target, registry: registry)
    }

    /// As `evaluate(path:table:target:registry:)`; a table that is the model's training file (same
    /// fingerprint) scores only its held-out rows, reproduced from the split the file records.
    public static func evaluate(path: String, data: EvaluationData?, target: String?, registry: PluginRegistry) -> ModelEvaluation {
        var e = ModelEvaluation(name: (path as NSString).lastPathComponent, path: path)
        e.fileBytes = FileBytes.size(of: path)
        let model: TrainedModel
        do {
            model = try TrainedModel.load(path: path, registry: registry)
        } catch {
            e.error = "\(error)"
            return e
        }
        e.describe(model)
        guard let data else {
            e.metrics = model.metadata.testMetrics
            e.classification = model.metadata.testClassification
            e.rows = e.metrics?.rows ?? e.classification?.rows
            e.rowSet = .stored
            if e.metrics == nil && e.classification == nil { e.error = "no stored test metrics (trained with --test-fraction 0)" }
            return e
        }
        do {
            let targetName = target ?? model.schema.target
            let (rowSet, rows, note) = try RowSelection.rows(for: model, data: data, target: targetName)
            e.rowSet = rowSet
            e.rowSetNote = note
            if let classes = model.classes {
                try evaluateClassifier(model, classes: classes, table: data.table, target: targetName, only: rows, into: &e)
            } else {
                try score(model, data.table, target: targetName, only: rows, into: &e)
            }
        } catch {
            e.error = "\(error)"
        }
        return e
    }

    /// Scores `model` on the table's rows (only those in `only`, when given) that it can encode and that have a target.
    static func score(
        _ model: TrainedModel, _ table: CSVTable, target targetName: String, only: [Int]?, into e: inout ModelEvaluation,
        maxMatrixBytes: Int = PredictOptions().maxMatrixBytes
    ) throws {
        guard let targetCol = table.columnIndex(targetName) else {
            throw ZooError.missingColumn(name: targetName, role: "target", available: table.header)
        }
        let y: [Double] = table.withCells { cells in
            (0..<table.rowCount).map { r in if case .number(let v) = cells.cell(r, targetCol) { v } else { .nan } }
        }
        let wanted = rowMask(only, rowCount: table.rowCount)
        var actual: [Double] = [], predicted: [Double] = [], seconds = 0.0
        try EncodedRows.forEach(
            try FeatureEncoder(schema: model.schema, header: table.header), table, maxMatrixBytes: maxMatrixBytes,
            accept: { r in !y[r].isNaN && (wanted?[r] ?? true) }
        ) { x, rows, whole in
            let (p, s) = try timed(runs: whole ? 3 : 1) { try model.predict(encoded: x) }
            predicted += p
            seconds += s
            actual += rows.map { y[$0] }
        }
        e.skippedRows = (only?.count ?? table.rowCount) - actual.count
        guard !actual.isEmpty else { throw ZooError.insufficientData("no usable rows for this model") }
        try record(model, predicted: predicted, actual: actual, seconds: seconds, into: &e)
    }

    /// `f()` and the time of its fastest run: up to `runs` runs (the first touches cold caches),
    /// repeated only while a run takes under 0.2 s, so that large inputs are predicted once. Chunks
    /// of a large table run once each: their times add up to one pass.
    static func timed<T>(runs: Int = 3, _ f: () throws -> T) rethrows -> (T, Double) {
        var best = Double.infinity
        var result: T?
        for _ in 0..<max(1, runs) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            result = try f()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, seconds)
            if seconds >= 0.2 { break }
        }
        return (result!, best)
    }

    /// Predicts encoded rows and fills metrics, throughput and the values for charts.
    public static func measure(_ model: TrainedModel, x: Matrix, actual: [Double], into e: inout ModelEvaluation) throws {
        let (predicted, seconds) = try timed { try model.predict(encoded: x) }
        try record(model, predicted: predicted, actual: actual, seconds: seconds, into: &e)
    }

    /// Fills metrics, throughput (rows over the prediction time) and the values for charts.
    static func record(_ model: TrainedModel, predicted: [Double], actual: [Double], seconds: Double, into e: inout ModelEvaluation)
        throws
    {
        e.describe(model)
        e.rowsPerSecond = Double(actual.count) / max(seconds, 1e-9)
        let metrics = RegressionMetrics(actual: actual, predicted: predicted)
        guard metrics.mse.isFinite, metrics.maxError.isFinite else {
            // Not a score to rank (an infinite RMSE sorted first) nor one JSON can carry.
            throw ZooError.invalidInput(
                "the model's errors overflow on these rows (MSE \(metrics.mse)): a prediction or a target is "
                    + "too large to score")
        }
        e.metrics = metrics
        e.rows = actual.count
        e.actual = actual
        e.predicted = predicted
    }

    /// Whether each of `rowCount` rows is among `only` (nil: every row). A mask, not a `Set`: hashing
    /// every row of a million-row table was 7% of `zoo compare`.
    static func rowMask(_ only: [Int]?, rowCount: Int) -> [Bool]? {
        only.map { rows in
            var mask = [Bool](repeating: false, count: rowCount)
            for r in rows where r >= 0 && r < rowCount { mask[r] = true }
            return mask
        }
    }

    /// A classifier on `table`: rows whose target is one of its classes (others are skipped and counted).
    static func evaluateClassifier(
        _ model: TrainedModel, classes: [String], table: CSVTable, target: String, only: [Int]?,
        into e: inout ModelEvaluation, maxMatrixBytes: Int = PredictOptions().maxMatrixBytes
    ) throws {
        guard let targetCol = table.columnIndex(target) else {
            throw ZooError.missingColumn(name: target, role: "target", available: table.header)
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        // Each row's class index, −1 where the target is missing or not one of the classes.
        let classOf: [Int] = table.withCells { cells in
            var classOfText = TextValues<Int>()
            return (0..<table.rowCount).map { r in
                if cells.isEmpty(r, targetCol) { return -1 }
                return classOfText.value(cells, table, row: r, column: targetCol) { text in
                    // A number's canonical label when its text is not a class ("1.0" for class "1").
                    let number: Int? = if case .number(let v) = cells.cell(r, targetCol) { index[ClassLabels.label(v)] } else { nil }
                    return index[text] ?? number ?? -1
                }
            }
        }
        let wanted = rowMask(only, rowCount: table.rowCount)
        var actual: [Int] = [], probabilities: [Double] = [], seconds = 0.0
        try EncodedRows.forEach(
            try FeatureEncoder(schema: model.schema, header: table.header), table, maxMatrixBytes: maxMatrixBytes,
            accept: { r in classOf[r] >= 0 && (wanted?[r] ?? true) }
        ) { x, rows, whole in
            let (p, s) = try timed(runs: whole ? 3 : 1) { try model.classify(encoded: x) }
            probabilities += p.probabilities.values
            seconds += s
            actual += rows.map { classOf[$0] }
        }
        e.skippedRows = table.rowCount - actual.count
        guard !actual.isEmpty else {
            throw ZooError.insufficientData(
                "no usable rows for this model (none has a target among its classes \(classes.prefix(5).joined(separator: ", ")))")
        }
        let predicted = try ClassPredictions(
            probabilities: Matrix(rows: actual.count, cols: classes.count, values: probabilities), classes: classes)
        try recordClassifier(model, predicted: predicted, actual: actual, seconds: seconds, into: &e)
        e.rows = actual.count
    }

    /// Predicts a classifier's probabilities and fills its metrics, throughput and the values for charts.
    public static func measureClassifier(_ model: TrainedModel, x: Matrix, actual: [Int], into e: inout ModelEvaluation) throws {
        guard x.rows > 0, actual.count == x.rows else { throw ZooError.insufficientData("no usable rows for this model") }
        let (predicted, seconds) = try timed { try model.classify(encoded: x) }
        try recordClassifier(model, predicted: predicted, actual: actual, seconds: seconds, into: &e)
    }

    /// Fills a classifier's metrics, throughput and the values for charts.
    static func recordClassifier(
        _ model: TrainedModel, predicted: ClassPredictions, actual: [Int], seconds: Double, into e: inout ModelEvaluation
    ) throws {
        guard predicted.probabilities.values.allSatisfy(\.isFinite) else {
            throw ZooError.invalidInput("the model's probabilities are not finite on these rows: nothing to score")
        }
        e.describe(model)
        e.rowsPerSecond = Double(actual.count) / max(seconds, 1e-9)
        e.classification = ClassificationMetrics(
            actual: actual, probabilities: predicted.probabilities,
            predicted: predicted.classIndices, labels: predicted.classes)
        e.actualClasses = actual
        e.probabilities = predicted.probabilities
    }

    /// Classifier rows as `sorted` orders regressors: by target, out-of-sample scores before in-sample
    /// ones (never ranked together: an in-sample classifier sorted by log-loss came first and was marked
    /// best), each by `metric` (best first: lowest log-loss, highest otherwise), failures last by name.
    public static func sortedClassifiers(_ rows: [ModelEvaluation], by metric: ClassificationMetric = .logLoss) -> [ModelEvaluation] {
        ranked(rows, lowerIsBetter: metric.lowerIsBetter) { $0.classification?.value(metric) }
    }

    /// Why no row has metrics (one line per model), or nil when at least one model was evaluated.
    public static func noResultReason(_ rows: [ModelEvaluation], source: String) -> String? {
        guard !rows.contains(where: \.isEvaluated) else { return nil }
        let reasons = rows.map { "  \($0.name): \($0.error ?? "no metrics")" }
        return "no model could be evaluated on \(source):\n" + reasons.joined(separator: "\n")
    }

    /// Rows grouped by target (models of different targets are never ranked together), then
    /// out-of-sample scores by RMSE, then in-sample ones by RMSE, failures last (each by name).
    public static func sorted(_ rows: [ModelEvaluation]) -> [ModelEvaluation] {
        ranked(rows, lowerIsBetter: true) { $0.metrics?.rmse }
    }

    /// Rows by target, then rank class (see `rankClass`), then `score` (best first; a row with a
    /// score before one without), ties and failures by name.
    static func ranked(_ rows: [ModelEvaluation], lowerIsBetter: Bool, score: (ModelEvaluation) -> Double?) -> [ModelEvaluation] {
        rows.sorted { a, b in
            if (a.target ?? "") != (b.target ?? "") { return (a.target ?? "") < (b.target ?? "") }
            let ka = rankClass(a), kb = rankClass(b)
            if ka != kb { return ka < kb }
            guard ka < 2 else { return a.name < b.name }
            switch (score(a), score(b)) {
            case let (x?, y?): return x != y ? (lowerIsBetter ? x < y : x > y) : a.name < b.name
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.name < b.name
            }
        }
    }

    /// 0 for a ranked (out-of-sample) score, 1 in-sample, 2 failed.
    static func rankClass(_ r: ModelEvaluation) -> Int {
        guard r.isEvaluated else { return 2 }
        return r.rowSet?.isOutOfSample ?? true ? 0 : 1
    }

    /// Whether `rows[i]` (in `sorted` order) is the best out-of-sample score of its target.
    public static func isBest(_ sorted: [ModelEvaluation], _ i: Int) -> Bool {
        guard rankClass(sorted[i]) == 0 else { return false }
        return i == 0 || sorted[i - 1].target != sorted[i].target
    }
}
