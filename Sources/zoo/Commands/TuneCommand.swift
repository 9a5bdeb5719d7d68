import ArgumentParser
import Foundation
import ModelZoo

struct TuneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search hyperparameters by k-fold cross-validation on the training split, refit the best and save it.",
        discussion: """
            The data is split as `zoo train` splits it; the folds (scikit-learn's KFold, no shuffle) \
            are cut from the training rows in the order `zoo split --train` writes them, and the test \
            split is used only to score the refit best model; with --group the folds keep groups \
            whole (scikit-learn's GroupKFold). A categorical target searches the classifier: folds \
            are stratified (scikit-learn's StratifiedKFold, no shuffle), ranked by neg_log_loss unless \
            --scoring says otherwise, the leaderboard shows log-loss, accuracy, balanced accuracy and \
            macro F1. Every candidate × fold fit runs on its \
            own thread (--threads caps them; the scores do not depend on it). Each fit is appended to \
            the results file (--results) as it completes: after Ctrl-C, --resume continues the same \
            search and skips the fits already done. stdout gets the leaderboard (mean ± sd over the \
            folds, best first; --format json writes scikit-learn's cv_results_ field names, RMSE \
            scores negated as scikit-learn does). --halving runs successive halving as \
            HalvingGridSearchCV: a third of the candidates survive each round, with three times the \
            training rows (or the hyperparameter --halving-resource names, e.g. trees or epochs). \
            The model saved with --out carries the leaderboard (zoo inspect, zoo report).

            Grid values are separated by '|'; a random search draws --random N candidates with \
            --seed from --dist distributions (uniform:LO:HI, loguniform:LO:HI, int:LO:HI, choice:A|B) \
            and --grid lists (as choices).

            Examples:
              zoo tune forest --data data/bmi_data.csv --target BMI --grid trees=50|100|200 --grid max_depth=none|10 --out best.nnm
              zoo tune mlp --data data/bmi_data.csv --target BMI --grid hidden=6,3|16,8|32,16 --grid learning_rate=0.001|0.01 \\
                -p epochs=50 --out mlp.nnm
              zoo tune mlp --data d.csv --target y --random 40 --dist learning_rate=loguniform:1e-4:1e-1 --dist epochs=int:20:200
              zoo tune forest --data d.csv --target y --grid max_features=1.0|0.5|sqrt --halving --halving-resource trees
              zoo tune forest --data d.csv --target y --grid trees=50|100 --out best.nnm --resume
              zoo tune linear --data data/bmi_category.csv --target Category --grid C=0.1|1|10 --scoring balanced_accuracy --out c.nnm
            """
    )

    @OptionGroup var input: FitInputOptionGroup

    @OptionGroup var search: SearchOptionGroup

    @Option(name: .shortAndLong, help: "Where to write the best candidate, refit on the whole training split.")
    var out: String?

    @Option(help: "table, csv or json (scikit-learn's cv_results_).")
    var format: LeaderboardFormat = .table

    @Flag(name: .shortAndLong, help: "No progress line.")
    var quiet = false

    @OptionGroup var training: TrainingOptionGroup
    @OptionGroup var threads: ThreadsOptionGroup

    func validate() throws {
        if search.grid.isEmpty && search.dist.isEmpty {
            throw ValidationError("give the candidates with --grid name=a|b or --random N --dist ...")
        }
        if !search.dist.isEmpty && search.random == nil { throw ValidationError("--dist needs --random N (how many candidates to draw)") }
    }

    /// The results file: --results, or next to --out, or tune-KIND.jsonl.
    var resultsPath: String {
        if let p = search.results { return p }
        guard let out else { return "tune-\(input.kind).jsonl" }
        return (out.hasSuffix(".nnm") ? String(out.dropLast(4)) : out) + ".tune.jsonl"
    }

    func run() throws {
        threads.apply()
        let plugin = try input.checkedPlugin(task: training.task)
        let options = training.dataOptions(target: input.target, features: input.featureList)
        let table = try CSVTable.read(path: input.data, options: try training.csv.csvOptions())
        let prepared = try DatasetBuilder.prepare(consume table, options: options)
        for w in prepared.warnings { Diagnostics.warning(w) }
        // The data decides the task: a classifier search checks the classifier's parameters and
        // ranks by a classification scorer on stratified folds.
        let task = prepared.schema.task, variant = try plugin.variant(for: task)
        _ = try variant.make(input.params)
        let space = try SearchSpace(grid: search.grid, distributions: search.dist, plugin: variant)
        let candidates = search.random.map { space.randomCandidates($0, seed: training.split.seed) } ?? space.gridCandidates()
        let halving = try search.halvingResource(plugin: variant, fixed: input.params, searched: space.names)
        let scorer = try search.scoring.map { try Scorer.named($0, for: task) } ?? Scorer.default(for: task)
        let labels = task == .classification && prepared.groups == nil ? prepared.trainY.map { Int($0) } : nil
        if let labels, let warning = StratifiedKFold(search.folds, labels: labels).smallClassWarning(labels.count) {
            Diagnostics.warning(warning)
        }
        let selection = Search(
            plugin: plugin, candidates: candidates, fixed: input.params,
            folds: KFold(search.folds, groups: prepared.groups, labels: labels), scorer: scorer, halving: halving)
        let header = selection.header(prepared, split: options.split, seed: options.seed, testFraction: options.testFraction)
        let log = try ResultsLog(path: resultsPath, header: header, resume: search.resume)
        defer { log.close() }
        let planned = selection.plannedFits(rows: prepared.trainY.count)
        if !log.previous.isEmpty { Diagnostics.note("resuming \(resultsPath): \(log.previous.count) of \(planned) fits already done") }
        let progress = SearchProgress(
            total: planned, already: log.previous.count, folds: search.folds, scorer: selection.scorer, quiet: quiet)
        let outcome = try selection.run(prepared, done: log.previous) { score in
            log.append(score)
            progress.update(score)
        }
        progress.finish()
        print(
            try LeaderboardOutput.render(
                outcome.leaderboard, format: format, scorer: selection.scorer, folds: search.folds,
                halving: halving != nil), terminator: "")
        Diagnostics.note("results: \(resultsPath)")
        guard let best = outcome.best else { throw ZooError.invalidInput("every candidate failed; see the error column") }
        Diagnostics.note(
            "best: \(best.params.description.isEmpty ? "defaults" : best.params.description) — cv \(LeaderboardOutput.summary(best))")
        if let out { try refit(best, outcome.leaderboard, selection, space, prepared, options, to: out) }
    }

    /// Fits the best candidate on the whole training split, scores the test split, saves it with the leaderboard.
    func refit(
        _ best: LeaderboardRow, _ leaderboard: [LeaderboardRow], _ selection: Search, _ space: SearchSpace, _ prepared: PreparedData,
        _ options: DataOptions,
        to out: String
    ) throws {
        var result = try Trainer.train(
            plugin: selection.plugin, parameters: selection.refitAssignments(best), data: prepared, options: options)
        let method = (search.random == nil ? "grid" : "random") + (selection.halving.map { "+halving(\($0.description))" } ?? "")
        result.model.metadata.search = SearchRecord(
            method: method, scoring: selection.scorer.name, folds: search.folds,
            parameters: space.names, fixed: input.params, candidates: selection.candidates.count,
            leaderboard: leaderboard)
        try result.model.save(to: out)
        Diagnostics.note(
            "refit on \(Format.count(prepared.trainY.count)) training rows; "
                + testLine(result.model.metadata) + "; saved \(out)")
    }
}

extension TuneCommand {
    /// The refit model's test score: classification metrics for a classifier, regression ones otherwise.
    func testLine(_ metadata: ModelMetadata) -> String {
        metadata.task == .classification
            ? TrainingRun.classificationLine(metadata.testClassification, label: "test")
            : TrainingRun.metricsLine(metadata.testMetrics, label: "test")
    }
}

/// How `zoo tune` searches: candidates, folds, scoring, halving, the results file.
struct SearchOptionGroup: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Values to try for one hyperparameter, separated by '|' (repeatable; every combination is a candidate).",
            valueName: "name=a|b|c"))
    var grid: [String] = []

    @Option(
        help: ArgumentHelp(
            "Draw N random candidates (from --dist, and --grid lists as choices) instead of the whole grid.",
            valueName: "n"))
    var random: Int?

    @Option(
        help: ArgumentHelp(
            "A distribution to draw one hyperparameter from: uniform:LO:HI, loguniform:LO:HI, int:LO:HI or choice:A|B (repeatable).",
            valueName: "name=dist"))
    var dist: [String] = []

    @Option(help: "Cross-validation folds (k-fold over the training rows in order).")
    var folds: Int = 5

    @Option(
        help: ArgumentHelp(
            "What ranks candidates (ours or scikit-learn's name): rmse, mae or r2 for a regressor (default rmse); "
                + "log_loss (neg_log_loss, the default), accuracy, balanced_accuracy, macro_f1 (f1_macro), "
                + "weighted_f1 (f1_weighted) or roc_auc (roc_auc_ovr) for a classifier.", valueName: "scoring"))
    var scoring: String?

    @Flag(help: "Successive halving: each round keeps the best third of the candidates and gives them 3× the resource.")
    var halving = false

    @Option(
        help: ArgumentHelp(
            "What halving gives survivors more of: rows, or an integer hyperparameter (trees, epochs).", valueName: "resource"))
    var halvingResource: String = "rows"

    @Option(
        help: ArgumentHelp(
            "The results file, one line per fit (default: next to --out as NAME.tune.jsonl, else tune-KIND.jsonl).",
            valueName: "path"))
    var results: String?

    @Flag(help: "Continue the search in the results file, skipping the fits it holds.")
    var resume = false

    func validate() throws {
        guard (2...100).contains(folds) else { throw ValidationError("--folds must be in 2...100, got \(folds)") }
        if let random, random < 1 { throw ValidationError("--random must be at least 1, got \(random)") }
        if let scoring, !Scorer.all.contains(where: { $0.name == scoring || $0.sklearnName == scoring || $0.aliases.contains(scoring) }) {
            throw ValidationError("unknown scoring '\(scoring)'; use one of " + Scorer.all.map(\.name).joined(separator: ", "))
        }
    }

    /// The halving resource, its maximum from -p or the plugin's default.
    func halvingResource(plugin: PluginVariant, fixed: [String], searched: [String]) throws -> HalvingResource? {
        guard halving else { return nil }
        if halvingResource == "rows" { return .rows }
        guard let spec = plugin.parameters.first(where: { $0.name == halvingResource || $0.aliases.contains(halvingResource) }),
            case .int = spec.type
        else {
            throw ZooError.invalidInput(
                "--halving-resource must be rows or an integer hyperparameter of \(plugin.kind), got '\(halvingResource)'")
        }
        guard !searched.contains(spec.name) else {
            throw ZooError.invalidInput("'\(spec.name)' cannot be both searched and the halving resource")
        }
        let keys = [spec.name] + spec.aliases
        let given = fixed.last { item in keys.contains { item.hasPrefix($0 + "=") } }
        let max =
            given.flatMap { Int($0.split(separator: "=", maxSplits: 1).last ?? "") }
            ?? {
                if case .int(let v) = spec.defaultValue { return v }
                return 1
            }()
        return .parameter(spec.name, max: max)
    }
}
