/// A plugin's hyperparameters: a struct whose `init()` holds the defaults, and one `Hyperparameter`
/// row per property in `parameters` (key, type, help, aliases). Keys, defaults, file form, parsing
/// and help all come from those two places.
public protocol ModelHyperparameters: Sendable, Equatable {
    init()
    static var parameters: [Hyperparameter<Self>] { get }
    /// Keys that older files may hold and this version ignores, with what replaced them.
    static var retiredKeys: [String: String] { get }
    /// Parameters added after files were written, with the value those files' models were trained
    /// with: a file without the key reads as that value, not as today's default (`zoo inspect`
    /// would otherwise describe an old model by a setting it never had).
    static var absentFromOlderFiles: [String: JSONValue] { get }
}

extension ModelHyperparameters {
    public static var retiredKeys: [String: String] { [:] }
    public static var absentFromOlderFiles: [String: JSONValue] { [:] }

    /// The documented specs, defaults read from `Self()`.
    public static var specs: [ParameterSpec] { parameters.map(\.spec) }

    /// Builds hyperparameters from `key=value` strings over the defaults; keys are names or aliases.
    public static func parse(_ assignments: [String], kind: String) throws -> Self {
        var h = Self()
        var given: [String: String] = [:]
        for item in assignments {
            let (key, text) = try split(item)
            let p = try parameter(named: key, kind: kind)
            if let earlier = given[p.name] {
                throw ZooError.invalidInput("'\(p.name)' is given twice (as '\(earlier)' and '\(key)')")
            }
            given[p.name] = key
            try set(p, to: try p.spec.parse(text), in: &h, kind: kind)
        }
        return h
    }

    static func split(_ item: String) throws -> (key: String, value: String) {
        guard let eq = item.firstIndex(of: "=") else {
            let example = parameters.first.map { "\($0.name)=\($0.read(Self()))" } ?? "key=value"
            throw ZooError.invalidInput("parameter '\(item)' is not key=value (e.g. \(example))")
        }
        let key = item[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
        return (key, String(item[item.index(after: eq)...]))
    }

    static func parameter(named key: String, kind: String) throws -> Hyperparameter<Self> {
        if let p = parameters.first(where: { $0.name == key || $0.aliases.contains(key) }) { return p }
        if let why = retiredKeys[key] { throw ZooError.invalidInput("'\(kind)' no longer has '\(key)': \(why)") }
        throw ZooError.unknownParameter(kind: kind, key: key, known: parameters.map(\.name))
    }

    static func set(_ p: Hyperparameter<Self>, to value: JSONValue, in h: inout Self, kind: String) throws {
        try p.spec.validate(value)
        guard p.write(&h, value) else { throw p.spec.invalid(value.description) }
    }

    /// Decodes hyperparameters from a file's JSON object: absent keys keep their defaults (or the
    /// value `absentFromOlderFiles` gives), present ones are validated, unknown keys are refused and
    /// retired ones ignored.
    public static func fromJSON(_ json: JSONValue, kind: String) throws -> Self {
        guard case .object(let given) = json else {
            throw ZooError.invalidInput("hyperparameters of '\(kind)' must be a JSON object")
        }
        var h = Self()
        for (key, value) in absentFromOlderFiles where given[key] == nil {
            guard let p = parameters.first(where: { $0.name == key }) else { preconditionFailure("\(key) is not a parameter of \(kind)") }
            try set(p, to: value, in: &h, kind: kind)
        }
        for (key, value) in given.sorted(by: { $0.key < $1.key }) where retiredKeys[key] == nil {
            guard let p = parameters.first(where: { $0.name == key }) else {
                throw ZooError.unknownParameter(kind: kind, key: key, known: parameters.map(\.name))
            }
            try set(p, to: value, in: &h, kind: kind)
        }
        return h
    }

    /// The hyperparameters as a JSON object (what the file stores).
    public func json() -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: Self.parameters.map { ($0.name, $0.read(self)) }))
    }
}
