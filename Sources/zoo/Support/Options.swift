import ArgumentParser
import ModelZoo

/// CSV reading options shared by commands that read data.
struct CSVOptionGroup: ParsableArguments {
    @Option(help: "Field delimiter: one character, or 'tab'.")
    var delimiter: String = ","

    func csvOptions() throws -> CSVOptions {
        CSVOptions(delimiter: try CSVOptions.delimiter(from: delimiter))
    }

    func validate() throws {
        do { _ = try CSVOptions.delimiter(from: delimiter) } catch let e as ZooError { throw ValidationError(e.description) }
    }
}

/// `--format` for commands whose output scripts may read.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

extension AffineScaler.Kind: ExpressibleByArgument {}
extension ImputeStrategy: ExpressibleByArgument {}
