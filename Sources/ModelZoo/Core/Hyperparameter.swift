/// A Swift type a hyperparameter can have, with its form in a file's JSON.
public protocol HyperparameterValue: Sendable, Equatable {
    /// nil when `json` is not a value of this type (range checks are the spec's).
    init?(json: JSONValue)
    var json: JSONValue { get }
}

extension Int: HyperparameterValue {
    public init?(json: JSONValue) { guard case .int(let i) = json else { return nil }; self = i }
    public var json: JSONValue { .int(self) }
}

extension Double: HyperparameterValue {
    public init?(json: JSONValue) { guard let d = json.doubleValue else { return nil }; self = d }
    public var json: JSONValue { .double(self) }
}

extension Bool: HyperparameterValue {
    public init?(json: JSONValue) { guard case .bool(let b) = json else { return nil }; self = b }
    public var json: JSONValue { .bool(self) }
}

extension Optional: HyperparameterValue where Wrapped == Int {
    public init?(json: JSONValue) {
        if json == .null { self = .none } else if let i = Int(json: json) { self = i } else { return nil }
    }
    public var json: JSONValue { map(JSONValue.int) ?? .null }
}

extension Array: HyperparameterValue where Element: HyperparameterValue {
    public init?(json: JSONValue) {
        guard case .array(let a) = json else { return nil }
        var out: [Element] = []
        for v in a { guard let e = Element(json: v) else { return nil }; out.append(e) }
        self = out
    }
    public var json: JSONValue { .array(map(\.json)) }
}

/// A closed set of named choices (activations, optimizers), stored in files by name.
public protocol ParameterChoice: HyperparameterValue, RawRepresentable, CaseIterable where RawValue == String {}

extension ParameterChoice {
    public init?(json: JSONValue) {
        guard case .string(let s) = json else { return nil }
        self.init(rawValue: s)
    }
    public var json: JSONValue { .string(rawValue) }
}

/// One hyperparameter of `H`, declared once: its key (command line and file), type and range, help,
/// aliases, and the property it reads and writes. Its default is whatever `H()` holds there.
public struct Hyperparameter<H: ModelHyperparameters>: Sendable {
    public let name: String
    public let type: ParameterType
    public let help: String
    public let aliases: [String]
    let read: @Sendable (H) -> JSONValue
    /// Sets a value that `type` accepts; false when it is not of the property's Swift type.
    let write: @Sendable (inout H, JSONValue) -> Bool

    public init<V: HyperparameterValue>(
        _ name: String, _ property: WritableKeyPath<H, V>, _ type: ParameterType,
        help: String, aliases: [String] = []
    ) {
        nonisolated(unsafe) let property = property  // key paths into value types are immutable
        self.name = name
        self.type = type
        self.help = help
        self.aliases = aliases
        read = { $0[keyPath: property].json }
        write = { h, value in
            guard let v = V(json: value) else { return false }
            h[keyPath: property] = v
            return true
        }
    }

    init(
        name: String, type: ParameterType, help: String, aliases: [String], read: @escaping @Sendable (H) -> JSONValue,
        write: @escaping @Sendable (inout H, JSONValue) -> Bool
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.aliases = aliases
        self.read = read
        self.write = write
    }

    /// This row for hyperparameters `Outer` that hold these at `path` (a classifier's struct that
    /// wraps its regressor's and adds its own rows): same key, type, help and aliases.
    public func lifted<Outer: ModelHyperparameters>(_ path: WritableKeyPath<Outer, H>) -> Hyperparameter<Outer> {
        nonisolated(unsafe) let path = path  // key paths into value types are immutable
        let (read, write) = (self.read, self.write)
        return Hyperparameter<Outer>(
            name: name, type: type, help: help, aliases: aliases,
            read: { read($0[keyPath: path]) }, write: { o, v in write(&o[keyPath: path], v) })
    }

    /// scikit-learn's `class_weight` (none or balanced), for a classifier's hyperparameters.
    public static func classWeight(_ property: WritableKeyPath<H, ClassWeight>) -> Self {
        .choice("class_weight", property, help: "row weights by class: none, or balanced (n / (classes · class rows))")
    }

    /// A choice among an enum's cases (all of them unless `among` narrows them).
    public static func choice<V: ParameterChoice>(
        _ name: String, _ property: WritableKeyPath<H, V>, among: [V]? = nil,
        help: String, aliases: [String] = []
    ) -> Self {
        Self(name, property, .choice((among ?? Array(V.allCases)).map(\.rawValue)), help: help, aliases: aliases)
    }

    /// The seed every random choice of a plugin comes from (scikit-learn's `random_state`).
    public static func seed(_ property: WritableKeyPath<H, Int>, help: String) -> Self {
        Self("seed", property, .int(0...Int(Int32.max)), help: help, aliases: ["random_state"])
    }

    /// The documented form: name, type, the default `H()` holds, help.
    public var spec: ParameterSpec {
        ParameterSpec(name, type, default: read(H()), help: help, aliases: aliases)
    }
}
