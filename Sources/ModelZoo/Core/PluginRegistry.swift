/// A registered model plugin, type-erased so that the registry is one literal table.
public struct Plugin: Sendable {
    public let kind: String
    public let summary: String
    public let version: Int
    public let parameters: [ParameterSpec]
    public let targetScaling: TargetScaling
    public let quickFitParameters: [String]
    private let makeFn: @Sendable ([String]) throws -> any Model
    private let loadFn: @Sendable (JSONValue, TensorBundle, Int) throws -> any Model
    private let defaultsFn: @Sendable () -> JSONValue

    public init<M: Model>(_ type: M.Type) {
        let info = M.info
        kind = info.kind
        summary = info.summary
        version = info.version
        parameters = M.Hyperparameters.specs
        targetScaling = info.targetScaling
        quickFitParameters = M.quickFitParameters
        makeFn = { M(hyperparameters: try M.Hyperparameters.parse($0, kind: info.kind)) }
        loadFn = { json, state, featureCount in
            let h = try M.Hyperparameters.fromJSON(json, kind: info.kind)
            return try M(hyperparameters: h, state: state, featureCount: featureCount)
        }
        defaultsFn = { M.Hyperparameters().json() }
    }

    /// An unfitted model from `key=value` strings over the documented defaults.
    public func make(_ assignments: [String] = []) throws -> any Model { try makeFn(assignments) }

    /// A fitted model from a file's hyperparameters and tensors.
    public func load(hyperparameters: JSONValue, state: TensorBundle, featureCount: Int) throws -> any Model {
        try loadFn(hyperparameters, state, featureCount)
    }

    /// The default hyperparameters as stored in a file.
    public var defaults: JSONValue { defaultsFn() }
}

/// The table from kind string to plugin. The core knows no plugin; `ZooPlugins` assembles the built-in one.
public struct PluginRegistry: Sendable {
    public let plugins: [Plugin]

    /// Kinds must be unique; the order given is the order `zoo plugins` and `zoo demo` use.
    public init(_ plugins: [Plugin]) {
        var seen = Set<String>()
        for p in plugins { precondition(seen.insert(p.kind).inserted, "duplicate plugin kind \(p.kind)") }
        self.plugins = plugins
    }

    public var kinds: [String] { plugins.map(\.kind) }

    /// The plugin for `kind`, or `ZooError.unknownKind` listing the known ones.
    public func plugin(_ kind: String) throws -> Plugin {
        guard let p = plugins.first(where: { $0.kind == kind }) else {
            throw ZooError.unknownKind(kind, known: kinds)
        }
        return p
    }

    /// An unfitted model of `kind` from `key=value` strings.
    public func make(_ kind: String, _ assignments: [String] = []) throws -> any Model {
        try plugin(kind).make(assignments)
    }
}
