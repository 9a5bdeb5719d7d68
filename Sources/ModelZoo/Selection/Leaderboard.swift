import Foundation

/// Per candidate (and halving iteration): fold scores aggregated as scikit-learn's `cv_results_`
/// aggregates them (mean, population std), and the rank by mean score.
public struct LeaderboardRow: Sendable, Codable, Equatable {
    public var iteration: Int
    public var candidate: Int
    public var resources: Int
    public var params: Candidate
    /// The scorer's values per fold, in its own units (RMSE, not negated).
    public var foldScores: [Double]
    public var meanScore: Double
    public var stdScore: Double
    /// Regressors' metrics (nil for a classifier's rows, so nothing NaN reaches the file's JSON).
    public var meanRMSE: Double?, stdRMSE: Double?
    public var meanMAE: Double?, stdMAE: Double?
    public var meanR2: Double?, stdR2: Double?
    public var meanFitSeconds: Double, stdFitSeconds: Double
    public var meanScoreSeconds: Double, stdScoreSeconds: Double
    /// A classifier's metrics over the folds (nil for regressors and failed candidates).
    public var classification: ClassificationFoldStats?
    /// 1 is best; rows of later halving iterations rank before earlier ones; ties share the smaller rank.
    public var rank: Int
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case iteration = "iter", candidate, resources = "n_resources", params, rank, error
        case foldScores = "fold_scores", meanScore = "mean_score", stdScore = "std_score"
        case meanRMSE = "mean_rmse", stdRMSE = "std_rmse", meanMAE = "mean_mae", stdMAE = "std_mae", meanR2 = "mean_r2", stdR2 = "std_r2"
        case meanFitSeconds = "mean_fit_time", stdFitSeconds = "std_fit_time", classification
        case meanScoreSeconds = "mean_score_time", stdScoreSeconds = "std_score_time"
    }
}

/// Mean and population std over the folds of the classification metrics a leaderboard shows.
public struct ClassificationFoldStats: Sendable, Codable, Equatable {
    public var meanLogLoss: Double, stdLogLoss: Double
    public var meanAccuracy: Double, stdAccuracy: Double
    public var meanBalancedAccuracy: Double, stdBalancedAccuracy: Double
    public var meanMacroF1: Double, stdMacroF1: Double

    enum CodingKeys: String, CodingKey {
        case meanLogLoss = "mean_log_loss", stdLogLoss = "std_log_loss", meanAccuracy = "mean_accuracy", stdAccuracy = "std_accuracy"
        case meanBalancedAccuracy = "mean_balanced_accuracy", stdBalancedAccuracy = "std_balanced_accuracy"
        case meanMacroF1 = "mean_macro_f1", stdMacroF1 = "std_macro_f1"
    }

    /// The statistics of `folds`, nil unless every fold has all four metrics.
    init?(_ folds: [FoldScore]) {
        let metrics: [KeyPath<FoldScore, Double?>] = [\.logLoss, \.accuracy, \.balancedAccuracy, \.macroF1]
        var stats: [(mean: Double, std: Double)] = []
        for m in metrics {
            let values = folds.compactMap { $0[keyPath: m] }
            guard values.count == folds.count, !values.isEmpty else { return nil }
            stats.append(Leaderboard.meanStd(values))
        }
        (meanLogLoss, stdLogLoss) = stats[0]
        (meanAccuracy, stdAccuracy) = stats[1]
        (meanBalancedAccuracy, stdBalancedAccuracy) = stats[2]
        (meanMacroF1, stdMacroF1) = stats[3]
    }

    /// (name, mean, std) in display order.
    public var named: [(name: String, mean: Double, std: Double)] {
        [
            ("log_loss", meanLogLoss, stdLogLoss), ("accuracy", meanAccuracy, stdAccuracy),
            ("balanced_accuracy", meanBalancedAccuracy, stdBalancedAccuracy), ("macro_f1", meanMacroF1, stdMacroF1),
        ]
    }
}

public enum Leaderboard {
    /// Rows for every (iteration, candidate) that has scores, ranked (best first).
    public static func rows(_ scores: [FoldScore], candidates: [Candidate], scorer: Scorer) -> [LeaderboardRow] {
        let groups = Dictionary(grouping: scores) { FoldKey(iteration: $0.iteration, candidate: $0.candidate, fold: 0) }
        var rows = groups.keys.sorted { ($0.iteration, $0.candidate) < ($1.iteration, $1.candidate) }.map { key in
            row(groups[key]!.sorted { $0.fold < $1.fold }, params: candidates[key.candidate])
        }
        rank(&rows, scorer: scorer)
        return rows.sorted { ($0.rank, $0.iteration, $0.candidate) < ($1.rank, $1.iteration, $1.candidate) }
    }

    static func row(_ folds: [FoldScore], params: Candidate) -> LeaderboardRow {
        let failed = folds.first { $0.error != nil }?.error
        func stat(_ f: (FoldScore) -> Double?) -> (Double, Double) {
            guard failed == nil else { return (.nan, .nan) }
            return meanStd(folds.map { f($0) ?? .nan })
        }
        let score = stat(\.score)
        let classifier = folds.contains { $0.logLoss != nil }
        func regression(_ f: (FoldScore) -> Double?) -> (Double?, Double?) {
            guard !classifier else { return (nil, nil) }
            let s = stat(f)
            return (s.0, s.1)
        }
        let rmse = regression(\.rmse), mae = regression(\.mae), r2 = regression(\.r2)
        let fit = meanStd(folds.map(\.fitSeconds)), scoring = meanStd(folds.map(\.scoreSeconds))
        return LeaderboardRow(
            iteration: folds[0].iteration, candidate: folds[0].candidate, resources: folds[0].resources, params: params,
            foldScores: folds.map { $0.score ?? .nan }, meanScore: score.0, stdScore: score.1,
            meanRMSE: rmse.0, stdRMSE: rmse.1, meanMAE: mae.0, stdMAE: mae.1, meanR2: r2.0, stdR2: r2.1,
            meanFitSeconds: fit.0, stdFitSeconds: fit.1, meanScoreSeconds: scoring.0, stdScoreSeconds: scoring.1,
            classification: failed == nil ? ClassificationFoldStats(folds) : nil, rank: 0, error: failed)
    }

    /// Mean and population standard deviation (NumPy's default, as `cv_results_`).
    public static func meanStd(_ v: [Double]) -> (mean: Double, std: Double) {
        guard !v.isEmpty else { return (.nan, .nan) }
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
        return (mean, variance.squareRoot())
    }

    /// scikit-learn's `rank_test_score`: by iteration (later first), then by mean score; ties take
    /// the smallest rank ("min"); failed candidates last.
    static func rank(_ rows: inout [LeaderboardRow], scorer: Scorer) {
        func key(_ r: LeaderboardRow) -> (Int, Double) {
            (-r.iteration, r.meanScore.isNaN ? .infinity : -scorer.testScore(r.meanScore))
        }
        let order = rows.indices.sorted { key(rows[$0]) < key(rows[$1]) }
        for (position, i) in order.enumerated() {
            if position > 0, key(rows[order[position - 1]]) == key(rows[i]) {
                rows[i].rank = rows[order[position - 1]].rank
            } else {
                rows[i].rank = position + 1
            }
        }
    }

    /// The leaderboard as scikit-learn's `cv_results_`: one array per field, one entry per row, so
    /// `pandas.DataFrame(json)` reads it. Test scores follow scikit-learn's sign (RMSE negated).
    public static func cvResults(_ rows: [LeaderboardRow], scorer: Scorer, folds: Int, halving: Bool) -> JSONValue {
        var out: [String: JSONValue] = [:]
        func column(_ name: String, _ f: (LeaderboardRow) -> JSONValue) { out[name] = .array(rows.map(f)) }
        func number(_ d: Double) -> JSONValue { d.isFinite ? .double(d) : .null }
        column("params") { r in .object(Dictionary(uniqueKeysWithValues: zip(r.params.names, r.params.values.map(paramValue)))) }
        for (k, name) in (rows.first?.params.names ?? []).enumerated() {
            column("param_\(name)") { paramValue($0.params.values[k]) }
        }
        for k in 0..<folds { column("split\(k)_test_score") { number(scorer.testScore($0.foldScores[k])) } }
        column("mean_test_score") { number(scorer.testScore($0.meanScore)) }
        column("std_test_score") { number($0.stdScore) }
        column("rank_test_score") { .int($0.rank) }
        column("mean_fit_time") { number($0.meanFitSeconds) }
        column("std_fit_time") { number($0.stdFitSeconds) }
        column("mean_score_time") { number($0.meanScoreSeconds) }
        column("std_score_time") { number($0.stdScoreSeconds) }
        if scorer.task == .classification {
            for (k, name) in ["log_loss", "accuracy", "balanced_accuracy", "macro_f1"].enumerated() {
                column("mean_test_\(name)") { number($0.classification?.named[k].mean ?? .nan) }
                column("std_test_\(name)") { number($0.classification?.named[k].std ?? .nan) }
            }
        } else {
            for (name, mean, std) in [
                ("rmse", \LeaderboardRow.meanRMSE, \LeaderboardRow.stdRMSE), ("mae", \.meanMAE, \.stdMAE),
                ("r2", \.meanR2, \.stdR2),
            ] {
                column("mean_test_\(name)") { number($0[keyPath: mean] ?? .nan) }
                column("std_test_\(name)") { number($0[keyPath: std] ?? .nan) }
            }
        }
        if halving {
            column("iter") { .int($0.iteration) }
            column("n_resources") { .int($0.resources) }
        }
        column("error") { $0.error.map(JSONValue.string) ?? .null }
        return .object(out)
    }

    /// A parameter value as JSON: a number when it reads as one, else the text (`16,8`, `none`, `relu`).
    static func paramValue(_ text: String) -> JSONValue {
        if let i = Int(text) { return .int(i) }
        if let d = Double(text), d.isFinite { return .double(d) }
        if text == "none" { return .null }
        if text == "true" || text == "false" { return .bool(text == "true") }
        return .string(text)
    }
}
