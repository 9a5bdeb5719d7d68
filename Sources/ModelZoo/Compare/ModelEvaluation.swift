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
    /// Rows of the data this model could not use (missing or unknown values).
    public var skippedRows: Int = 0
    /// Why the model could not be evaluated; other fields may be nil.
    public var error: String?

    /// Actual and predicted values (for charts); not serialised.
    public var actual: [Double] = []
    public var predicted: [Double] = []
    /// What fitting reported (history, early stopping, importances) and the encoded feature names
    /// the importances belong to; not serialised.
    public var fit = FitReport()
    public var featureNames: [String] = []

    enum CodingKeys: String, CodingKey {
        case name, path, kind, target, parameters, metrics, error
        case fileBytes = "file_bytes", rowsPerSecond = "rows_per_second", skippedRows = "skipped_rows"
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
        guard let table else {
            e.metrics = model.metadata.testMetrics
            if e.metrics == nil { e.error = "no stored test metrics (trained with --test-fraction 0)" }
            return e
        }
        do {
            let targetName = target ?? model.schema.target
            guard let targetCol = table.columnIndex(targetName) else {
                throw ZooError.missingColumn(name: targetName, role: "target", available: table.header)
            }
            let encoder = try FeatureEncoder(schema: model.schema, header: table.header)
            let w = encoder.width
            // Encoded on all cores; then the rows that also have a numeric target.
            let (all, rows) = encoder.encodeAll(table)
            var values: [Double] = [], actual: [Double] = []
            values.reserveCapacity(all.values.count)
            actual.reserveCapacity(rows.count)
            table.withCells { cells in
                for (k, r) in rows.enumerated() {
                    guard case .number(let y) = cells.cell(r, targetCol) else { continue }
                    actual.append(y)
                    values.append(contentsOf: all.values[(k * w)..<((k + 1) * w)])
                }
            }
            e.skippedRows = table.rowCount - actual.count
            guard !actual.isEmpty else { throw ZooError.insufficientData("no usable rows for this model") }
            try measure(model, x: Matrix(rows: actual.count, cols: w, values: values), actual: actual, into: &e)
        } catch {
            e.error = "\(error)"
        }
        return e
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
        e.actual = actual
        e.predicted = predicted
    }

    /// Why no row has metrics (one line per model), or nil when at least one model was evaluated.
    public static func noResultReason(_ rows: [ModelEvaluation], source: String) -> String? {
        guard !rows.contains(where: { $0.metrics != nil && $0.error == nil }) else { return nil }
        let reasons = rows.map { "  \($0.name): \($0.error ?? "no metrics")" }
        return "no model could be evaluated on \(source):\n" + reasons.joined(separator: "\n")
    }

    /// Rows sorted by RMSE (failures last, then by name).
    public static func sorted(_ rows: [ModelEvaluation]) -> [ModelEvaluation] {
        rows.sorted { a, b in
            switch (a.metrics?.rmse, b.metrics?.rmse) {
            case let (x?, y?): return x != y ? x < y : a.name < b.name
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a.name < b.name
            }
        }
    }
}
