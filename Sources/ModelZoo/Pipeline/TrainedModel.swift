import Foundation

/// A fitted model with everything needed to predict from raw CSV rows: schema, scalers, metadata.
public struct TrainedModel: Sendable {
    public var metadata: ModelMetadata
    public let model: any Model

    public init(metadata: ModelMetadata, model: any Model) {
        self.metadata = metadata
        self.model = model
    }

    public var schema: FeatureSchema { metadata.schema }
    /// Per-epoch losses, for plugins that train by epochs.
    public var history: TrainingHistory? { metadata.fit.history }

    /// Predictions in the target's own units for encoded, scaled feature rows.
    public func predict(encoded x: Matrix) throws -> [Double] {
        var p = try model.predict(x)
        let s = metadata.schema.targetScaler
        if s != .identity { for i in p.indices { p[i] = s.invert(p[i]) } }
        return p
    }

    /// What the model predicts.
    public var task: LearningTask { metadata.schema.task }
    /// A classifier's labels (nil for a regressor).
    public var classes: [String]? { metadata.schema.classes }

    /// A classifier's class probabilities and decided classes for encoded, scaled feature rows
    /// (`threshold`: two classes only, the second is chosen when its probability reaches it).
    /// `ZooError.invalidInput` for a regressor.
    public func classify(encoded x: Matrix, threshold: Double? = nil) throws -> ClassPredictions {
        guard let classes, let classifier = model as? any Classifier else {
            throw ZooError.invalidInput("\(metadata.kind) predicts numbers for '\(metadata.schema.target)', not classes")
        }
        let p = try classifier.predictProbabilities(x)
        return try ClassPredictions(probabilities: p, classes: classes, threshold: threshold)
    }

    /// The file form: metadata plus the model's tensors and the training history.
    public func file() throws -> NNMFile {
        var tensors = try model.exportState()
        if let h = history {
            tensors.append(Tensor("history.loss", h.loss))
            tensors.append(Tensor("history.val_loss", h.validationLoss))
        }
        return NNMFile(metadata: metadata, tensors: try TensorBundle(tensors))
    }

    /// Saves atomically to `path`.
    public func save(to path: String) throws { try file().write(to: path) }

    /// Rebuilds a model from a verified file through the registry. Failures are `NNMError`s; a
    /// tensor that nothing reads is one too (as MLX's `update(parameters:verify:)`).
    public static func load(_ file: NNMFile, registry: PluginRegistry) throws -> TrainedModel {
        var meta = file.metadata
        guard let plugin = try? registry.plugin(meta.kind) else { throw NNMError.unknownKind(meta.kind, known: registry.kinds) }
        guard meta.pluginVersion >= 1, meta.pluginVersion <= max(plugin.version, plugin.classifier?.version ?? 0) else {
            throw NNMError.unsupportedFeature("\(meta.kind) plugin version \(meta.pluginVersion) (this build has \(plugin.version))")
        }
        let state = file.tensors.tracked()
        let model: any Model
        do {
            let variant = try plugin.variant(for: meta.schema.task)
            guard meta.pluginVersion <= variant.version else {
                throw NNMError.unsupportedFeature(
                    "\(meta.kind) \(meta.schema.task) plugin version \(meta.pluginVersion) (this build has \(variant.version))")
            }
            model = try variant.load(
                hyperparameters: meta.hyperparameters, state: state, featureCount: meta.schema.encodedWidth,
                classCount: meta.schema.classCount)
        } catch let e as ZooError {
            throw NNMError.invalidMetadata("hyperparameters: \(e)")
        }
        meta.fit.history = try loadHistory(state)
        try state.verifyAllRead()
        return TrainedModel(metadata: meta, model: model)
    }

    static func loadHistory(_ state: TensorBundle) throws -> TrainingHistory? {
        guard state.contains("history.loss") else { return nil }
        return TrainingHistory(loss: try state.doubles("history.loss"), validationLoss: try state.doubles("history.val_loss"))
    }

    /// Reads, verifies and loads `path`.
    public static func load(path: String, registry: PluginRegistry) throws -> TrainedModel {
        try load(try NNMFile.read(path: path), registry: registry)
    }
}
