import Foundation

/// A self-contained HTML comparison report: inline CSS and SVG, no scripts, nothing fetched.
public enum HTMLReport {
    static let style = """
        body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1320px}
        h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
        table{border-collapse:collapse;font-size:13px}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right}
        th:nth-child(-n+3),td:nth-child(-n+3){text-align:left}tr.best td{font-weight:600;background:#eef7ee}
        td.error{color:#a00;text-align:left}
        .charts{display:flex;flex-wrap:wrap;gap:12px}
        .chart{background:#fff;border:1px solid #e4e4e4}
        .chart text{font-size:11px;fill:#333}.chart .title{font-size:13px;font-weight:600}
        .axis{stroke:#444;stroke-width:1}.tick{stroke:#444}.grid{stroke:#eee}
        .points circle{fill:#2b6cb0;fill-opacity:.35}.identity{stroke:#c53030;stroke-width:1.2;stroke-dasharray:4 3}
        .bars rect,.bar{fill:#4a7fb5}.bar.best{fill:#2f855a}
        .series{stroke-width:1.8}.series.s0{stroke:#2b6cb0}.series.s1{stroke:#dd6b20}.legend.s0{fill:#2b6cb0}.legend.s1{fill:#dd6b20}
        .note{color:#666;font-size:13px}
        """

    /// The report for `rows` (already evaluated; charts need `actual`/`predicted`).
    public static func render(rows all: [ModelEvaluation], dataDescription: String, unit: String) -> String {
        let classifiers = all.filter { $0.task == .classification }
        let rows = all.filter { $0.task != .classification }
        let sorted = ModelComparison.sorted(rows)
        var h =
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>ModelZoo comparison</title><style>\(style)\(classifiers.isEmpty ? "" : classifierStyle)</style></head><body>"
        h +=
            "<h1>ModelZoo comparison</h1><p class=\"note\">\(SVGChart.esc(dataDescription)) · written by \(ModelZooVersion.writer) at \(ModelMetadata.now())</p>"
        if rows.isEmpty { return h + classifierSection(classifiers) + "</body></html>\n" }
        h +=
            "<table id=\"comparison\"><thead><tr><th></th><th>model</th><th>kind</th><th>target</th><th>scored on</th><th>rows</th><th>params</th><th>MSE</th><th>RMSE</th><th>MAE</th><th>R²</th><th>max error</th><th>rows/s</th><th>file size</th></tr></thead><tbody>"
        for (i, r) in sorted.enumerated() {
            let best = ModelComparison.isBest(sorted, i)
            h +=
                "<tr\(best ? " class=\"best\"" : "")><td>\(best ? "★" : "")</td><td>\(SVGChart.esc(r.name))</td><td>\(SVGChart.esc(r.kind ?? "-"))</td><td>\(SVGChart.esc(r.target ?? "-"))</td>"
            if let e = r.error {
                h += "<td class=\"error\" colspan=\"10\">\(SVGChart.esc(e))</td>"
            } else if let m = r.metrics {
                h += "<td>\(SVGChart.esc(r.rowSet?.rawValue ?? "-"))</td><td>\(r.rows.map(NumberText.grouped) ?? "-")</td>"
                h +=
                    "<td>\(r.parameters.map(NumberText.grouped) ?? "-")</td><td>\(NumberText.metric(m.mse))</td><td>\(NumberText.metric(m.rmse))</td><td>\(NumberText.metric(m.mae))</td><td>\(String(format: "%.5f", m.r2))</td><td>\(NumberText.metric(m.maxError))</td>"
                h +=
                    "<td>\(r.rowsPerSecond.map { NumberText.grouped(Int($0)) } ?? "-")</td><td>\(r.fileBytes.map(NumberText.bytes) ?? "-")</td>"
            }
            h += "</tr>"
        }
        h += "</tbody></table>"
        let inSample = sorted.filter { $0.error == nil && $0.rowSet == .inSample }.map(\.name)
        if !inSample.isEmpty {
            h +=
                "<p class=\"note\">In-sample (scored on rows the model was trained on, not ranked): \(SVGChart.esc(inSample.joined(separator: ", ")))</p>"
        }
        let ok = sorted.filter { $0.metrics != nil && $0.error == nil }
        h += "<div class=\"charts\">"
        for target in Array(Set(ok.compactMap(\.target))).sorted() {
            let ranked = ok.filter { $0.target == target && ($0.rowSet?.isOutOfSample ?? true) }
            guard !ranked.isEmpty else { continue }
            h += SVGChart.bars(
                title: "RMSE per model, out-of-sample rows (\(target))", xLabel: "RMSE (\(target))",
                items: ranked.map { ($0.name, $0.metrics!.rmse) }, highlightFirst: true)
        }
        h += "</div>"
        for r in ok {
            let scored = r.rowSet.map { " · \($0.rawValue), \(NumberText.grouped(r.rows ?? 0)) rows" } ?? ""
            h +=
                "<h2 id=\"model-\(SVGChart.esc(r.name))\">\(SVGChart.esc(r.name)) — \(SVGChart.esc(r.kind ?? ""))\(SVGChart.esc(scored))</h2><div class=\"charts\">"
            if !r.actual.isEmpty {
                h += SVGChart.scatter(title: "Predicted vs actual", unit: r.target ?? unit, actual: r.actual, predicted: r.predicted)
                h += SVGChart.histogram(
                    title: "Residuals (predicted − actual)", xLabel: "residual (\(r.target ?? unit))",
                    values: zip(r.predicted, r.actual).map { $0 - $1 })
            }
            if let hist = r.fit.history, !hist.loss.isEmpty {
                var series = [(name: "training loss", values: hist.loss)]
                if !hist.validationLoss.isEmpty { series.append((name: "validation loss", values: hist.validationLoss)) }
                h += SVGChart.lines(
                    title: "Loss per epoch (MSE in scaled target units)" + earlyStoppingNote(r.fit),
                    yLabel: "loss (log scale)", series: series)
            }
            if let imp = r.fit.featureImportances, imp.count == r.featureNames.count {
                let items = zip(r.featureNames, imp).map { (label: $0, value: $1) }.sorted { $0.value > $1.value }
                h += SVGChart.bars(title: "Feature importances (impurity)", xLabel: "share of impurity decrease", items: items)
            }
            if let search = r.search, !search.parameters.isEmpty {
                h += SearchChart.charts(search, unit: r.target ?? unit)
            }
            h += "</div>"
            if let search = r.search { h += searchNote(search) }
        }
        if !classifiers.isEmpty { h += classifierSection(classifiers) }
        h += "</body></html>\n"
        return h
    }

    /// One line saying how the model was chosen.
    static func searchNote(_ s: SearchRecord) -> String {
        var t = "Chosen by \(s.method) search: \(s.candidates) candidates × \(s.folds) folds, scoring \(s.scoring)"
        if let best = s.leaderboard.first {
            t +=
                "; best \(best.params.description.isEmpty ? "(defaults)" : best.params.description), mean \(s.scoring) "
                + "\(NumberText.metric(best.meanScore)) ± \(NumberText.metric(best.stdScore))"
        }
        return "<p class=\"note\">\(SVGChart.esc(t))</p>"
    }

    /// ": stopped at epoch 37, weights of epoch 27 restored" when early stopping ended training.
    static func earlyStoppingNote(_ fit: FitReport) -> String {
        guard let e = fit.earlyStopping else { return "" }
        return ": stopped at epoch \(e.stoppedEpoch) of \(e.epochs), weights of epoch \(e.bestEpoch) restored"
    }
}
