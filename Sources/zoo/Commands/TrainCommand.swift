import ArgumentParser
import Foundation
import ModelZoo

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a model on a CSV file and save it as an .nnm file.",
        discussion: """
            Prints the data summary (rows used, dropped and why, encoded features), progress on \
            stderr, and the metrics on the held-out test split. --cv K first cross-validates the same \
            settings on the training split (K folds, as `zoo tune`) and prints the mean ± sd over the \
            folds; the fold scores are stored in the file. The model file appears only when \
            training succeeded (it is written to a temporary file, then renamed).

            Examples:
              zoo train linear --data data/bmi_data.csv --target BMI --out models/bmi-linear.nnm
              zoo train neuron --data data/bmi_data.csv --target BMI -p epochs=50 -p learning_rate=0.05 --out n.nnm
              zoo train linear --data people.csv --target BMI --features Age,Sex --impute mean --out m.nnm
              zoo train forest --data data/bmi_data.csv --target BMI -p trees=50 --cv 5 --out f.nnm
              zoo train forest --data data/bmi_category.csv --target Category --features Sex,Age,Height,Weight --out c.nnm
              zoo train mlp --data data/bmi_category.csv --target Category -p class_weight=balanced --out c.nnm
            """
    )

    @OptionGroup var input: FitInputOptionGroup

    @Option(name: .shortAndLong, help: "Where to write the .nnm model.")
    var out: String

    @Option(help: ArgumentHelp("Cross-validate on the training split with K folds before the final fit.", valueName: "k"))
    var cv: Int?

    @Flag(name: .shortAndLong, help: "Print nothing but errors and warnings.")
    var quiet = false

    @OptionGroup var training: TrainingOptionGroup
    @OptionGroup var threads: ThreadsOptionGroup

    func validate() throws {
        if let cv, !(2...100).contains(cv) { throw ValidationError("--cv must be in 2...100, got \(cv)") }
    }

    func run() throws {
        threads.apply()
        let plugin = try input.checkedPlugin(task: training.task)
        try OutputGuard.check(output: out, against: [input.data])
        try OutputGuard.checkReplacesOnlyAModel(output: out)
        let options = training.dataOptions(target: input.target, features: input.featureList)
        let table = try CSVTable.read(path: input.data, options: try training.csv.csvOptions())
        let prepared = try DatasetBuilder.prepare(consume table, options: options)
        if !quiet { TrainingRun.printDataSummary(prepared, source: input.data) }
        let crossValidation = try cv.map {
            try CrossValidationRun.run(plugin, params: input.params, folds: $0, data: prepared, quiet: quiet)
        }
        let progress = ProgressLine(label: input.kind, target: input.target, task: prepared.schema.task, quiet: quiet)
        let result = try Trainer.train(
            plugin: plugin, parameters: input.params, data: prepared, options: options,
            context: FitContext(progress: { progress.update($0) }))
        progress.finish()
        var model = result.model
        model.metadata.search = crossValidation
        try model.save(to: out)
        if !quiet {
            let metadata = result.model.metadata, fit = String(format: "%.3f", result.seconds)
            print("model: \(metadata.summary), \(Format.count(metadata.parameterCount)) parameters, fit in \(fit)s")
            for line in TrainingRun.fitLines(result.model.metadata.fit) { print(line) }
            for line in TrainingRun.testLines(result.model.metadata) { print(line) }
            print("saved \(out) (\(Format.bytes(FileBytes.size(of: out) ?? 0)))")
        }
    }
}

/// `zoo train --cv K`: one configuration cross-validated as `zoo tune` would, printed and kept for the file.
enum CrossValidationRun {
    static func run(_ plugin: Plugin, params: [String], folds: Int, data: PreparedData, quiet: Bool) throws -> SearchRecord {
        let task = data.schema.task, scorer = Scorer.default(for: task)
        // A classifier's folds are stratified, as GridSearchCV's default cv for a classifier.
        let labels = task == .classification && data.groups == nil ? data.trainY.map { Int($0) } : nil
        let kFold = KFold(folds, groups: data.groups, labels: labels)
        if let labels, let warning = StratifiedKFold(folds, labels: labels).smallClassWarning(labels.count) { Diagnostics.warning(warning) }
        let search = Search(
            plugin: plugin, candidates: [Candidate(names: [], values: [])], fixed: params, folds: kFold,
            scorer: scorer, halving: nil)
        let progress = SearchProgress(label: "cv", total: folds, already: 0, folds: folds, scorer: scorer, quiet: quiet)
        let scores = Locked([FoldScore]())
        let outcome = try search.run(data) { score in
            scores.withLock { $0.append(score) }
            progress.update(score)
        }
        progress.finish()
        guard let row = outcome.leaderboard.first else { throw ZooError.invalidInput("cross-validation made no fits") }
        if let error = row.error { throw ZooError.invalidInput("cross-validation failed: \(error)") }
        if !quiet {
            let header = "cv (\(folds) \(labels == nil ? "" : "stratified ")folds of \(Format.count(data.trainY.count)) training rows): "
            if task == .classification {
                print(header + classificationSummary(scores.withLock { $0.sorted { $0.fold < $1.fold } }))
                print("cv log-loss per fold: " + row.foldScores.map(Format.metric).joined(separator: "  "))
            } else {
                print(header + LeaderboardOutput.summary(row))
                print("cv RMSE per fold: " + row.foldScores.map(Format.metric).joined(separator: "  "))
            }
        }
        return SearchRecord(
            method: "cv", scoring: scorer.name, folds: folds, parameters: [], fixed: params, candidates: 1,
            leaderboard: outcome.leaderboard)
    }

    /// Mean ± population std over the folds of log-loss, accuracy, balanced accuracy and macro F1.
    static func classificationSummary(_ folds: [FoldScore]) -> String {
        let metrics: [(String, (FoldScore) -> Double?)] = [
            ("log-loss", \.logLoss), ("accuracy", \.accuracy),
            ("balanced accuracy", \.balancedAccuracy), ("macro F1", \.macroF1),
        ]
        return metrics.map { name, value in
            let s = Leaderboard.meanStd(folds.map { value($0) ?? .nan })
            return "\(name) \(Format.metric(s.mean)) ± \(Format.metric(s.std))"
        }.joined(separator: "  ")
    }
}
