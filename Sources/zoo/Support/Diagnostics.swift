import Foundation
import ModelZoo

/// Messages for people go to stderr (`error:` / `warning:`), so stdout carries only data and pipes cleanly.
enum Diagnostics {
    static func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    static func error(_ message: String) { write("error: \(safe(message))\n") }
    static func warning(_ message: String) { write("warning: \(safe(message))\n") }
    static func note(_ message: String) { write("\(safe(message))\n") }
    /// Messages quote file contents: control characters are escaped, line breaks kept.
    static func safe(_ m: String) -> String {
        m.split(separator: "\n", omittingEmptySubsequences: false).map(\.escapedForTerminal).joined(separator: "\n")
    }

    /// True when stderr is a terminal (live progress lines are drawn only then).
    static var stderrIsTerminal: Bool { isatty(2) == 1 }
}

/// A model file that could not be used; reported as `error: PATH: reason`, exit code 2.
struct ModelFileFailure: Error {
    let path: String
    let error: NNMError
}

/// Loads a model through the built-in registry, tagging file errors with the path.
enum ModelLoader {
    static func load(_ path: String) throws -> TrainedModel {
        do {
            return try TrainedModel.load(path: path, registry: builtinRegistry)
        } catch let e as NNMError {
            throw ModelFileFailure(path: path, error: e)
        }
    }
}
