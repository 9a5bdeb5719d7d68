import ArgumentParser
import ModelZoo

/// CSV reading options shared by commands that read data.
struct CSVOptionGroup: ParsableArguments {
    @Option(help: "Field delimiter: one character, or 'tab'.")
    var delimiter: String = ","

    @Option(help: "Decimal mark of the numbers: '.' or ',' (176,5; needs another --delimiter, such as ';').")
    var decimal: String = "."

    func csvOptions() throws -> CSVOptions {
        let options = CSVOptions(delimiter: try CSVOptions.delimiter(from: delimiter), decimal: try CSVOptions.decimal(from: decimal))
        try options.validate()
        return options
    }

    func validate() throws {
        do { _ = try csvOptions() } catch let e as ZooError { throw ValidationError(e.description) }
    }
}

/// `--threads`: the most cores a command may use (parsing, training, prediction, compression).
struct ThreadsOptionGroup: ParsableArguments {
    @Option(help: "Most threads to use (default: all cores). Results do not depend on it.")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
    }

    /// Sets the process-wide limit (when given) and returns the thread count in effect.
    @discardableResult
    func apply() -> Int {
        if let threads { Parallel.maxThreads = threads }
        return Parallel.maxThreads
    }
}

/// `--format` for commands whose output scripts may read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension AffineScaler.Kind: ExpressibleByArgument {}
extension ImputeStrategy: ExpressibleByArgument {}

/// `--precision N`: significant digits of the numbers a command writes.
struct PrecisionOptionGroup: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Significant digits of numbers written, 1-17 (default: exact, the shortest text that reads back the same; 5 in text tables)."))
    var precision: Int?

    func validate() throws {
        if let precision, !SignificantDigits.range.contains(precision) {
            throw ValidationError("--precision must be in 1...17, got \(precision)")
        }
    }
}
