import ArgumentParser
import ModelZoo

/// How `train` and `demo` read, clean, split and scale the data.
struct TrainingOptionGroup: ParsableArguments {
    @Option(help: "Fraction of usable rows held out for test metrics (0 trains on all rows).")
    var testFraction: Double = 0.2

    @Option(help: "Seed for the train/test split.")
    var seed: UInt64 = 402

    @Option(help: "Feature scaling: minmax, standard or none.")
    var scaler: AffineScaler.Kind = .minmax

    @Option(help: "Rows missing a feature: drop (default) or mean (numeric mean / most frequent level).")
    var impute: ImputeStrategy = .drop

    @Option(help: "Most memory training may plan to use, e.g. 2GB or 512MB (default: 80% of the machine's).")
    var memoryLimit: ByteCount?

    @OptionGroup var csv: CSVOptionGroup

    func validate() throws {
        guard testFraction >= 0, testFraction < 1 else {
            throw ValidationError("--test-fraction must be in [0, 1), got \(testFraction)")
        }
    }

    func dataOptions(target: String, features: [String]?) -> DataOptions {
        var o = DataOptions(target: target, features: features)
        o.testFraction = testFraction
        o.seed = seed
        o.scaler = scaler
        o.impute = impute
        if let memoryLimit { o.memory = MemoryBudget(limit: memoryLimit.bytes) }
        return o
    }
}

/// Trains one plugin and prints what a user should see.
enum TrainingRun {
    /// Prints the data summary (rows used, dropped and why, encoded features).
    static func printDataSummary(_ d: PreparedData, source: String) {
        let r = d.rows
        var s = "data: \(source): \(Format.count(r.read)) rows read"
        if r.droppedMissingTarget > 0 { s += ", \(Format.count(r.droppedMissingTarget)) dropped (target missing)" }
        if r.droppedMissingFeatures > 0 { s += ", \(Format.count(r.droppedMissingFeatures)) dropped (feature missing)" }
        if r.imputed > 0 { s += ", \(Format.count(r.imputed)) imputed" }
        s += "; train \(Format.count(r.train)), test \(Format.count(r.test))"
        print(s)
        let cols = d.schema.columns.map { c -> String in
            c.kind == .numeric ? c.name : "\(c.name) [\((c.levels ?? []).joined(separator: "/"))]"
        }
        print("features (\(d.schema.encodedWidth) encoded): \(cols.joined(separator: ", "))  target: \(d.schema.target)")
        for w in d.warnings { Diagnostics.warning(w) }
    }

    static func metricsLine(_ m: RegressionMetrics?, label: String) -> String {
        guard let m else { return "\(label): no rows held out (--test-fraction 0)" }
        return "\(label) (\(Format.count(m.rows)) rows): MSE \(Format.metric(m.mse))  RMSE \(Format.metric(m.rmse))  MAE \(Format.metric(m.mae))  R² \(String(format: "%.5f", m.r2))"
    }
}
