import Foundation

/// The result of `Trainer.train`: the fitted model and what the user should see about it.
public struct TrainingResult: Sendable {
    public var model: TrainedModel
    public var data: PreparedData
    public var seconds: Double
}

/// Fits a plugin on prepared data: scales the target as the plugin asks, fits, measures.
public enum Trainer {
    public static func train(plugin: Plugin, parameters: [String] = [], data: PreparedData, options: DataOptions,
                             context: FitContext = FitContext()) throws -> TrainingResult {
        var model = try plugin.make(parameters)
        let targetScaler: AffineScaler
        switch plugin.targetScaling {
        case .none: targetScaler = .identity
        case .minMax: targetScaler = AffineScaler.fit(.minmax, data.trainY)
        case .standard: targetScaler = AffineScaler.fit(.standard, data.trainY)
        }
        var schema = data.schema
        schema.targetScaler = targetScaler
        let y = targetScaler == .identity ? data.trainY : data.trainY.map(targetScaler.apply)
        let start = Date()
        try model.fit(TrainingData(x: data.trainX, y: y, featureNames: schema.encodedNames), context: context)
        let seconds = Date().timeIntervalSince(start)

        var trained = TrainedModel(
            metadata: ModelMetadata(
                kind: plugin.kind, pluginVersion: plugin.version, summary: model.description,
                hyperparameters: try pluginHyperparameters(model), schema: schema,
                testMetrics: nil, trainMetrics: nil, rows: data.rows, parameterCount: model.parameterCount,
                layers: model.layers, extras: model.extras,
                training: ["seed": .int(Int(truncatingIfNeeded: options.seed)), "test_fraction": .double(options.testFraction),
                           "scaler": .string(options.scaler.rawValue), "impute": .string(options.impute.rawValue),
                           "fit_seconds": .double((seconds * 1000).rounded() / 1000)]),
            model: model, history: model.history)
        let trainPred = trained.predict(encoded: data.trainX)
        guard trainPred.allSatisfy(\.isFinite) else {
            throw ZooError.diverged(epoch: 0, hint: "the model predicts NaN or infinity; try a smaller learning rate")
        }
        trained.metadata.trainMetrics = RegressionMetrics(actual: data.trainY, predicted: trainPred)
        if data.testY.count > 0 {
            trained.metadata.testMetrics = RegressionMetrics(actual: data.testY, predicted: trained.predict(encoded: data.testX))
        }
        return TrainingResult(model: trained, data: data, seconds: seconds)
    }

    static func pluginHyperparameters(_ model: any Model) throws -> JSONValue {
        func open<M: Model>(_ m: M) -> JSONValue { m.hyperparameters.json() }
        return open(model)
    }
}
