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
            models/report.html. Same seed → same models and predictions.

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
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let options = DataOptions(target: target)
        let table = try CSVTable.read(path: data, options: try csv.csvOptions())
        let prepared = try DatasetBuilder.prepare(table, options: options)
        if !quiet { TrainingRun.printDataSummary(prepared, source: data) }
        var rows: [ModelEvaluation] = []
        for plugin in builtinRegistry.plugins {
            let progress = ProgressLine(label: plugin.kind, target: target, quiet: quiet, logSteps: false)
            let result = try Trainer.train(plugin: plugin, data: prepared, options: options,
                                           context: FitContext(progress: { progress.update($0) }))
            progress.finish()
            let path = (outDir as NSString).appendingPathComponent("bmi-\(plugin.kind).nnm")
            try result.model.save(to: path)
            var row = ModelEvaluation(name: (path as NSString).lastPathComponent, path: path)
            row.fileBytes = FileBytes.size(of: path)
            try ModelComparison.measure(result.model, x: prepared.testX, actual: prepared.testY, into: &row)
            rows.append(row)
            if !quiet {
                Diagnostics.note("\(plugin.kind): \(result.model.metadata.summary), fit \(String(format: "%.3f", result.seconds))s, test RMSE \(Format.metric(row.metrics?.rmse)) → \(path)")
            }
        }
        let report = (outDir as NSString).appendingPathComponent("report.html")
        let html = HTMLReport.render(rows: rows, dataDescription: "test split of \(data): \(Format.count(prepared.rows.test)) rows (seed \(options.seed), fraction \(options.testFraction))", unit: target)
        try AtomicFile.write(Array(html.utf8), to: report)
        print("\nTest split (\(Format.count(prepared.rows.test)) rows, \(target) units; * = best RMSE):")
        print(try ComparisonOutput.render(rows, format: .table), terminator: "")
        if !quiet { Diagnostics.note("report: \(report)") }
    }
}
