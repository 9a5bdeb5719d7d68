/// An error in what the user gave `zoo`: a flag, a CSV file, a hyperparameter.
///
/// Each case carries enough to act on: the line, column and offending text for data,
/// the key and valid choices for flags. Command-line exit code 1.
public enum ZooError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A CSV problem at a 1-based physical line; `column` is the header name when known.
    case csv(line: Int, column: String?, message: String)
    /// A required column is not in the header.
    case missingColumn(name: String, role: String, available: [String])
    /// A hyperparameter key the plugin does not have.
    case unknownParameter(kind: String, key: String, known: [String])
    /// A hyperparameter value that does not parse or is out of range.
    case invalidParameter(key: String, value: String, expected: String)
    /// A model kind not in the registry.
    case unknownKind(String, known: [String])
    /// Not enough usable data to do what was asked.
    case insufficientData(String)
    /// Training diverged (loss became NaN or infinite); no model is written.
    case diverged(epoch: Int, hint: String)
    /// What was asked would need more memory than the budget allows (estimated before starting).
    case insufficientMemory(what: String, needs: Int, limit: Int)
    /// `predict` or saving before `fit`.
    case notFitted(kind: String)
    /// Reading or writing a file failed at the operating-system level.
    case io(path: String, message: String)
    /// Anything else the user asked for that cannot be done, said plainly.
    case invalidInput(String)

    public var description: String {
        switch self {
        case let .csv(line, column, message):
            if let column { return "line \(line), column '\(column)': \(message)" }
            return "line \(line): \(message)"
        case let .missingColumn(name, role, available):
            return "\(role) column '\(name)' not found; the header has: \(available.joined(separator: ", "))"
        case let .unknownParameter(kind, key, known):
            return "'\(kind)' has no parameter '\(key)'; known parameters: \(known.joined(separator: ", "))\(Self.hint(key, known))"
        case let .invalidParameter(key, value, expected):
            return "invalid value '\(value)' for '\(key)': expected \(expected)"
        case let .unknownKind(kind, known):
            return "unknown model kind '\(kind)'; known kinds: \(known.joined(separator: ", "))\(Self.hint(kind, known))"
        case let .insufficientData(message):
            return message
        case let .diverged(epoch, hint):
            return "training diverged at epoch \(epoch) (the loss became NaN, infinite or exploded); \(hint). No model file was written."
        case let .insufficientMemory(what, needs, limit):
            return "\(what) would need about \(NumberText.bytes(needs)), over the memory limit of \(NumberText.bytes(limit)) "
                + "(--memory-limit; by default 80% of this machine's memory)"
        case let .notFitted(kind):
            return "\(kind): the model is not fitted yet (call fit, or load a fitted model)"
        case let .io(path, message):
            return "\(path): \(message)"
        case let .invalidInput(message):
            return message
        }
    }

    static func hint(_ typed: String, _ known: [String]) -> String {
        nearestName(to: typed, in: known).map { "; did you mean '\($0)'?" } ?? ""
    }
}
