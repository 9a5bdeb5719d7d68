import ArgumentParser
import Foundation
import ModelZoo

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train every registered plugin on the bundled BMI data, compare them, write a report.",
        discussion: """
            Writes models/bmi-<kind>.nnm for each plugin with its default hyperparameters (split 0.2, \
            seed 402), and each plugin's classifier as models/bmi-category-<kind>.nnm (trained on \
            data/bmi_category.csv, target Category, stratified split), prints the comparisons on the \
            held-out test splits (best RMSE first; classifiers by lowest log-loss) and writes \
            models/report.html. Same seed → same models and predictions. Outside the repository, point \
            it at data with --data FILE.csv --target COLUMN and choose where to write with --out-dir; \
            nothing is created unless every model trained.

            Examples:
              swift run -c release zoo demo
              zoo demo --out-dir /tmp/zoo
            """
    )

    @Option(help: "Training CSV.")
    var data: String = "data/bmi_data.csv"

    @Option(help: "Target column.")
    var target: String = "BMI"

    @Option(help: "Classification CSV for the classifiers (default: data/bmi_category.csv when --data is not given; none otherwise).")
    var classificationData: String?

    @Option(help: "Target column of the classification CSV.")
    var classificationTarget: String = "Category"

    @Option(help: "Directory for the trained models and report.html.")
    var outDir: String = "models"

    @Flag(name: .shortAndLong, help: "Only the comparison table.")
    var quiet = false

    @OptionGroup var threads: ThreadsOptionGroup

    @OptionGroup var csv: CSVOptionGroup

    /// The classification data: as given, or the bundled file when the regression data is the bundled one.
    var classificationSource: String? {
        classificationData ?? (data == "data/bmi_data.csv" ? "data/bmi_category.csv" : nil)
    }

    func run() throws {
        threads.apply()
        let options = DataOptions(target: target)
        let prepared = try DatasetBuilder.prepare(try readData(data), options: options)
        if !quiet { TrainingRun.printDataSummary(prepared, source: data) }
        var classification: (source: String, options: DataOptions, data: PreparedData)?
        if let source = classificationSource {
            var o = DataOptions(target: classificationTarget)
            o.task = .classification
            let d = try DatasetBuilder.prepare(try readData(source), options: o)
            if !quiet { TrainingRun.printDataSummary(d, source: source) }
            classification = (source, o, d)
        }
        // Everything is trained before anything is written: a failure leaves no directory or file behind.
        let results = try builtinRegistry.plugins.map { try train($0, prepared, options, target: target) }
        let classifiers =
            try classification.map { c in
                try builtinRegistry.plugins.filter { $0.classifier != nil }.map {
                    try train($0, c.data, c.options, target: c.options.target)
                }
            } ?? []
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let rows = try results.map { try save($0, prepared, prefix: "bmi-") }
        let classifierRows = try classification.map { c in try classifiers.map { try save($0, c.data, prefix: "bmi-category-") } } ?? []
        let report = (outDir as NSString).appendingPathComponent("report.html")
        let split = "seed \(options.seed), fraction \(options.testFraction)"
        var description = "test split of \(data): \(Format.count(prepared.rows.test)) rows (\(split))"
        if let c = classification {
            description += "; classifiers: stratified test split of \(c.source): \(Format.count(c.data.rows.test)) rows"
        }
        let html = HTMLReport.render(rows: rows + classifierRows, dataDescription: description, unit: target)
        try AtomicFile.write(Array(html.utf8), to: report)
        let regressors = rows.filter { $0.task != .classification }
        if !regressors.isEmpty {
            print("\nTest split (\(Format.count(prepared.rows.test)) rows, \(target) units; * = best RMSE):")
            print(try ComparisonOutput.render(regressors, format: .table), terminator: "")
        }
        let ranked = rows.filter { $0.task == .classification } + classifierRows
        if let c = classification ?? (ranked.isEmpty ? nil : (data, options, prepared)) {
            print(
                "\nClassifiers, test split of \(c.source) (\(Format.count(c.data.rows.test)) rows, target \(c.options.target); * = lowest log-loss):"
            )
            print(try ComparisonOutput.render(ranked, format: .table), terminator: "")
        }
        if !quiet { Diagnostics.note("report: \(report)") }
    }

    /// The training CSV; a missing file says how to run the demo from elsewhere.
    func readData(_ data: String) throws -> CSVTable {
        guard FileManager.default.fileExists(atPath: data) else {
            throw ZooError.io(
                path: data,
                message: "no such file; zoo demo trains on the repository's data/bmi_data.csv: "
                    + "run it from the repository root, or pass --data FILE.csv --target COLUMN (and --out-dir DIR)")
        }
        return try CSVTable.read(path: data, options: try csv.csvOptions())
    }

    func train(_ plugin: Plugin, _ prepared: PreparedData, _ options: DataOptions, target: String) throws -> TrainingResult {
        let progress = ProgressLine(label: plugin.kind, target: target, task: prepared.schema.task, quiet: quiet, logSteps: false)
        defer { progress.finish() }
        return try Trainer.train(
            plugin: plugin, data: prepared, options: options,
            context: FitContext(progress: { progress.update($0) }))
    }

    /// Writes `models/<prefix><kind>.nnm` and measures the model on the test split.
    func save(_ result: TrainingResult, _ prepared: PreparedData, prefix: String) throws -> ModelEvaluation {
        let kind = result.model.metadata.kind
        let path = (outDir as NSString).appendingPathComponent("\(prefix)\(kind).nnm")
        try result.model.save(to: path)
        var row = ModelEvaluation(name: (path as NSString).lastPathComponent, path: path)
        row.fileBytes = FileBytes.size(of: path)
        let fit = String(format: "%.3f", result.seconds)
        if result.model.task == .classification {
            try ModelComparison.measureClassifier(result.model, x: prepared.testX, actual: prepared.testY.map { Int($0) }, into: &row)
            if !quiet {
                let ll = Format.metric(row.classification?.logLoss), acc = Format.metric(row.classification?.accuracy)
                Diagnostics.note("\(kind): \(result.model.metadata.summary), fit \(fit)s, test log-loss \(ll), accuracy \(acc) → \(path)")
            }
            return row
        }
        try ModelComparison.measure(result.model, x: prepared.testX, actual: prepared.testY, into: &row)
        if !quiet {
            let rmse = Format.metric(row.metrics?.rmse)
            Diagnostics.note("\(kind): \(result.model.metadata.summary), fit \(fit)s, test RMSE \(rmse) → \(path)")
        }
        return row
    }
}
