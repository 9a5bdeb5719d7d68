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

    enum CodingKeys: String, CodingKey {
        case name, path, kind, target, parameters, metrics, error, rows
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
            e.rows = e.metrics?.rows
            e.rowSet = .stored
            if e.metrics == nil { e.error = "no stored test metrics (trained with --test-fraction 0)" }
            return e
        }
        do {
            let targetName = target ?? model.schema.target
            let (rowSet, rows, note) = try RowSelection.rows(for: model, data: data, target: targetName)
            e.rowSet = rowSet
            e.rowSetNote = note
            try score(model, data.table, target: targetName, only: rows, into: &e)
        } catch {
            e.error = "\(error)"
        }
        return e
    }

    /// Scores `model` on the table's rows (only those in `only`, when given) that it can encode and that have a target.
    static func score(_ model: TrainedModel, _ table: CSVTable, target targetName: String, only: [Int]?, into e: inout ModelEvaluation) throws {
        guard let targetCol = table.columnIndex(targetName) else {
            throw ZooError.missingColumn(name: targetName, role: "target", available: table.header)
        }
        var wanted: [Bool]?
        if let only {
            wanted = [Bool](repeating: false, count: table.rowCount)
            for r in only { wanted![r] = true }
        }
        let encoder = try FeatureEncoder(schema: model.schema, header: table.header)
        let w = encoder.width
        // Encoded on all cores; then the rows that also have a numeric target.
        let (all, rows) = encoder.encodeAll(table)
        var values: [Double] = [], actual: [Double] = []
        values.reserveCapacity(all.values.count)
        actual.reserveCapacity(rows.count)
        table.withCells { cells in
            for (k, r) in rows.enumerated() where wanted?[r] ?? true {
                guard case .number(let y) = cells.cell(r, targetCol) else { continue }
                actual.append(y)
                values.append(contentsOf: all.values[(k * w)..<((k + 1) * w)])
            }
        }
        e.skippedRows = (only?.count ?? table.rowCount) - actual.count
        guard !actual.isEmpty else { throw ZooError.insufficientData("no usable rows for this model") }
        try measure(model, x: Matrix(rows: actual.count, cols: w, values: values), actual: actual, into: &e)
    }

    /// Predicts encoded rows and fills metrics, throughput and the values for charts. Throughput is
    /// the fastest of up to three runs (the first touches cold caches), repeated only while a run
    /// takes under 0.2 s: on large inputs one run is long enough to time.
    public static func measure(_ model: TrainedModel, x: Matrix, actual: [Double], into e: inout ModelEvaluation) throws {
        var best = Double.infinity
        var predicted: [Double] = []
        for _ in 0..<3 {
            let t0 = DispatchTime.now().uptimeNanoseconds
            predicted = try model.predict(encoded: x)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, seconds)
            if seconds >= 0.2 { break }
        }
        e.describe(model)
        e.rowsPerSecond = Double(actual.count) / max(best, 1e-9)
        let metrics = RegressionMetrics(actual: actual, predicted: predicted)
        guard metrics.mse.isFinite, metrics.maxError.isFinite else {
            // Not a score to rank (an infinite RMSE sorted first) nor one JSON can carry.
            throw ZooError.invalidInput("the model's errors overflow on these rows (MSE \(metrics.mse)): a prediction or a target is "
                                        + "too large to score")
        }
        e.metrics = metrics
        e.rows = actual.count
        e.actual = actual
        e.predicted = predicted
    }

    /// Why no row has metrics (one line per model), or nil when at least one model was evaluated.
    public static func noResultReason(_ rows: [ModelEvaluation], source: String) -> String? {
        guard !rows.contains(where: { $0.metrics != nil && $0.error == nil }) else { return nil }
        let reasons = rows.map { "  \($0.name): \($0.error ?? "no metrics")" }
        return "no model could be evaluated on \(source):\n" + reasons.joined(separator: "\n")
    }

    /// Rows grouped by target (models of different targets are never ranked together), then
    /// out-of-sample scores by RMSE, then in-sample ones by RMSE, failures last (each by name).
    public static func sorted(_ rows: [ModelEvaluation]) -> [ModelEvaluation] {
        rows.sorted { a, b in
            if (a.target ?? "") != (b.target ?? "") { return (a.target ?? "") < (b.target ?? "") }
            let ka = rankClass(a), kb = rankClass(b)
            if ka != kb { return ka < kb }
            switch (a.metrics?.rmse, b.metrics?.rmse) {
            case let (x?, y?): return x != y ? x < y : a.name < b.name
            default: return a.name < b.name
            }
        }
    }

    /// 0 for a ranked (out-of-sample) score, 1 in-sample, 2 failed.
    static func rankClass(_ r: ModelEvaluation) -> Int {
        guard r.metrics != nil, r.error == nil else { return 2 }
        return r.rowSet?.isOutOfSample ?? true ? 0 : 1
    }

    /// Whether `rows[i]` (in `sorted` order) is the best out-of-sample score of its target.
    public static func isBest(_ sorted: [ModelEvaluation], _ i: Int) -> Bool {
        guard rankClass(sorted[i]) == 0 else { return false }
        return i == 0 || sorted[i - 1].target != sorted[i].target
    }
}
