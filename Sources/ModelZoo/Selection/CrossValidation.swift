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
    /// With `shareEnsembles`, tasks that differ only in an ensemble's member count (and depth limit,
    /// where cutting is exact) share one fit (`prefixGroups`); their scores are the ones separate fits give.
    public static func run(
        _ tasks: [FoldTask], plugin: Plugin, data: PreparedData, folds: KFold, scorer: Scorer, shareEnsembles: Bool = true,
        completed: @escaping @Sendable (FoldScore) -> Void
    ) -> [FoldScore] {
        let results = Locked([FoldScore?](repeating: nil, count: tasks.count))
        let report = Locked(())
        let variant = try? plugin.variant(for: data.schema.task)
        let groups =
            shareEnsembles && variant != nil
            ? prefixGroups(tasks, variant: variant!) : tasks.indices.map { FitGroup(single: $0, tasks[$0]) }
        Parallel.forEachAlone(groups.count) { g in
            let group = groups[g]
            let scores = fitAndScore(group, tasks: group.tasks.map { tasks[$0] }, plugin: plugin, data: data, folds: folds, scorer: scorer)
            results.withLock { for (i, score) in zip(group.tasks, scores) { $0[i] = score } }
            report.withLock { _ in for score in scores { completed(score) } }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// Tasks one fit serves (indices into the task list), with each one's ensemble member count
    /// (1 for a model that is not a `PrefixEnsemble`) and depth limit (nil: unlimited), and the
    /// settings of the one fit: the most members and the deepest limit the group asks for.
    struct FitGroup {
        var tasks: [Int]
        var members: [Int]
        var depths: [Int?]
        var fitAssignments: [String]
        /// The settings without the member count and (where cut) the depth limit, and those names.
        var shared: [String] = []
        var memberName = "", depthName: String?

        init(single i: Int, _ task: FoldTask) {
            (tasks, members, depths, fitAssignments) = ([i], [1], [nil], task.assignments)
        }

        init(first i: Int, _ task: FoldTask, shared: [String], ensemble: any PrefixEnsemble, depthName: String?) {
            (tasks, members, depths, fitAssignments) = ([i], [ensemble.memberCount], [ensemble.depthLimit], task.assignments)
            (self.shared, memberName, self.depthName) = (shared, type(of: ensemble).memberParameter, depthName)
        }

        /// The fit's members and depth limit.
        var fitMembers: Int { members.max() ?? 1 }
        var fitDepth: Int? { depths.contains(nil) ? nil : depths.compactMap { $0 }.max() }

        mutating func add(_ i: Int, ensemble: any PrefixEnsemble) {
            tasks.append(i)
            members.append(ensemble.memberCount)
            depths.append(ensemble.depthLimit)
            fitAssignments =
                shared + ["\(memberName)=\(fitMembers)"] + (depthName.map { ["\($0)=\(fitDepth.map(String.init) ?? "none")"] } ?? [])
        }
    }

    /// The tasks in groups that one fit can serve: the same iteration, fold and rows, and settings
    /// that differ only in a `PrefixEnsemble`'s member count and, where the model can be cut by depth,
    /// its depth limit (under any of the parameters' names). Every other task is a group of its own.
    static func prefixGroups(_ tasks: [FoldTask], variant: PluginVariant) -> [FitGroup] {
        var index: [String: Int] = [:], groups: [FitGroup] = []
        func names(_ parameter: String) -> Set<String> {
            Set([parameter] + (variant.parameters.first { $0.name == parameter }?.aliases ?? []))
        }
        for (i, task) in tasks.enumerated() {
            guard let model = try? variant.make(task.assignments), let ensemble = model as? any PrefixEnsemble else {
                groups.append(FitGroup(single: i, task))
                continue
            }
            let depthName = ensemble.searchCutsByDepth ? type(of: ensemble).depthParameter : nil
            let excluded = names(type(of: ensemble).memberParameter).union(depthName.map(names) ?? [])
            let shared = task.assignments.filter { !excluded.contains(String($0.prefix { $0 != "=" })) }
            let key = "\(task.key.iteration) \(task.key.fold) \(task.rows) \(task.resources) " + shared.joined(separator: "\u{1F}")
            if let g = index[key] {
                groups[g].add(i, ensemble: ensemble)
            } else {
                index[key] = groups.count
                groups.append(FitGroup(first: i, task, shared: shared, ensemble: ensemble, depthName: depthName))
            }
        }
        return groups
    }

    /// Fits a group's largest and deepest ensemble once on the fold and scores it and each smaller
    /// member count as its prefix, each shallower depth limit as it cut at that depth; a group of one
    /// is an ordinary fit. A prefix's fit time is the shared fit's, scaled by its share of the members
    /// (trees are grown independently, so it is what its own fit would take); a cut one's is the
    /// deeper fit's share (an upper bound: shallower trees grow faster).
    static func fitAndScore(
        _ fit: FitGroup, tasks group: [FoldTask], plugin: Plugin, data: PreparedData, folds: KFold, scorer: Scorer
    ) -> [FoldScore] {
        let counts = fit.members
        var outs = group.map { task in
            FoldScore(
                iteration: task.key.iteration, candidate: task.key.candidate, fold: task.key.fold,
                resources: task.resources, params: task.params, fitSeconds: 0, scoreSeconds: 0)
        }
        do {
            let fold = try foldData(group[0], data: data, folds: folds)
            let options = DataOptions(target: data.schema.target)
            let result = try Trainer.train(
                plugin: plugin, parameters: fit.fitAssignments, data: fold, options: options, scoreTraining: false)
            for i in group.indices {
                do {
                    var model = result.model
                    if counts[i] != fit.fitMembers, let e = model.model as? any PrefixEnsemble {
                        model = TrainedModel(metadata: model.metadata, model: try e.anyPrefix(counts[i]))
                    }
                    if let depth = fit.depths[i], depth != fit.fitDepth, let e = model.model as? any PrefixEnsemble {
                        model = TrainedModel(metadata: model.metadata, model: try e.anyTruncated(depth))
                    }
                    outs[i].fitSeconds = result.seconds * Double(counts[i]) / Double(fit.fitMembers)
                    try score(model, on: fold, scorer: scorer, into: &outs[i])
                } catch {
                    outs[i].error = "\(error)"
                }
            }
        } catch {
            for i in outs.indices { outs[i].error = "\(error)" }
        }
        return outs
    }

    /// The fold's training rows of the first `task.rows` training rows, and its validation rows as the test split.
    static func foldData(_ task: FoldTask, data: PreparedData, folds: KFold) throws -> PreparedData {
        let (train, validation) = try folds.split(task.key.fold, of: task.rows)
        var fold = data
        fold.trainX = data.trainX.gathering(train)
        fold.trainY = train.map { data.trainY[$0] }
        fold.testX = data.trainX.gathering(validation)
        fold.testY = validation.map { data.trainY[$0] }
        return fold
    }

    /// A fitted model's scores on the fold's validation rows.
    static func score(_ model: TrainedModel, on fold: PreparedData, scorer: Scorer, into out: inout FoldScore) throws {
        let t0 = Date()
        if model.task == .classification {
            try scoreClassifier(model, on: fold, scorer: scorer, into: &out)
            out.scoreSeconds = Date().timeIntervalSince(t0)
            return
        }
        let predicted = try model.predict(encoded: fold.testX)
        out.scoreSeconds = Date().timeIntervalSince(t0)
        guard predicted.allSatisfy(\.isFinite) else { throw ZooError.diverged(epoch: 0, hint: "the model predicts NaN or infinity") }
        let m = RegressionMetrics(actual: fold.testY, predicted: predicted)
        out.rmse = m.rmse
        out.mae = m.mae
        out.r2 = m.r2
        out.score = scorer.value(actual: fold.testY, predicted: predicted)
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
