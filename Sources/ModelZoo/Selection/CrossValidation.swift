import Foundation

/// One cross-validation fit to run: a candidate (with halving's resource applied) on one fold.
public struct FoldTask: Sendable {
    public var key: FoldKey
    public var assignments: [String]
    public var params: String
    /// Training-split rows the folds are cut from (halving by rows takes a prefix).
    public var rows: Int
    public var resources: Int
}

/// Fits and scores fold tasks on the training split, all cores, each fit alone on its thread
/// (so the scores do not depend on the thread count).
public enum CrossValidation {
    /// Runs `tasks`, calling `completed` (serialised) as each finishes; returns the scores in task order.
    public static func run(
        _ tasks: [FoldTask], plugin: Plugin, data: PreparedData, folds: KFold, scorer: Scorer,
        completed: @escaping @Sendable (FoldScore) -> Void
    ) -> [FoldScore] {
        let results = Locked([FoldScore?](repeating: nil, count: tasks.count))
        let report = Locked(())
        Parallel.forEachAlone(tasks.count) { i in
            let score = fitAndScore(tasks[i], plugin: plugin, data: data, folds: folds, scorer: scorer)
            results.withLock { $0[i] = score }
            report.withLock { _ in completed(score) }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// One fit: the fold's training rows of the first `task.rows` training rows, scored on its validation rows.
    static func fitAndScore(_ task: FoldTask, plugin: Plugin, data: PreparedData, folds: KFold, scorer: Scorer) -> FoldScore {
        var out = FoldScore(
            iteration: task.key.iteration, candidate: task.key.candidate, fold: task.key.fold,
            resources: task.resources, params: task.params, fitSeconds: 0, scoreSeconds: 0)
        do {
            let (train, validation) = try folds.split(task.key.fold, of: task.rows)
            var fold = data
            fold.trainX = data.trainX.gathering(train)
            fold.trainY = train.map { data.trainY[$0] }
            fold.testX = data.trainX.gathering(validation)
            fold.testY = validation.map { data.trainY[$0] }
            let options = DataOptions(target: data.schema.target)
            let result = try Trainer.train(plugin: plugin, parameters: task.assignments, data: fold, options: options, scoreTraining: false)
            out.fitSeconds = result.seconds
            let t0 = Date()
            if result.model.task == .classification {
                try scoreClassifier(result.model, on: fold, scorer: scorer, into: &out)
                out.scoreSeconds = Date().timeIntervalSince(t0)
                return out
            }
            let predicted = try result.model.predict(encoded: fold.testX)
            out.scoreSeconds = Date().timeIntervalSince(t0)
            guard predicted.allSatisfy(\.isFinite) else { throw ZooError.diverged(epoch: 0, hint: "the model predicts NaN or infinity") }
            let m = RegressionMetrics(actual: fold.testY, predicted: predicted)
            out.rmse = m.rmse
            out.mae = m.mae
            out.r2 = m.r2
            out.score = scorer.value(actual: fold.testY, predicted: predicted)
        } catch {
            out.error = "\(error)"
        }
        return out
    }
}

extension CrossValidation {
    /// A classifier's fold: class probabilities on the validation rows, the metrics a leaderboard
    /// shows, and the scorer's value (NaN when the scorer is a regression one).
    static func scoreClassifier(_ model: TrainedModel, on fold: PreparedData, scorer: Scorer, into out: inout FoldScore) throws {
        let predicted = try model.classify(encoded: fold.testX)
        guard predicted.probabilities.values.allSatisfy(\.isFinite) else {
            throw ZooError.diverged(epoch: 0, hint: "the model's probabilities are NaN or infinite")
        }
        let m = ClassificationMetrics(
            actual: fold.testY.map { Int($0) }, probabilities: predicted.probabilities,
            predicted: predicted.classIndices, labels: predicted.classes)
        out.logLoss = m.logLoss
        out.accuracy = m.accuracy
        out.balancedAccuracy = m.balancedAccuracy
        out.macroF1 = m.macroF1
        let value = scorer.value(m)
        out.score = value.isFinite ? value : nil  // ROC AUC is undefined on a fold missing a class
    }
}

extension Matrix {
    /// The rows at `indices`, in that order.
    func gathering(_ indices: [Int]) -> Matrix {
        var v = [Double]()
        v.reserveCapacity(indices.count * cols)
        for r in indices { v.append(contentsOf: values[(r * cols)..<((r + 1) * cols)]) }
        return Matrix(rows: indices.count, cols: cols, values: v)
    }
}
