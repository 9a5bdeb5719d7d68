import ArgumentParser
import Foundation
import ModelZoo

/// `--format` for `zoo tune`'s leaderboard.
enum LeaderboardFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

/// Renders a search's leaderboard: a text table, CSV, or scikit-learn's `cv_results_` as JSON.
enum LeaderboardOutput {
    static func render(_ rows: [LeaderboardRow], format: LeaderboardFormat, scorer: Scorer, folds: Int, halving: Bool) throws -> String {
        switch format {
        case .json:
            return try Format.json(Leaderboard.cvResults(rows, scorer: scorer, folds: folds, halving: halving)) + "\n"
        case .csv: return csv(rows, halving: halving)
        case .table: return table(rows, halving: halving)
        }
    }

    static func names(_ rows: [LeaderboardRow]) -> [String] { rows.first?.params.names ?? [] }

    static func csv(_ rows: [LeaderboardRow], halving: Bool) -> String {
        if isClassifier(rows) { return classifierCSV(rows, halving: halving) }
        let stats = ["mean_rmse", "std_rmse", "mean_mae", "std_mae", "mean_r2", "std_r2", "mean_fit_time", "std_fit_time"]
        let head = ["rank"] + (halving ? ["iter", "n_resources"] : []) + names(rows).map { "param_\($0)" } + stats + ["error"]
        var out = head.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        for r in rows {
            let values = [r.meanRMSE, r.stdRMSE, r.meanMAE, r.stdMAE, r.meanR2, r.stdR2, r.meanFitSeconds, r.stdFitSeconds].map {
                $0 ?? .nan
            }
            let fields =
                [String(r.rank)] + (halving ? [String(r.iteration), String(r.resources)] : []) + r.params.values
                + values.map { $0.isFinite ? "\($0)" : "" } + [r.error ?? ""]
            out += fields.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func table(_ rows: [LeaderboardRow], halving: Bool) -> String {
        if isClassifier(rows) { return classifierTable(rows, halving: halving) }
        let lead = ["rank"] + (halving ? ["iter", "resources"] : []) + names(rows)
        let heads = lead + ["RMSE", "± sd", "MAE", "± sd", "R²", "± sd", "fit s"]
        var t = TextTable(heads, rightAligned: Set([0] + Array(lead.count..<heads.count)))
        for r in rows {
            let front = [String(r.rank)] + (halving ? [String(r.iteration), Format.count(r.resources)] : []) + r.params.values
            guard r.error == nil else {
                t.add(front + ["error: \(r.error!)"] + Array(repeating: "", count: 6))
                continue
            }
            t.add(
                front + [r.meanRMSE, r.stdRMSE, r.meanMAE, r.stdMAE, r.meanR2, r.stdR2].map { Format.metric($0 ?? .nan) }
                    + [String(format: "%.3f", r.meanFitSeconds)])
        }
        return t.render()
    }

    /// `RMSE 0.0876 ± 0.0012  MAE 0.055 ± 0.001  R² 0.99682 ± 0.0001` for one row.
    static func summary(_ r: LeaderboardRow) -> String {
        if let c = r.classification {
            return c.named.map { "\(displayName[$0.name] ?? $0.name) \(Format.metric($0.mean)) ± \(Format.metric($0.std))" }.joined(
                separator: "  ")
        }
        let m = [r.meanRMSE, r.stdRMSE, r.meanMAE, r.stdMAE, r.meanR2, r.stdR2].map { $0 ?? .nan }
        return "RMSE \(Format.metric(m[0])) ± \(Format.metric(m[1]))  MAE \(Format.metric(m[2])) ± \(Format.metric(m[3]))"
            + "  R² \(String(format: "%.5f", m[4])) ± \(Format.metric(m[5]))"
    }

    static let displayName = [
        "log_loss": "log-loss", "accuracy": "accuracy", "balanced_accuracy": "balanced accuracy", "macro_f1": "macro F1",
    ]

    /// Rows of a classifier search (any row with classification statistics).
    static func isClassifier(_ rows: [LeaderboardRow]) -> Bool { rows.contains { $0.classification != nil } }

    static func classifierCSV(_ rows: [LeaderboardRow], halving: Bool) -> String {
        let stats =
            ["log_loss", "accuracy", "balanced_accuracy", "macro_f1"].flatMap { ["mean_\($0)", "std_\($0)"] } + [
                "mean_fit_time", "std_fit_time",
            ]
        let head = ["rank"] + (halving ? ["iter", "n_resources"] : []) + names(rows).map { "param_\($0)" } + stats + ["error"]
        var out = head.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        for r in rows {
            let values =
                (r.classification?.named.flatMap { [$0.mean, $0.std] } ?? Array(repeating: .nan, count: 8)) + [
                    r.meanFitSeconds, r.stdFitSeconds,
                ]
            let fields =
                [String(r.rank)] + (halving ? [String(r.iteration), String(r.resources)] : []) + r.params.values
                + values.map { $0.isFinite ? "\($0)" : "" } + [r.error ?? ""]
            out += fields.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    static func classifierTable(_ rows: [LeaderboardRow], halving: Bool) -> String {
        let lead = ["rank"] + (halving ? ["iter", "resources"] : []) + names(rows)
        let heads = lead + ["log-loss", "± sd", "accuracy", "± sd", "bal. acc.", "± sd", "macro F1", "± sd", "fit s"]
        var t = TextTable(heads, rightAligned: Set([0] + Array(lead.count..<heads.count)))
        for r in rows {
            let front = [String(r.rank)] + (halving ? [String(r.iteration), Format.count(r.resources)] : []) + r.params.values
            guard let c = r.classification, r.error == nil else {
                t.add(front + ["error: \(r.error ?? "no classification metrics")"] + Array(repeating: "", count: 8))
                continue
            }
            t.add(front + c.named.flatMap { [Format.metric($0.mean), Format.metric($0.std)] } + [String(format: "%.3f", r.meanFitSeconds)])
        }
        return t.render()
    }
}
