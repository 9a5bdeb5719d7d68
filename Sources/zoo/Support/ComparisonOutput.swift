import Foundation
import ModelZoo

/// `--format` for `zoo compare`.
enum ComparisonFormat: String, CaseIterable {
    case table, markdown, csv, json
}

/// How numbers appear: `precision` significant digits (nil: exact in CSV and JSON, 5 in tables);
/// `timings` keeps the rows/s column, the only value that changes from run to run.
struct ComparisonStyle {
    var precision: Int?
    var timings = true
    /// What classifiers are ranked by.
    var metric = ClassificationMetric.logLoss
    static let tableDigits = 5
}

/// Renders comparison rows, best RMSE first and marked.
enum ComparisonOutput {
    /// Regressors (and unreadable files) ranked by RMSE; classifiers, when there are any, ranked by
    /// `style.metric` in a table of their own (CSV: one table with the columns of both, and `task`).
    static func render(_ rows: [ModelEvaluation], format: ComparisonFormat, style: ComparisonStyle = .init()) throws -> String {
        let classifiers = rows.filter { $0.task == .classification }
        guard classifiers.isEmpty else {
            let regressors = ModelComparison.sorted(rows.filter { $0.task != .classification })
            let ranked = ModelComparison.sortedClassifiers(classifiers, by: style.metric)
            switch format {
            case .json: return try Format.json((regressors + ranked).map { styled($0, style) }) + "\n"
            case .csv: return mixedCSV(regressors + ranked, style)
            case .markdown:
                return (regressors.isEmpty ? "" : markdown(regressors, style) + "\n") + ClassifierComparison.markdown(ranked, style)
            case .table: return (regressors.isEmpty ? "" : table(regressors, style) + "\n") + ClassifierComparison.table(ranked, style)
            }
        }
        let sorted = ModelComparison.sorted(rows)
        switch format {
        case .json: return try Format.json(sorted.map { styled($0, style) }) + "\n"
        case .csv: return csv(sorted, style)
        case .markdown: return markdown(sorted, style)
        case .table: return table(sorted, style)
        }
    }

    /// A row as JSON and the HTML report take it: metrics rounded to the precision asked, no timing without timings.
    static func styled(_ row: ModelEvaluation, _ style: ComparisonStyle) -> ModelEvaluation {
        var r = row
        if !style.timings { r.rowsPerSecond = nil }
        guard let digits = style.precision else { return r }
        if var c = r.classification {
            for key in [\ClassificationMetrics.accuracy, \.balancedAccuracy, \.macroF1, \.weightedF1, \.logLoss] {
                c[keyPath: key] = SignificantDigits.rounded(c[keyPath: key], digits: digits)
            }
            c.rocAUC = c.rocAUC.map { SignificantDigits.rounded($0, digits: digits) }
            r.classification = c
        }
        guard var m = r.metrics else { return r }
        for key in [\RegressionMetrics.mse, \.rmse, \.mae, \.r2, \.maxError] {
            m[keyPath: key] = SignificantDigits.rounded(m[keyPath: key], digits: digits)
        }
        r.metrics = m
        return r
    }

    static func csv(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let timing = style.timings ? ["rows_per_second"] : []
        var out =
            (["model", "kind", "target", "row_set", "rows", "parameters", "mse", "rmse", "mae", "r2", "max_error"] + timing + [
                "file_bytes", "error",
            ])
            .joined(separator: ",") + "\n"
        for r in rows {
            let metrics = metricValues(r).map { $0.map { SignificantDigits.text($0, digits: style.precision) } ?? "" }
            let rate = style.timings ? [r.rowsPerSecond.map { String(Int($0)) } ?? ""] : []
            let fields =
                [
                    r.name, r.kind ?? "", r.target ?? "", r.rowSet?.rawValue ?? "", r.rows.map(String.init) ?? "",
                    r.parameters.map(String.init) ?? "",
                ] + metrics + rate
                + [r.fileBytes.map(String.init) ?? "", r.error ?? ""]
            out += fields.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// Regressors and classifiers in one CSV: each row fills its task's metric columns.
    static func mixedCSV(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let timing = style.timings ? ["rows_per_second"] : []
        var out =
            (["model", "kind", "task", "target", "row_set", "rows", "parameters", "mse", "rmse", "mae", "r2", "max_error"]
            + ClassifierComparison.csvColumns
            + timing + ["file_bytes", "error"]).joined(separator: ",") + "\n"
        for r in rows {
            let text = { (v: Double?) in v.map { SignificantDigits.text($0, digits: style.precision) } ?? "" }
            let rate = style.timings ? [r.rowsPerSecond.map { String(Int($0)) } ?? ""] : []
            let task = r.task?.rawValue ?? (r.kind == nil ? "" : LearningTask.regression.rawValue)
            let fields =
                [
                    r.name, r.kind ?? "", task, r.target ?? "", r.rowSet?.rawValue ?? "", r.rows.map(String.init) ?? "",
                    r.parameters.map(String.init) ?? "",
                ]
                + metricValues(r).map(text) + ClassifierComparison.values(r).map(text) + rate
                + [r.fileBytes.map(String.init) ?? "", r.error ?? ""]
            out += fields.map { CSVField.quoted($0) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// MSE, RMSE, MAE, R², max error of a row (nil each when it failed).
    static func metricValues(_ r: ModelEvaluation) -> [Double?] {
        guard let m = r.metrics, r.error == nil else { return Array(repeating: nil, count: 5) }
        return [m.mse, m.rmse, m.mae, m.r2, m.maxError]
    }

    static func headers(_ style: ComparisonStyle) -> [String] {
        ["", "model", "kind", "target", "scored on", "rows", "params", "MSE", "RMSE", "MAE", "R²", "max err"]
            + (style.timings ? ["rows/s"] : []) + ["size"]
    }

    /// Table cells, the metric columns each in one style (see `ColumnNumbers`); a failed row ends with its error.
    static func cells(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> [[String]] {
        let digits = style.precision ?? ComparisonStyle.tableDigits
        let columns = (0..<5).map { k in ColumnNumbers.texts(rows.map { metricValues($0)[k] }, digits: digits) }
        return rows.enumerated().map { i, r in
            let lead = [ModelComparison.isBest(rows, i) ? "*" : "", r.name, r.kind ?? "-", r.target ?? "-"]
            guard r.metrics != nil, r.error == nil else { return lead + ["error: \(r.error ?? "no metrics")"] }
            let rate = style.timings ? [r.rowsPerSecond.map { Format.count(Int($0)) } ?? "-"] : []
            return lead + [r.rowSet?.rawValue ?? "-", r.rows.map(Format.count) ?? "-", r.parameters.map(Format.count) ?? "-"]
                + columns.map { $0[i] } + rate + [r.fileBytes.map(Format.bytes) ?? "-"]
        }
    }

    static func markdown(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let headers = headers(style)
        var out = "| " + headers.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { $0 < 5 ? "---" : "---:" }.joined(separator: "|") + "|\n"
        for var c in cells(rows, style) {
            if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
            out += "| " + c.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func table(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let headers = headers(style)
        var t = TextTable(headers, rightAligned: Set(5..<headers.count))
        for var c in cells(rows, style) {
            if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
            t.add(c)
        }
        return t.render()
    }
}

/// A column of numbers in one style: plain decimals when every value reads well so (magnitudes
/// from 0.001 to 99,999), else all in scientific notation; `digits` significant digits each.
enum ColumnNumbers {
    static func texts(_ values: [Double?], digits: Int) -> [String] {
        let scientific = values.contains { v in v.map { $0 != 0 && (abs($0) < 1e-3 || abs($0) >= 1e5 || !$0.isFinite) } ?? false }
        return values.map { v in v.map { scientific ? String(format: "%.\(digits - 1)e", $0) : plain($0, digits: digits) } ?? "-" }
    }

    /// `v` with `digits` significant digits, no exponent, trailing zeros dropped (`0.0065806`, `21.3`, `12346`).
    static func plain(_ v: Double, digits: Int) -> String {
        guard v != 0 else { return "0" }
        let decimals = max(0, digits - 1 - Int(floor(log10(abs(v)))))
        var s = String(format: "%.\(decimals)f", v)
        if s.contains(".") {
            while s.hasSuffix("0") { s.removeLast() }
            if s.hasSuffix(".") { s.removeLast() }
        }
        return s
    }
}

/// What a user must know about the rows each model was scored on (stderr).
enum RowSetWarnings {
    static func lines(_ rows: [ModelEvaluation]) -> [String] {
        var out: [String] = []
        for r in rows where r.error == nil && r.rowSet == .inSample {
            out.append(
                "\(r.name) is scored in-sample (on rows it was trained on), so not ranked against held-out scores"
                    + (r.rowSetNote.map { ": \($0)" } ?? ""))
        }
        let byTarget = Dictionary(grouping: rows.filter { $0.error == nil && ($0.rowSet?.isOutOfSample ?? false) }) { $0.target ?? "" }
        for (target, group) in byTarget.sorted(by: { $0.key < $1.key }) where Set(group.compactMap(\.rows)).count > 1 {
            out.append(
                "models predicting \(target) were scored on different rows (see the rows column): their ranking compares unlike sets")
        }
        if Set(rows.compactMap(\.target)).count > 1 {
            out.append("the models predict different targets; each target is ranked on its own")
        }
        return out
    }
}

/// The classifiers' part of a comparison: log-loss, accuracy, balanced accuracy, F1s and ROC AUC.
enum ClassifierComparison {
    static let csvColumns = ["log_loss", "accuracy", "balanced_accuracy", "macro_f1", "weighted_f1", "roc_auc"]

    static func values(_ r: ModelEvaluation) -> [Double?] {
        guard let m = r.classification, r.error == nil else { return Array(repeating: nil, count: 6) }
        return [m.logLoss, m.accuracy, m.balancedAccuracy, m.macroF1, m.weightedF1, m.rocAUC]
    }

    /// The regressors' leading columns (target, the rows scored and how many), then the classifier metrics.
    static func headers(_ style: ComparisonStyle) -> [String] {
        [
            "", "classifier", "kind", "target", "scored on", "rows", "params", "log-loss", "accuracy", "bal. acc.", "macro F1",
            "weighted F1", "ROC AUC",
        ]
            + (style.timings ? ["rows/s"] : []) + ["size"]
    }

    static func cells(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> [[String]] {
        let digits = style.precision ?? ComparisonStyle.tableDigits
        let columns = (0..<6).map { k in ColumnNumbers.texts(rows.map { values($0)[k] }, digits: digits) }
        return rows.enumerated().map { i, r in
            let lead = [ModelComparison.isBest(rows, i) ? "*" : "", r.name, r.kind ?? "-", r.target ?? "-"]
            guard r.isEvaluated else { return lead + ["error: \(r.error ?? "no metrics")"] }
            let rate = style.timings ? [r.rowsPerSecond.map { Format.count(Int($0)) } ?? "-"] : []
            return lead + [r.rowSet?.rawValue ?? "-", r.rows.map(Format.count) ?? "-", r.parameters.map(Format.count) ?? "-"]
                + columns.map { $0[i] } + rate + [r.fileBytes.map(Format.bytes) ?? "-"]
        }
    }

    static func table(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let headers = headers(style)
        var t = TextTable(headers, rightAligned: Set(5..<headers.count))
        for var c in cells(rows, style) {
            if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
            t.add(c)
        }
        return t.render()
    }

    static func markdown(_ rows: [ModelEvaluation], _ style: ComparisonStyle) -> String {
        let headers = headers(style)
        var out = "| " + headers.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n"
        out += "|" + headers.indices.map { $0 < 5 ? "---" : "---:" }.joined(separator: "|") + "|\n"
        for var c in cells(rows, style) {
            if c.count < headers.count { c += Array(repeating: "", count: headers.count - c.count) }
            out += "| " + c.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n"
        }
        return out
    }
}
