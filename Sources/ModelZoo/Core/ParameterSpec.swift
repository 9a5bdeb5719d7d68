import Foundation

/// What one hyperparameter accepts: its type and valid range.
public enum ParameterType: Sendable, Equatable {
    case int(ClosedRange<Int>)
    case double(ClosedRange<Double>)
    case bool
    case choice([String])
    /// A comma-separated list of integers, each in the range (e.g. `hidden=6,3`); `minCount` entries at least.
    case intList(ClosedRange<Int>, minCount: Int)
    /// A comma-separated list of doubles (e.g. initial weights); may be empty.
    case doubleList
    /// An integer in range, or `none` (e.g. `max_depth`).
    case optionalInt(ClosedRange<Int>)
    /// scikit-learn's `max_features`: a count, a fraction in (0, 1], `sqrt`, `log2` or `all`.
    case featureSubset

    /// How the valid values read in help and errors.
    public var expected: String {
        switch self {
        case .int(let r): return "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .double(let r): return "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: return "true or false"
        case .choice(let c): return "one of \(c.joined(separator: ", "))"
        case .intList(let r, let n):
            return "\(n == 0 ? "zero or more" : "\(n) or more") comma-separated integers in \(r.lowerBound)...\(r.upperBound)"
        case .doubleList: return "comma-separated numbers (or empty)"
        case .optionalInt(let r): return "none or an integer in \(r.lowerBound)...\(r.upperBound)"
        case .featureSubset: return "a count ≥ 1, a fraction in (0, 1], sqrt, log2 or all"
        }
    }

    /// A short type name for tables.
    public var typeName: String {
        switch self {
        case .int: return "int"
        case .double: return "float"
        case .bool: return "bool"
        case .choice: return "choice"
        case .intList: return "int list"
        case .doubleList: return "float list"
        case .optionalInt: return "int|none"
        case .featureSubset: return "int|float|sqrt|log2|all"
        }
    }

    /// The JSON value for what a user typed, before range checks; nil when it does not parse.
    func parse(_ t: String) -> JSONValue? {
        switch self {
        case .int: return Int(t).map(JSONValue.int)
        case .double: return Double(t).flatMap { $0.isFinite ? .double($0) : nil }
        case .bool: return Self.parseBool(t)
        case .choice: return .string(t.lowercased())
        case .intList: return Self.parseList(t) { Int($0).map(JSONValue.int) }
        case .doubleList: return Self.parseList(t) { Double($0).flatMap { $0.isFinite ? .double($0) : nil } }
        case .optionalInt: return t.lowercased() == "none" ? .null : Int(t).map(JSONValue.int)
        case .featureSubset: return Self.parseFeatureSubset(t)
        }
    }

    static func parseBool(_ t: String) -> JSONValue? {
        switch t.lowercased() {
        case "true", "yes", "1", "on": return .bool(true)
        case "false", "no", "0", "off": return .bool(false)
        default: return nil
        }
    }

    static func parseList(_ t: String, _ element: (String) -> JSONValue?) -> JSONValue? {
        if t.isEmpty { return .array([]) }
        var out: [JSONValue] = []
        for part in t.split(separator: ",", omittingEmptySubsequences: false) {
            guard let v = element(part.trimmingCharacters(in: .whitespaces)) else { return nil }
            out.append(v)
        }
        return .array(out)
    }

    /// As scikit-learn reads `max_features`: `1` is one feature, `1.0` all of them.
    static func parseFeatureSubset(_ t: String) -> JSONValue? {
        switch t.lowercased() {
        case "all", "none": return .null
        case "sqrt", "log2": return .string(t.lowercased())
        default:
            if let i = Int(t) { return .int(i) }
            guard let d = Double(t), d.isFinite else { return nil }
            return d == 1 ? .null : .double(d)
        }
    }

    /// Whether `value` (typed by a user or read from a file) has this type and is in range.
    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.int(let r), .int(let i)): return r.contains(i)
        case (.double(let r), _): return value.doubleValue.map { $0.isFinite && r.contains($0) } ?? false
        case (.bool, .bool): return true
        case (.choice(let c), .string(let s)): return c.contains(s)
        case (.intList(let r, let n), .array(let a)):
            return a.count >= n && a.count <= 64 && a.allSatisfy { if case .int(let i) = $0 { r.contains(i) } else { false } }
        case (.doubleList, .array(let a)):
            return a.count <= 4096 && a.allSatisfy { $0.doubleValue?.isFinite ?? false }
        case (.optionalInt, .null): return true
        case (.optionalInt(let r), .int(let i)): return r.contains(i)
        case (.featureSubset, _): return FeatureSubset(json: value) != nil
        default: return false
        }
    }
}

/// One documented hyperparameter: name (the `key` in `key=value` and in the file), scikit-learn or
/// Keras names accepted for it, type, default, help.
public struct ParameterSpec: Sendable, Equatable {
    public let name: String
    public let aliases: [String]
    public let type: ParameterType
    public let defaultValue: JSONValue
    public let help: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: JSONValue, help: String, aliases: [String] = []) {
        self.name = name
        self.aliases = aliases
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Parses the text a user typed after `key=`.
    public func parse(_ text: String) throws -> JSONValue {
        guard let value = type.parse(text.trimmingCharacters(in: .whitespaces)) else { throw invalid(text) }
        try validate(value, shown: text)
        return value
    }

    /// Checks a value (typed by a user or read from a file) against the type and range.
    public func validate(_ value: JSONValue, shown: String? = nil) throws {
        guard type.accepts(value) else { throw invalid(shown ?? value.description) }
    }

    func invalid(_ shown: String) -> ZooError {
        ZooError.invalidParameter(key: name, value: shown, expected: type.expected)
    }
}
