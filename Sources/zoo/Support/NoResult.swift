import ArgumentParser
import ModelZoo

/// A command that evaluated models but got no result from any of them fails instead of printing or
/// writing a table of errors: exit code 2 if a model file could not be read, else 1.
enum NoResult {
    static func check(_ rows: [ModelEvaluation], source: String) throws {
        guard let reason = ModelComparison.noResultReason(rows, source: source) else { return }
        Diagnostics.error(reason)
        throw ExitCode(rows.contains { $0.kind == nil } ? 2 : 1)
    }
}
