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

    @Flag(inversion: .prefixedNo, help: "Classifiers: add one probability column per class (<target>_proba_<class>).")
    var proba = true

    @Option(help: "Two-class classifiers: predict the second class when its probability reaches this (default: the larger).")
    var threshold: Double?

    @OptionGroup var precision: PrecisionOptionGroup
    @OptionGroup var threads: ThreadsOptionGroup

    @Flag(help: "No progress line.")
    var quiet = false

    @OptionGroup var csv: CSVOptionGroup

    func run() throws {
        threads.apply()
        let trained = try ModelLoader.load(model)
        var options = PredictOptions()
        options.csv = try csv.csvOptions()
        options.onError = onError
        options.predictionName = predictionName
        options.columns = columns.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        options.precision = precision.precision
        options.probabilities = proba
        options.threshold = threshold
        let source = try InputSource(path: input)
        let base: OutputSink = output == "-" ? StandardOutputSink() : try AtomicOutput(path: output)
        let sink = CountingSink(output.hasSuffix(".gz") ? try GzipSink(base) : base)
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
            Diagnostics.warning("\(skipped) could not be predicted (empty prediction); first at lines \(lines)")
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
