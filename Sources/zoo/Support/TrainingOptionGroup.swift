import ArgumentParser
import ModelZoo

/// How `train` and `demo` read, clean, split and scale the data.
struct TrainingOptionGroup: ParsableArguments {
    @OptionGroup var split: SplitOptionGroup

    @Option(help: "Feature scaling: minmax, standard or none.")
    var scaler: AffineScaler.Kind = .minmax

    @Option(help: "Rows missing a feature: drop (default) or mean (numeric mean / most frequent level).")
    var impute: ImputeStrategy = .drop

    @Option(help: "Most memory training may plan to use, e.g. 2GB or 512MB (default: 80% of the machine's).")
    var memoryLimit: ByteCount?

    @Option(
        help: "What to predict: classify (one of the target's classes) or regress (a number). Default: from the target (text: classify).")
    var task: LearningTask?

    @Flag(inversion: .prefixedNo, help: "Classification: hold out the same fraction of every class (unless --stratify or --group).")
    var stratifyClasses = true

    @OptionGroup var csv: CSVOptionGroup

    func dataOptions(target: String, features: [String]?) -> DataOptions {
        var o = split.dataOptions(target: target, features: features)
        o.scaler = scaler
        o.impute = impute
        o.task = task
        o.stratify = stratifyClasses
        o.commandLine = CommandLineRecord.arguments
        if let memoryLimit { o.memory = MemoryBudget(limit: memoryLimit.bytes) }
        return o
    }
}

/// How `train`, `split`, `tune` and `demo` deal rows between training and test.
struct SplitOptionGroup: ParsableArguments {
    @Option(help: "Fraction of usable rows held out for test metrics (0 trains on all rows, in file order).")
    var testFraction: Double = 0.2

    @Option(help: "Seed for the train/test split.")
    var seed: UInt64 = 402

    @Option(
        help: ArgumentHelp(
            "Keep each stratum's share in both splits: the column's levels, or quantile bins of a numeric column.",
            valueName: "column"))
    var stratify: String?

    @Option(help: "Quantile bins for --stratify on a numeric column.")
    var stratifyBins: Int = SplitStrategy.defaultBins

    @Option(help: ArgumentHelp("Rows with the same value in this column stay on one side of the split.", valueName: "column"))
    var group: String?

    func validate() throws {
        guard testFraction >= 0, testFraction < 1 else {
            throw ValidationError("--test-fraction must be in [0, 1), got \(testFraction)")
        }
        if stratify != nil && group != nil { throw ValidationError("--stratify and --group cannot be used together") }
        guard (2...1000).contains(stratifyBins) else { throw ValidationError("--stratify-bins must be in 2...1000, got \(stratifyBins)") }
    }

    var strategy: SplitStrategy {
        if let stratify { return .stratify(column: stratify, bins: stratifyBins) }
        if let group { return .group(column: group) }
        return .random
    }

    func dataOptions(target: String, features: [String]?) -> DataOptions {
        var o = DataOptions(target: target, features: features)
        o.testFraction = testFraction
        o.seed = seed
        o.split = strategy
        return o
    }
}

/// The command line as typed, recorded in model files (`zoo train linear --data ...`).
enum CommandLineRecord {
    static var arguments: [String] { ["zoo"] + CommandLine.arguments.dropFirst() }
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
        var target = d.schema.target
        if let classes = d.schema.classes {
            let counts = ClassCounts(d.trainY, classCount: classes.count).counts
            target += " (classes: \(zip(classes, counts).map { "\($0) \(Format.count($1))" }.joined(separator: ", ")) in training)"
        }
        print("features (\(d.schema.encodedWidth) encoded): \(cols.joined(separator: ", "))  target: \(target)")
        for w in d.warnings { Diagnostics.warning(w) }
    }

    static func metricsLine(_ m: RegressionMetrics?, label: String) -> String {
        guard let m else { return "\(label): no rows held out (--test-fraction 0)" }
        return
            "\(label) (\(Format.count(m.rows)) rows): MSE \(Format.metric(m.mse))  RMSE \(Format.metric(m.rmse))  MAE \(Format.metric(m.mae))  R² \(String(format: "%.5f", m.r2))"
    }

    /// A classifier's headline metrics on one line.
    static func classificationLine(_ m: ClassificationMetrics?, label: String) -> String {
        guard let m else { return "\(label): no rows held out (--test-fraction 0)" }
        let auc = m.rocAUC.map { "  ROC AUC \(Format.metric($0))" } ?? ""
        return
            "\(label) (\(Format.count(m.rows)) rows): accuracy \(Format.metric(m.accuracy))  balanced accuracy \(Format.metric(m.balancedAccuracy))  "
            + "macro F1 \(Format.metric(m.macroF1))  weighted F1 \(Format.metric(m.weightedF1))  log-loss \(Format.metric(m.logLoss))\(auc)"
    }

    /// Per-class precision, recall, F1 and support, then the confusion matrix (rows: true class).
    static func classificationTable(_ m: ClassificationMetrics) -> [String] {
        let labels = m.perClass.map(\.label)
        var t = TextTable(
            ["class", "precision", "recall", "F1", "support"] + labels.map { "→ \($0)" },
            rightAligned: Set(1..<(5 + labels.count)))
        for (i, c) in m.perClass.enumerated() {
            t.add(
                [c.label, Format.metric(c.precision), Format.metric(c.recall), Format.metric(c.f1), Format.count(c.support)]
                    + m.confusion[i].map { Format.count($0) })
        }
        return t.render().split(separator: "\n").map(String.init)
    }

    /// The metric lines `train` prints for a trained model (regression or classification).
    static func testLines(_ metadata: ModelMetadata) -> [String] {
        guard metadata.task == .classification else { return [metricsLine(metadata.testMetrics, label: "test")] }
        var lines = [classificationLine(metadata.testClassification, label: "test")]
        if let m = metadata.testClassification { lines += classificationTable(m) }
        return lines
    }
}

extension LearningTask: ExpressibleByArgument {}
