import ArgumentParser
import Foundation
import ModelZoo

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Predict every row of a CSV file with a model.",
        discussion: """
            Output: the input's rows as they were (or the --columns chosen), plus a prediction column \
            (default `<target>_pred`). Columns are matched by name, in any order; extra columns are \
            carried through. The input is streamed and spread over all cores, so files of any size use \
            little memory; `.gz` input (detected by its bytes) and `-o FILE.gz` output are gzip. An \
            output file appears only complete, also when interrupted with Ctrl-C; output to stdout cannot \
            be taken back, so a failure there says on stderr how many rows were already written. \
            Predictions are exact (shortest round-trip text) unless --precision says otherwise. A \
            classifier writes the predicted class and one probability column per class \
            (`<target>_proba_<class>`, summing to 1; --no-proba leaves them out).

            Examples:
              zoo predict models/bmi-linear.nnm people.csv -o predicted.csv
              cat people.csv | zoo predict models/bmi-linear.nnm - > predicted.csv
              zoo predict models/bmi-linear.nnm people.csv --on-error skip -o predicted.csv
              zoo predict models/bmi-forest.nnm big.csv.gz --columns Age,Sex -o predicted.csv.gz
              zoo predict models/bmi-mlp.nnm people.csv --precision 4

            As a pipe stage (Spark SQL TRANSFORM, RDD.pipe, Hadoop Streaming, xargs, GNU parallel): \
            --no-header reads lines without a header, columns in the model's feature order or as \
            --input-columns names them, and writes no header; every input line gets exactly one output \
            line, so a skipped row (--on-error skip), a blank line or a line with the wrong field count \
            never shifts the lines after it (its prediction is empty). Each line is one record.
              zoo predict m.nnm - -o - --no-header --null-token '\\N' --emit prediction --on-error skip
              zoo predict models/bmi-category-forest.nnm people.csv --no-proba
            """
    )

    @Argument(help: "The .nnm model file.", completion: .file(extensions: ["nnm"]))
    var model: String

    @Argument(help: "Input CSV (`-` for stdin).")
    var input: String

    @Option(name: .shortAndLong, help: "Output CSV (`-` or omitted: stdout).")
    var output: String = "-"

    @Option(help: "Rows with missing or bad features: fail (stop with the line) or skip (empty prediction).")
    var onError: PredictOptions.OnError = .fail

    @Option(help: "Name of the prediction column (default: <target>_pred).")
    var predictionName: String?

    @Option(help: "Comma-separated input columns to carry into the output (default: all, as they were).")
    var columns: String?

    @Flag(help: "The input has no header line (a pipe stage): its columns are the model's features in order, or --input-columns.")
    var noHeader = false

    @Option(help: "With --no-header: the input's column names, in order (extra columns are carried, not read).")
    var inputColumns: String?

    @Option(help: "A field equal to this text is missing, as an empty one is (Spark and Hive write '\\N').")
    var nullToken: String?

    @Option(help: "What each output line holds: the input row plus the prediction, or the prediction alone.")
    var emit: PredictOptions.OutputMode = .row

    @Flag(inversion: .prefixedNo, help: "Classifiers: add one probability column per class (<target>_proba_<class>).")
    var proba = true

    @Option(help: "Two-class classifiers: predict the second class when its probability reaches this (default: the larger).")
    var threshold: Double?

    @OptionGroup var precision: PrecisionOptionGroup
    @OptionGroup var threads: ThreadsOptionGroup

    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false

    @OptionGroup var csv: CSVOptionGroup

    func validate() throws {
        if let predictionName, predictionName.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--prediction-name must not be empty")
        }
        if let columns {
            let names = columns.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if names.contains("") { throw ValidationError("--columns has an empty name in '\(columns)'") }
            if let twice = names.first(where: { n in names.filter { $0 == n }.count > 1 }) {
                throw ValidationError("--columns names '\(twice)' twice")
            }
        }
    }

    func run() throws {
        threads.apply()
        let trained = try ModelLoader.load(model)
        var options = PredictOptions()
        options.csv = try csv.csvOptions()
        options.onError = onError
        options.predictionName = predictionName
        options.columns = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        options.precision = precision.precision
        options.output = emit
        if let nullToken { options.csv.nullToken = nullToken }
        if let inputColumns {
            guard noHeader else {
                throw ZooError.invalidInput("--input-columns names the columns of an input without a header: add --no-header")
            }
            options.headerlessColumns = inputColumns.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if let bad = options.headerlessColumns!.first(where: \.isEmpty) ?? duplicate(options.headerlessColumns!) {
                throw ZooError.invalidInput("--input-columns: column name '\(bad)' is empty or repeated")
            }
        } else if noHeader {
            options.headerlessColumns = trained.schema.columns.map(\.name)
        }
        if emit == .prediction && columns != nil {
            throw ZooError.invalidInput("--columns chooses columns to carry, but --emit prediction writes the prediction alone")
        }
        options.probabilities = proba
        options.threshold = threshold
        let source = try InputSource(path: input)
        try OutputGuard.check(output: output, against: [model, input])
        try OutputGuard.checkNotAModel(output: output, writing: "predictions")
        let base: OutputSink = output == "-" ? StandardOutputSink() : try AtomicOutput(path: output)
        let sink = CountingSink(output.lowercased().hasSuffix(".gz") ? try GzipSink(base) : base)
        let meter = PredictProgress(total: source.size, enabled: !quiet && Diagnostics.stderrIsTerminal)
        let summary: PredictSummary
        do {
            summary = try BatchPredictor.run(model: trained, input: source, output: sink, options: options, progress: meter.update)
            try sink.commit()
            meter.finish()
        } catch {
            meter.finish()
            sink.abandon()
            try reportPartialOutput(error, bytes: sink.bytesWritten, rows: meter.rowsWritten)
        }
        if let warning = summary.caseMismatches.warning { Diagnostics.warning(warning) }
        if summary.skipped > 0 {
            let lines = summary.firstSkippedLines.map(String.init).joined(separator: ", ")
            let skipped = "\(summary.skipped) of \(summary.rows) rows"
            let at = summary.firstSkippedLines.count == 1 ? "at line" : "first at lines"
            Diagnostics.warning("\(skipped) could not be predicted (empty prediction); \(at) \(lines)")
        }
        if output != "-" {
            Diagnostics.note("predicted \(Format.count(summary.rows)) rows → \(output)")
        }
    }
}

extension PredictCommand {
    /// Rethrows `error`; on stdout, whose bytes cannot be taken back, first says how much of the output was written.
    func reportPartialOutput(_ error: Error, bytes: Int, rows: Int) throws -> Never {
        guard output == "-", bytes > 0 else { throw error }
        let code = Zoo.report(error)
        let written = "the header and \(Format.count(rows)) rows"
        Diagnostics.note("note: \(written) had been written to stdout before this error; that output is incomplete")
        throw ExitCode(code)
    }
}

extension PredictOptions.OnError: ExpressibleByArgument {}
extension PredictOptions.OutputMode: ExpressibleByArgument {}

/// The first name that occurs twice, if any.
private func duplicate(_ names: [String]) -> String? {
    var seen = Set<String>()
    return names.first { !seen.insert($0).inserted }
}
