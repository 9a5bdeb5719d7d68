import ArgumentParser
import Foundation
import ModelZoo

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML comparison report with charts.",
        discussion: """
            One HTML file, inline SVG and CSS, no scripts or fonts fetched: the comparison table (rows \
            scored as `zoo compare` scores them: a model's own held-out rows when the CSV is its training \
            file, in-sample rows labelled and never ranked against them), a bar chart of RMSE per target \
            over the out-of-sample scores, and per model a predicted-vs-actual scatter with the y = x line, a \
            residual histogram, loss curves (neural models) and feature importances (forests). When no \
            model could be evaluated on the CSV, no file is written and the exit code is 1 (2 if a \
            model file was unreadable).

            Examples:
              zoo report models/ --data data/bmi_data.csv -o report.html
            """
    )

    @Argument(help: "Model files or directories of them.", completion: .file(extensions: ["nnm"]))
    var models: [String]

    @Option(help: "CSV to evaluate on.")
    var data: String

    @Option(help: "Target column (default: the one each model was trained on).")
    var target: String?

    @Option(name: .shortAndLong, help: "Output HTML file.")
    var output: String

    @OptionGroup var precision: PrecisionOptionGroup
    @OptionGroup var csv: CSVOptionGroup

    func run() throws {
        try OutputGuard.check(output: output, against: models + [data])
        try OutputGuard.checkNotAModel(output: output, writing: "the report")
        let files = try ModelComparison.modelFiles(models)
        guard !files.isEmpty else { throw ZooError.invalidInput("no .nnm files in \(models.joined(separator: ", "))") }
        let table = EvaluationData(try CSVTable.read(path: data, options: try csv.csvOptions()))
        let style = ComparisonStyle(precision: precision.precision)
        let rows = files.map { path in
            ComparisonOutput.styled(ModelComparison.evaluate(path: path, data: table, target: target, registry: builtinRegistry), style)
        }
        try NoResult.check(rows, source: data)
        for line in RowSetWarnings.lines(rows) { Diagnostics.warning(line) }
        let unit = target ?? rows.compactMap(\.target).first ?? "target units"
        let html = HTMLReport.render(rows: rows, dataDescription: "\(Format.count(table.table.rowCount)) rows of \(data)", unit: unit)
        try AtomicFile.write(Array(html.utf8), to: output)
        Diagnostics.note("wrote \(output) (\(rows.count) models)")
    }
}
