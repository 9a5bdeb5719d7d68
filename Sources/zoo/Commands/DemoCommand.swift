import ArgumentParser
import Foundation
import ModelZoo

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train every registered plugin on the bundled BMI data and compare them.",
        discussion: """
            Writes models/bmi-<kind>.nnm for each plugin (split 0.2, seed 402) and prints the \
            comparison on the test split, best RMSE first. Same seed → same models.

            Examples:
              swift run -c release zoo demo
              zoo demo --out-dir /tmp/zoo
            """
    )

    @Option(help: "Training CSV.")
    var data: String = "data/bmi_data.csv"

    @Option(help: "Target column.")
    var target: String = "BMI"

    @Option(help: "Directory for the trained models.")
    var outDir: String = "models"

    @Flag(name: .shortAndLong, help: "Only the comparison table.")
    var quiet = false

    func run() throws {
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let options = DataOptions(target: target)
        let table = try CSVTable.read(path: data)
        let prepared = try DatasetBuilder.prepare(table, options: options)
        if !quiet { TrainingRun.printDataSummary(prepared, source: data) }
        var results: [(file: String, model: TrainedModel, seconds: Double, size: Int)] = []
        for plugin in builtinRegistry.plugins {
            let progress = ProgressLine(label: plugin.kind, quiet: quiet, logSteps: false)
            let result = try Trainer.train(plugin: plugin, data: prepared, options: options,
                                           context: FitContext(progress: { progress.update($0) }))
            progress.finish()
            let path = (outDir as NSString).appendingPathComponent("bmi-\(plugin.kind).nnm")
            try result.model.save(to: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if !quiet {
                Diagnostics.note("\(plugin.kind): fit \(String(format: "%.3f", result.seconds))s, test RMSE \(Format.metric(result.model.metadata.testMetrics?.rmse)) → \(path)")
            }
            results.append((path, result.model, result.seconds, size))
        }
        results.sort { ($0.model.metadata.testMetrics?.rmse ?? .infinity) < ($1.model.metadata.testMetrics?.rmse ?? .infinity) }
        var t = TextTable(["", "model", "kind", "params", "MSE", "RMSE", "MAE", "R²", "max err", "fit s", "size"],
                          rightAligned: [3, 4, 5, 6, 7, 8, 9, 10])
        for (i, r) in results.enumerated() {
            let m = r.model.metadata.testMetrics
            t.add([i == 0 ? "*" : "", (r.file as NSString).lastPathComponent, r.model.metadata.kind, Format.count(r.model.metadata.parameterCount),
                   Format.metric(m?.mse), Format.metric(m?.rmse), Format.metric(m?.mae), m.map { String(format: "%.5f", $0.r2) } ?? "-",
                   Format.metric(m?.maxError), String(format: "%.3f", r.seconds), Format.bytes(r.size)])
        }
        print("\nTest split (\(Format.count(prepared.rows.test)) rows, \(target) units; * = best RMSE):")
        print(t.render(), terminator: "")
    }
}
