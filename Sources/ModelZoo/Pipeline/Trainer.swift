import Foundation

/// The result of `Trainer.train`: the fitted model and how long `fit` took.
public struct TrainingResult: Sendable {
    public var model: TrainedModel
    public var seconds: Double
}

/// Fits a plugin on prepared data: scales the target as the plugin asks, fits, measures.
public enum Trainer {
    public static func train(
        plugin: Plugin, parameters: [String] = [], data: PreparedData, options: DataOptions,
        context: FitContext = FitContext(), scoreTraining: Bool = true
    ) throws -> TrainingResult {
        let variant = try plugin.variant(for: data.schema.task)
        var model = try variant.make(parameters)
        let classCount = data.schema.classCount
        let targetScaler = classCount > 0 ? .identity : fitTargetScaler(plugin.targetScaling, data.trainY)
        var schema = data.schema
        schema.targetScaler = targetScaler
        let (n, p) = (data.trainX.rows, data.trainX.cols)
        try options.memory.check(
            model.estimatedFitBytes(rows: n, features: p),
            for: "fitting \(plugin.kind) on \(n) rows × \(p) inputs with these hyperparameters")
        let y = targetScaler == .identity ? data.trainY : data.trainY.map(targetScaler.apply)
        let start = Date()
        let report = try model.fit(
            TrainingData(x: data.trainX, y: y, featureNames: schema.encodedNames, classCount: classCount),
            context: inTargetUnits(context, targetScaler))
        let seconds = Date().timeIntervalSince(start)
        var trained = TrainedModel(
            metadata: ModelMetadata(
                kind: plugin.kind, pluginVersion: variant.version, summary: model.description,
                hyperparameters: pluginHyperparameters(model), schema: schema,
                testMetrics: nil, trainMetrics: nil, rows: data.rows, parameterCount: model.parameterCount,
                layers: model.layers, extras: model.extras, fit: report,
                training: TrainingRecord(
                    options, fitSeconds: seconds, data: data.fingerprint, rowProbe: data.rowProbe,
                    stratified: classCount > 0 ? options.stratify && options.split == .random : nil),
                requires: classCount > 0 ? [ModelMetadata.classificationRequirement] : []),
            model: model)
        // Cross-validation fits score their own validation rows: no train metrics to compute.
        if scoreTraining { try score(&trained, data, plugin: plugin) }
        return TrainingResult(model: trained, seconds: seconds)
    }

    static func fitTargetScaler(_ scaling: TargetScaling, _ y: [Double]) -> AffineScaler {
        switch scaling {
        case .none: return .identity
        case .minMax: return AffineScaler.fit(.minmax, y)
        case .standard: return AffineScaler.fit(.standard, y)
        }
    }

    /// Progress with losses converted from the plugin's scaled units to squared target units, the
    /// units a user reads RMSE and MSE in.
    static func inTargetUnits(_ context: FitContext, _ scaler: AffineScaler) -> FitContext {
        guard scaler != .identity else { return context }
        let factor = scaler.scale * scaler.scale
        let sink = context.progress
        return FitContext { p in
            var q = p
            q.loss = p.loss.map { $0 * factor }
            q.validationLoss = p.validationLoss.map { $0 * factor }
            sink(q)
        }
    }

    /// What to try when a fitted model predicts non-finite values: a smaller learning rate where the
    /// plugin has one (linear and forest do not), `otherwise` the data.
    static func divergenceHint(_ plugin: Plugin, otherwise: String) -> String {
        plugin.parameters.contains { $0.name == "learning_rate" } ? "try a smaller learning_rate" : otherwise
    }

    /// Train and test metrics in target units; a model that predicts NaN or infinity is refused.
    static func score(_ trained: inout TrainedModel, _ data: PreparedData, plugin: Plugin) throws {
        if let classes = data.schema.classes {
            let train = try trained.classify(encoded: data.trainX)
            guard train.probabilities.values.allSatisfy(\.isFinite) else {
                let hint = divergenceHint(plugin, otherwise: "check the features for extreme values")
                throw ZooError.diverged(epoch: 0, hint: "the model predicts NaN or infinite probabilities; \(hint)")
            }
            trained.metadata.trainClassification = ClassificationMetrics(
                actual: data.trainY.map { Int($0) }, probabilities: train.probabilities, predicted: train.classIndices, labels: classes)
            if data.testY.count > 0 {
                let test = try trained.classify(encoded: data.testX)
                trained.metadata.testClassification = ClassificationMetrics(
                    actual: data.testY.map { Int($0) }, probabilities: test.probabilities, predicted: test.classIndices, labels: classes)
            }
            return
        }
        let trainPred = try trained.predict(encoded: data.trainX)
        guard trainPred.allSatisfy(\.isFinite) else {
            let hint = divergenceHint(plugin, otherwise: "check the target for extreme values")
            throw ZooError.diverged(epoch: 0, hint: "the model predicts NaN or infinity; \(hint)")
        }
        trained.metadata.trainMetrics = RegressionMetrics(actual: data.trainY, predicted: trainPred)
        if data.testY.count > 0 {
            trained.metadata.testMetrics = RegressionMetrics(actual: data.testY, predicted: try trained.predict(encoded: data.testX))
        }
    }

    static func pluginHyperparameters(_ model: any Model) -> JSONValue {
        func open<M: Model>(_ m: M) -> JSONValue { m.hyperparameters.json() }
        return open(model)
    }
}
