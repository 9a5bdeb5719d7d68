import ArgumentParser
import Foundation
import ModelZoo

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML comparison report with charts.",
        discussion: """
            One HTML file, inline SVG and CSS, no scripts or fonts fetched: the comparison table, a \
            bar chart of RMSE, and per model a predicted-vs-actual scatter with the y = x line, a \
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
        let table = try CSVTable.read(path: data, options: try csv.csvOptions())
        let style = ComparisonStyle(precision: precision.precision)
        let rows = files.map { path in
            ComparisonOutput.styled(ModelComparison.evaluate(path: path, table: table, target: target, registry: builtinRegistry), style)
        }
        try NoResult.check(rows, source: data)
        let unit = target ?? rows.compactMap(\.target).first ?? "target units"
        let html = HTMLReport.render(rows: rows, dataDescription: "\(Format.count(table.rowCount)) rows of \(data)", unit: unit)
        try AtomicFile.write(Array(html.utf8), to: output)
        Diagnostics.note("wrote \(output) (\(rows.count) models)")
    }
}
