/// One model type of a plugin, type-erased: the regressor every plugin has, or its classifier.
public struct PluginVariant: Sendable {
    public let kind: String
    public let task: LearningTask
    public let summary: String
    public let version: Int
    public let parameters: [ParameterSpec]
    public let targetScaling: TargetScaling
    public let quickFitParameters: [String]
    private let makeFn: @Sendable ([String]) throws -> any Model
    private let loadFn: @Sendable (JSONValue, TensorBundle, Int, Int) throws -> any Model
    private let defaultsFn: @Sendable () -> JSONValue

    init<M: Model>(regressor: M.Type) {
        let info = M.info
        kind = info.kind
        task = .regression
        summary = info.summary
        version = info.version
        parameters = M.Hyperparameters.specs
        targetScaling = info.targetScaling
        quickFitParameters = M.quickFitParameters
        makeFn = { M(hyperparameters: try M.Hyperparameters.parse($0, kind: info.kind)) }
        loadFn = { json, state, featureCount, _ in
            let h = try M.Hyperparameters.fromJSON(json, kind: info.kind)
            return try M(hyperparameters: h, state: state, featureCount: featureCount)
        }
        defaultsFn = { M.Hyperparameters().json() }
    }

    init<C: Classifier>(classifier: C.Type) {
        let info = C.info
        kind = info.kind
        task = .classification
        summary = info.summary
        version = info.version
        parameters = C.Hyperparameters.specs
        targetScaling = .none
        quickFitParameters = C.quickFitParameters
        makeFn = { C(hyperparameters: try C.Hyperparameters.parse($0, kind: info.kind)) }
        loadFn = { json, state, featureCount, classCount in
            let h = try C.Hyperparameters.fromJSON(json, kind: info.kind)
            return try C(hyperparameters: h, state: state, featureCount: featureCount, classCount: classCount)
        }
        defaultsFn = { C.Hyperparameters().json() }
    }

    /// An unfitted model from `key=value` strings over the documented defaults.
    public func make(_ assignments: [String] = []) throws -> any Model { try makeFn(assignments) }

    /// A fitted model from a file's hyperparameters and tensors (`classCount` 0 for a regressor).
    public func load(hyperparameters: JSONValue, state: TensorBundle, featureCount: Int, classCount: Int = 0) throws -> any Model {
        try loadFn(hyperparameters, state, featureCount, classCount)
    }

    /// The default hyperparameters as stored in a file.
    public var defaults: JSONValue { defaultsFn() }
}

/// A registered model plugin: its regressor and (for a plugin that has one) its classifier under the
/// same kind, type-erased so that the registry is one literal table. The plain properties are the
/// regressor's, as before classification existed.
public struct Plugin: Sendable {
    public let regressor: PluginVariant
    public let classifier: PluginVariant?

    public init<M: Model>(_ type: M.Type) {
        regressor = PluginVariant(regressor: M.self)
        classifier = nil
    }

    /// A plugin that fits `type` for a numeric target and `classifier` for a categorical one.
    public init<M: Model, C: Classifier>(_ type: M.Type, classifier: C.Type) {
        precondition(M.info.kind == C.info.kind, "a plugin's regressor and classifier share its kind")
        regressor = PluginVariant(regressor: M.self)
        self.classifier = PluginVariant(classifier: C.self)
    }

    public var kind: String { regressor.kind }
    public var summary: String { regressor.summary }
    public var version: Int { regressor.version }
    public var parameters: [ParameterSpec] { regressor.parameters }
    public var targetScaling: TargetScaling { regressor.targetScaling }
    public var quickFitParameters: [String] { regressor.quickFitParameters }

    /// The model type for `task`; `ZooError.invalidInput` when this plugin has no classifier.
    public func variant(for task: LearningTask) throws -> PluginVariant {
        switch task {
        case .regression: return regressor
        case .classification:
            guard let classifier else { throw ZooError.invalidInput("'\(kind)' has no classifier; it fits numeric targets only") }
            return classifier
        }
    }

    /// An unfitted regressor from `key=value` strings over the documented defaults.
    public func make(_ assignments: [String] = []) throws -> any Model { try regressor.make(assignments) }

    /// A fitted regressor from a file's hyperparameters and tensors.
    public func load(hyperparameters: JSONValue, state: TensorBundle, featureCount: Int) throws -> any Model {
        try regressor.load(hyperparameters: hyperparameters, state: state, featureCount: featureCount)
    }

    /// The regressor's default hyperparameters as stored in a file.
    public var defaults: JSONValue { regressor.defaults }
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
    /// Kinds that can fit a categorical target.
    public var classifierKinds: [String] { plugins.filter { $0.classifier != nil }.map(\.kind) }

    /// The plugin for `kind`, or `ZooError.unknownKind` listing the known ones.
    public func plugin(_ kind: String) throws -> Plugin {
        guard let p = plugins.first(where: { $0.kind == kind }) else {
            throw ZooError.unknownKind(kind, known: kinds)
        }
        return p
    }

    /// An unfitted model of `kind` from `key=value` strings (the regressor unless `task` says otherwise).
    public func make(_ kind: String, _ assignments: [String] = [], task: LearningTask = .regression) throws -> any Model {
        try plugin(kind).variant(for: task).make(assignments)
    }
}
