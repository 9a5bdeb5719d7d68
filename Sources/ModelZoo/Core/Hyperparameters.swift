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
    /// A count (integer ≥ 1) or a fraction in (0, 1] (e.g. `max_features`), or `none` for all.
    case countOrFraction

    /// How the valid values read in help and errors.
    public var expected: String {
        switch self {
        case .int(let r): return "an integer in \(r.lowerBound)...\(r.upperBound)"
        case .double(let r): return "a number in \(r.lowerBound)...\(r.upperBound)"
        case .bool: return "true or false"
        case .choice(let c): return "one of \(c.joined(separator: ", "))"
        case .intList(let r, let n): return "\(n == 0 ? "zero or more" : "\(n) or more") comma-separated integers in \(r.lowerBound)...\(r.upperBound)"
        case .doubleList: return "comma-separated numbers (or empty)"
        case .optionalInt(let r): return "none or an integer in \(r.lowerBound)...\(r.upperBound)"
        case .countOrFraction: return "none, a count ≥ 1, or a fraction in (0, 1)"
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
        case .countOrFraction: return "count|fraction"
        }
    }
}

/// One documented hyperparameter: name (the `key` in `key=value` and in the file), type, default, help.
public struct ParameterSpec: Sendable, Equatable {
    public let name: String
    public let type: ParameterType
    public let defaultValue: JSONValue
    public let help: String

    public init(_ name: String, _ type: ParameterType, default defaultValue: JSONValue, help: String) {
        self.name = name
        self.type = type
        self.defaultValue = defaultValue
        self.help = help
    }

    /// Parses the text a user typed after `key=`.
    public func parse(_ text: String) throws -> JSONValue {
        let t = text.trimmingCharacters(in: .whitespaces)
        let bad = ZooError.invalidParameter(key: name, value: text, expected: type.expected)
        let value: JSONValue
        switch type {
        case .int:
            guard let i = Int(t) else { throw bad }
            value = .int(i)
        case .double:
            guard let d = Double(t), d.isFinite else { throw bad }
            value = .double(d)
        case .bool:
            switch t.lowercased() {
            case "true", "yes", "1", "on": value = .bool(true)
            case "false", "no", "0", "off": value = .bool(false)
            default: throw bad
            }
        case .choice:
            value = .string(t.lowercased())
        case .intList:
            let parts = t.isEmpty ? [] : t.split(separator: ",", omittingEmptySubsequences: false)
            var out: [JSONValue] = []
            for p in parts {
                guard let i = Int(p.trimmingCharacters(in: .whitespaces)) else { throw bad }
                out.append(.int(i))
            }
            value = .array(out)
        case .doubleList:
            let parts = t.isEmpty ? [] : t.split(separator: ",", omittingEmptySubsequences: false)
            var out: [JSONValue] = []
            for p in parts {
                guard let d = Double(p.trimmingCharacters(in: .whitespaces)), d.isFinite else { throw bad }
                out.append(.double(d))
            }
            value = .array(out)
        case .optionalInt:
            if t.lowercased() == "none" { value = .null } else {
                guard let i = Int(t) else { throw bad }
                value = .int(i)
            }
        case .countOrFraction:
            if t.lowercased() == "none" || t.lowercased() == "all" { value = .null }
            else if let i = Int(t) { value = .int(i) }
            else if let d = Double(t) { value = .double(d) }
            else { throw bad }
        }
        try validate(value, shown: text)
        return value
    }

    /// Checks a value (typed by a user or read from a file) against the type and range.
    public func validate(_ value: JSONValue, shown: String? = nil) throws {
        let bad = ZooError.invalidParameter(key: name, value: shown ?? value.description, expected: type.expected)
        switch (type, value) {
        case (.int(let r), .int(let i)): guard r.contains(i) else { throw bad }
        case (.double(let r), _):
            guard let d = value.doubleValue, d.isFinite, r.contains(d) else { throw bad }
        case (.bool, .bool): break
        case (.choice(let c), .string(let s)): guard c.contains(s) else { throw bad }
        case (.intList(let r, let n), .array(let a)):
            guard a.count >= n, a.count <= 64 else { throw bad }
            for v in a { guard case .int(let i) = v, r.contains(i) else { throw bad } }
        case (.doubleList, .array(let a)):
            guard a.count <= 4096 else { throw bad }
            for v in a { guard let d = v.doubleValue, d.isFinite else { throw bad } }
        case (.optionalInt, .null): break
        case (.optionalInt(let r), .int(let i)): guard r.contains(i) else { throw bad }
        case (.countOrFraction, .null): break
        case (.countOrFraction, .int(let i)): guard i >= 1 else { throw bad }
        case (.countOrFraction, .double(let d)): guard d > 0, d <= 1 else { throw bad }
        default: throw bad
        }
    }
}

/// A plugin's hyperparameters: a `Codable` struct whose `init()` holds the documented defaults,
/// described key by key in `parameters` (the keys are the struct's coding keys).
public protocol ModelHyperparameters: Codable, Sendable, Equatable {
    init()
    static var parameters: [ParameterSpec] { get }
}

extension ModelHyperparameters {
    /// Builds hyperparameters from `key=value` strings over the defaults, validating every key.
    public static func parse(_ assignments: [String], kind: String) throws -> Self {
        var values: [String: JSONValue] = [:]
        let specs = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        for item in assignments {
            guard let eq = item.firstIndex(of: "=") else {
                throw ZooError.invalidInput("parameter '\(item)' is not key=value (e.g. \(parameters.first.map { "\($0.name)=\($0.defaultValue)" } ?? "key=value"))")
            }
            let key = item[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            guard let spec = specs[key] else {
                throw ZooError.unknownParameter(kind: kind, key: key, known: parameters.map(\.name))
            }
            values[key] = try spec.parse(String(item[item.index(after: eq)...]))
        }
        return try fromJSON(.object(values), kind: kind)
    }

    /// Decodes hyperparameters from a JSON object (a file's header), filling absent keys with
    /// defaults and validating each present key; unknown keys are refused.
    public static func fromJSON(_ json: JSONValue, kind: String) throws -> Self {
        guard case .object(let given) = json else {
            throw ZooError.invalidInput("hyperparameters of '\(kind)' must be a JSON object")
        }
        guard case .object(var merged) = try JSONValue.from(Self()) else {
            throw ZooError.invalidInput("hyperparameters of '\(kind)' do not encode as an object")
        }
        let specs = Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0) })
        for (key, value) in given {
            guard let spec = specs[key] else {
                throw ZooError.unknownParameter(kind: kind, key: key, known: parameters.map(\.name))
            }
            try spec.validate(value)
            merged[key] = value
        }
        do {
            return try JSONValue.object(merged).decode(as: Self.self)
        } catch {
            throw ZooError.invalidInput("hyperparameters of '\(kind)' do not decode: \(error)")
        }
    }

    /// The hyperparameters as a JSON object (what the file stores).
    public func json() -> JSONValue {
        (try? JSONValue.from(self)) ?? .object([:])
    }
}

