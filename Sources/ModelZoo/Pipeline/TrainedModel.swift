import Foundation

/// A fitted model with everything needed to predict from raw CSV rows: schema, scalers, metadata.
public struct TrainedModel: Sendable {
    public var metadata: ModelMetadata
    public let model: any Model
    public var history: TrainingHistory?

    public init(metadata: ModelMetadata, model: any Model, history: TrainingHistory?) {
        self.metadata = metadata
        self.model = model
        self.history = history
    }

    public var schema: FeatureSchema { metadata.schema }

    /// Predictions in the target's own units for encoded, scaled feature rows.
    public func predict(encoded x: Matrix) -> [Double] {
        var p = model.predict(x)
        let s = metadata.schema.targetScaler
        if s != .identity { for i in p.indices { p[i] = s.invert(p[i]) } }
        return p
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

    /// Rebuilds a model from a verified file through the registry. Failures are `NNMError`s.
    public static func load(_ file: NNMFile, registry: PluginRegistry) throws -> TrainedModel {
        let meta = file.metadata
        guard let plugin = try? registry.plugin(meta.kind) else { throw NNMError.unknownKind(meta.kind, known: registry.kinds) }
        guard meta.pluginVersion >= 1, meta.pluginVersion <= plugin.version else {
            throw NNMError.unsupportedFeature("\(meta.kind) plugin version \(meta.pluginVersion) (this build has \(plugin.version))")
        }
        let model: any Model
        do {
            model = try plugin.load(hyperparameters: meta.hyperparameters, state: file.tensors, featureCount: meta.schema.encodedWidth)
        } catch let e as ZooError {
            throw NNMError.invalidMetadata("hyperparameters: \(e)")
        }
        var history: TrainingHistory?
        if file.tensors.contains("history.loss") {
            history = TrainingHistory(loss: try file.tensors.doubles("history.loss"),
                                      validationLoss: try file.tensors.doubles("history.val_loss"))
        }
        return TrainedModel(metadata: meta, model: model, history: history)
    }

    /// Reads, verifies and loads `path`.
    public static func load(path: String, registry: PluginRegistry) throws -> TrainedModel {
        try load(try NNMFile.read(path: path), registry: registry)
    }
}
