import ArgumentParser
import Foundation
import ModelZoo

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train every registered plugin on the bundled BMI data, compare them, write a report.",
        discussion: """
            Writes models/bmi-<kind>.nnm for each plugin with its default hyperparameters (split 0.2, \
            seed 402), prints the comparison on the held-out test split (best RMSE first) and writes \
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

    @Option(help: "Directory for the trained models and report.html.")
    var outDir: String = "models"

    @Flag(name: .shortAndLong, help: "Only the comparison table.")
    var quiet = false

    @OptionGroup var threads: ThreadsOptionGroup

    @OptionGroup var csv: CSVOptionGroup

    func run() throws {
        threads.apply()
        let options = DataOptions(target: target)
        let prepared = try DatasetBuilder.prepare(try readData(), options: options)
        if !quiet { TrainingRun.printDataSummary(prepared, source: data) }
        // Everything is trained before anything is written: a failure leaves no directory or file behind.
        let results = try builtinRegistry.plugins.map { try train($0, prepared, options) }
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let rows = try results.map { try save($0, prepared) }
        let report = (outDir as NSString).appendingPathComponent("report.html")
        let split = "seed \(options.seed), fraction \(options.testFraction)"
        let description = "test split of \(data): \(Format.count(prepared.rows.test)) rows (\(split))"
        let html = HTMLReport.render(rows: rows, dataDescription: description, unit: target)
        try AtomicFile.write(Array(html.utf8), to: report)
        print("\nTest split (\(Format.count(prepared.rows.test)) rows, \(target) units; * = best RMSE):")
        print(try ComparisonOutput.render(rows, format: .table), terminator: "")
        if !quiet { Diagnostics.note("report: \(report)") }
    }

    /// The training CSV; a missing file says how to run the demo from elsewhere.
    func readData() throws -> CSVTable {
        guard FileManager.default.fileExists(atPath: data) else {
            throw ZooError.io(path: data, message: "no such file; zoo demo trains on the repository's data/bmi_data.csv: "
                              + "run it from the repository root, or pass --data FILE.csv --target COLUMN (and --out-dir DIR)")
        }
        return try CSVTable.read(path: data, options: try csv.csvOptions())
    }

    func train(_ plugin: Plugin, _ prepared: PreparedData, _ options: DataOptions) throws -> TrainingResult {
        let progress = ProgressLine(label: plugin.kind, target: target, quiet: quiet, logSteps: false)
        defer { progress.finish() }
        return try Trainer.train(plugin: plugin, data: prepared, options: options,
                                 context: FitContext(progress: { progress.update($0) }))
    }

    /// Writes `models/bmi-<kind>.nnm` and measures the model on the test split.
    func save(_ result: TrainingResult, _ prepared: PreparedData) throws -> ModelEvaluation {
        let kind = result.model.metadata.kind
        let path = (outDir as NSString).appendingPathComponent("bmi-\(kind).nnm")
        try result.model.save(to: path)
        var row = ModelEvaluation(name: (path as NSString).lastPathComponent, path: path)
        row.fileBytes = FileBytes.size(of: path)
        try ModelComparison.measure(result.model, x: prepared.testX, actual: prepared.testY, into: &row)
        if !quiet {
            let fit = String(format: "%.3f", result.seconds), rmse = Format.metric(row.metrics?.rmse)
            Diagnostics.note("\(kind): \(result.model.metadata.summary), fit \(fit)s, test RMSE \(rmse) → \(path)")
        }
        return row
    }
}
