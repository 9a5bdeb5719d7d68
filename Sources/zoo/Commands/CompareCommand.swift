import ArgumentParser
import Foundation
import ModelZoo

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Evaluate models on the same CSV and rank them (regressors by RMSE, classifiers by log-loss).",
        discussion: """
            A CSV that is a model's training file (by the content hash the model records) scores that \
            model on its own held-out rows, reproduced from the split stored in its file ("held-out"); \
            a model trained on every row of it, or whose file records no fingerprint, is scored on \
            rows it was trained on ("in-sample", with a warning) and never ranked against held-out \
            scores. Any other CSV is "other-data"; without --data the stored test metrics are \
            "stored-test". Models are ranked per target, and the rows column says how many rows \
            each was scored on.

            Each model reads the columns it needs (models trained on different features compare \
            fine); a model that cannot read the CSV is reported in its row with the reason. Without \
            --data the metrics stored in the files (their own test splits) are compared. Exit code 2 \
            if any model file could not be read. Classifiers are ranked in a table of their own, by \
            log-loss unless --metric says otherwise. When no model could be evaluated, nothing is printed \
            on stdout, stderr says why for each, and the exit code is 1 (2 if a file was unreadable).

            Examples:
              zoo compare models/ --data data/bmi_data.csv
              zoo compare models/bmi-mlp.nnm models/bmi-forest.nnm --data test.csv --format markdown
              zoo compare models/
              zoo compare models/ --data test.csv --format csv --no-timings --precision 6 > metrics.csv
            """
    )

    @Argument(help: "Model files or directories of them.", completion: .file(extensions: ["nnm"]))
    var models: [String]

    @Option(help: "CSV to evaluate on (default: the metrics stored in each file).")
    var data: String?

    @Option(help: "Target column (default: the one each model was trained on).")
    var target: String?

    @Option(help: "table, markdown, csv or json.")
    var format: ComparisonFormat = .table

    @Option(help: "Classifiers: rank by log_loss, accuracy, balanced_accuracy, macro_f1, weighted_f1 or roc_auc.")
    var metric: ClassificationMetric = .logLoss

    @OptionGroup var precision: PrecisionOptionGroup

    @Flag(inversion: .prefixedNo, help: "Include the rows/s column (the only value that changes from run to run).")
    var timings = true

    @OptionGroup var csv: CSVOptionGroup
    @OptionGroup var threads: ThreadsOptionGroup

    func run() throws {
        threads.apply()
        let files = try ModelComparison.modelFiles(models)
        guard !files.isEmpty else { throw ZooError.invalidInput("no .nnm files in \(models.joined(separator: ", "))") }
        let table = try data.map { EvaluationData(try CSVTable.read(path: $0, options: try csv.csvOptions())) }
        let rows = files.map { ModelComparison.evaluate(path: $0, data: table, target: target, registry: builtinRegistry) }
        if data == nil {
            Diagnostics.note(
                "comparing the test metrics stored in each file (each model's own test split); "
                    + "pass --data to evaluate on one CSV")
        }
        try NoResult.check(rows, source: data ?? "their stored test metrics")
        for line in RowSetWarnings.lines(rows) { Diagnostics.warning(line) }
        let style = ComparisonStyle(precision: precision.precision, timings: timings, metric: metric)
        print(try ComparisonOutput.render(rows, format: format, style: style), terminator: "")
        if rows.contains(where: { $0.kind == nil }) { throw ExitCode(2) }
    }
}

extension ComparisonFormat: ExpressibleByArgument {}
extension ClassificationMetric: ExpressibleByArgument {}
