import Foundation

extension SVGChart {
    /// Curves in the unit square (ROC, precision-recall, calibration), one per named series, with an
    /// optional dashed diagonal (chance for ROC, perfect calibration); at most 400 points a series.
    public static func curves(
        title: String, xLabel: String, yLabel: String, series: [(name: String, points: [ClassificationCurves.Point])],
        diagonal: Bool, markers: Bool = false
    ) -> String {
        let f = Frame(x0: 0, x1: 1, y0: 0, y1: 1.02)
        let t = [0, 0.25, 0.5, 0.75, 1.0]
        var s = open(title, xLabel, yLabel, f, xTicks: t, yTicks: t)
        if diagonal {
            s += "<line class=\"identity\" x1=\"\(f.px(0))\" y1=\"\(f.py(0))\" x2=\"\(f.px(1))\" y2=\"\(f.py(1))\"/>"
        }
        for (k, ser) in series.enumerated() where !ser.points.isEmpty {
            let stride = max(1, ser.points.count / 400)
            var pts: [ClassificationCurves.Point] = []
            var i = 0
            while i < ser.points.count { pts.append(ser.points[i]); i += stride }
            if pts.last != ser.points.last { pts.append(ser.points.last!) }
            let text = pts.map { "\(String(format: "%.1f", f.px($0.x))),\(String(format: "%.1f", f.py($0.y)))" }
            s += "<polyline class=\"series c\(k % 8)\" fill=\"none\" points=\"\(text.joined(separator: " "))\"/>"
            if markers {
                for p in pts {
                    s +=
                        "<circle class=\"dot c\(k % 8)\" cx=\"\(String(format: "%.1f", f.px(p.x)))\" cy=\"\(String(format: "%.1f", f.py(p.y)))\" r=\"2.5\"/>"
                }
            }
            s +=
                "<text class=\"legend c\(k % 8)\" x=\"\(width - right - 4)\" y=\"\(top + 14 + Double(k) * 14)\" text-anchor=\"end\">\(esc(ser.name))</text>"
        }
        return s + "</svg>"
    }

    /// A confusion matrix as a heatmap: rows true class, columns predicted, each cell shaded by its
    /// share of its row (recall on the diagonal) and labelled with its count.
    public static func heatmap(title: String, labels: [String], counts: [[Int]]) -> String {
        let k = labels.count
        let labelW = min(110.0, 14 + Double(labels.map(\.count).max() ?? 4) * 6.5)
        let cell = max(18.0, min(56.0, (width - labelW - right) / Double(max(k, 1))))
        let w = labelW + cell * Double(k) + right, h = top + 18 + cell * Double(k) + 30
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(title))\">"
        s += "<title>\(esc(title))</title><text class=\"title\" x=\"\(w / 2)\" y=\"20\" text-anchor=\"middle\">\(esc(title))</text>"
        let y0 = top + 18
        for (j, l) in labels.enumerated() {
            s +=
                "<text class=\"ticklabel\" x=\"\(labelW + (Double(j) + 0.5) * cell)\" y=\"\(y0 - 4)\" text-anchor=\"middle\">\(esc(String(l.prefix(Int(cell / 6)))))</text>"
        }
        for i in 0..<k {
            let total = Double(max(1, counts[i].reduce(0, +)))
            s +=
                "<text class=\"ticklabel\" x=\"\(labelW - 6)\" y=\"\(y0 + (Double(i) + 0.6) * cell)\" text-anchor=\"end\">\(esc(labels[i]))</text>"
            for j in 0..<k {
                let share = Double(counts[i][j]) / total
                let x = labelW + Double(j) * cell, y = y0 + Double(i) * cell
                let light = Int(255 - 200 * share)
                s +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 1)\" height=\"\(cell - 1)\" fill=\"rgb(\(light),\(light + (255 - light) / 3),255)\"><title>true \(esc(labels[i])), predicted \(esc(labels[j])): \(counts[i][j]) (\(String(format: "%.1f", share * 100))% of the row)</title></rect>"
                s +=
                    "<text x=\"\(x + cell / 2)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\"\(share > 0.55 ? " fill=\"#fff\"" : "")>\(counts[i][j])</text>"
            }
        }
        s +=
            "<text class=\"axislabel\" x=\"\(labelW + cell * Double(k) / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\">predicted class (rows: true class)</text>"
        return s + "</svg>"
    }
}

extension HTMLReport {
    static let classifierStyle = """
        .series.c0{stroke:#2b6cb0}.series.c1{stroke:#dd6b20}.series.c2{stroke:#2f855a}.series.c3{stroke:#9b2c2c}
        .series.c4{stroke:#6b46c1}.series.c5{stroke:#b7791f}.series.c6{stroke:#2c7a7b}.series.c7{stroke:#4a5568}
        .legend.c0,.dot.c0{fill:#2b6cb0}.legend.c1,.dot.c1{fill:#dd6b20}.legend.c2,.dot.c2{fill:#2f855a}.legend.c3,.dot.c3{fill:#9b2c2c}
        .legend.c4,.dot.c4{fill:#6b46c1}.legend.c5,.dot.c5{fill:#b7791f}.legend.c6,.dot.c6{fill:#2c7a7b}.legend.c7,.dot.c7{fill:#4a5568}
        """

    /// The classifiers' section: a table ranked by log-loss, a log-loss bar chart, then per model the
    /// confusion-matrix heatmap and, per class (one-vs-rest; the positive class only for two), ROC,
    /// precision-recall and calibration curves.
    static func classifierSection(_ rows: [ModelEvaluation]) -> String {
        let sorted = ModelComparison.sortedClassifiers(rows)
        var h =
            "<h2 id=\"classifiers\">Classifiers</h2><table id=\"classifier-comparison\"><thead><tr><th></th><th>model</th><th>kind</th><th>target</th><th>scored on</th><th>rows</th><th>params</th><th>log-loss</th><th>accuracy</th><th>balanced accuracy</th><th>macro F1</th><th>weighted F1</th><th>ROC AUC</th><th>rows/s</th><th>file size</th></tr></thead><tbody>"
        for (i, r) in sorted.enumerated() {
            let best = ModelComparison.isBest(sorted, i)
            h +=
                "<tr\(best ? " class=\"best\"" : "")><td>\(best ? "★" : "")</td><td>\(SVGChart.esc(r.name))</td><td>\(SVGChart.esc(r.kind ?? "-"))</td><td>\(SVGChart.esc(r.target ?? "-"))</td>"
            if let e = r.error {
                h += "<td class=\"error\" colspan=\"11\">\(SVGChart.esc(e))</td>"
            } else if let m = r.classification {
                h += "<td>\(SVGChart.esc(r.rowSet?.rawValue ?? "-"))</td><td>\(r.rows.map(NumberText.grouped) ?? "-")</td>"
                h += "<td>\(r.parameters.map(NumberText.grouped) ?? "-")</td>"
                for v in [m.logLoss, m.accuracy, m.balancedAccuracy, m.macroF1, m.weightedF1] { h += "<td>\(NumberText.metric(v))</td>" }
                h += "<td>\(m.rocAUC.map(NumberText.metric) ?? "-")</td>"
                h +=
                    "<td>\(r.rowsPerSecond.map { NumberText.grouped(Int($0)) } ?? "-")</td><td>\(r.fileBytes.map(NumberText.bytes) ?? "-")</td>"
            }
            h += "</tr>"
        }
        h += "</tbody></table>"
        let inSample = sorted.filter { $0.isEvaluated && $0.rowSet == .inSample }.map(\.name)
        if !inSample.isEmpty {
            h +=
                "<p class=\"note\">In-sample (scored on rows the model was trained on, not ranked): \(SVGChart.esc(inSample.joined(separator: ", ")))</p>"
        }
        let ok = sorted.compactMap { r in r.classification.map { (r, $0) } }.filter { $0.0.isEvaluated }
        let ranked = ok.filter { $0.0.rowSet?.isOutOfSample ?? true }
        h +=
            "<div class=\"charts\">"
            + SVGChart.bars(
                title: "Log-loss per classifier, out-of-sample rows (lower is better)", xLabel: "log-loss",
                items: ranked.map { ($0.0.name, $0.1.logLoss) }, highlightFirst: !ranked.isEmpty) + "</div>"
        for (r, m) in ok {
            h +=
                "<h2 id=\"model-\(SVGChart.esc(r.name))\">\(SVGChart.esc(r.name)) — \(SVGChart.esc(r.kind ?? "")) classifier</h2><div class=\"charts\">"
            h += SVGChart.heatmap(title: "Confusion matrix", labels: m.perClass.map(\.label), counts: m.confusion)
            if let p = r.probabilities, p.cols == r.classes.count, r.actualClasses.count == p.rows {
                let shown = r.classes.count == 2 ? [1] : Array(0..<min(r.classes.count, 8))
                var roc: [(name: String, points: [ClassificationCurves.Point])] = []
                var pr = roc, cal = roc
                for c in shown {
                    let scores = (0..<p.rows).map { p[$0, c] }, positives = r.actualClasses.map { $0 == c }
                    guard positives.contains(true) else { continue }
                    let auc =
                        ClassificationCurves.auc(scores: scores, positives: positives).map { " (AUC \(String(format: "%.3f", $0)))" } ?? ""
                    roc.append((r.classes[c] + auc, ClassificationCurves.roc(scores: scores, positives: positives)))
                    pr.append((r.classes[c], ClassificationCurves.precisionRecall(scores: scores, positives: positives)))
                    cal.append((r.classes[c], ClassificationCurves.calibration(scores: scores, positives: positives)))
                }
                let which = r.classes.count == 2 ? "class \(r.classes[1])" : "one-vs-rest per class"
                h += SVGChart.curves(
                    title: "ROC (\(which))", xLabel: "false positive rate", yLabel: "true positive rate", series: roc, diagonal: true)
                h += SVGChart.curves(
                    title: "Precision-recall (\(which))", xLabel: "recall", yLabel: "precision", series: pr, diagonal: false)
                h += SVGChart.curves(
                    title: "Calibration (10 bins)", xLabel: "mean predicted probability", yLabel: "observed frequency",
                    series: cal, diagonal: true, markers: true)
            }
            if let hist = r.fit.history, !hist.loss.isEmpty {
                var series = [(name: "training loss", values: hist.loss)]
                if !hist.validationLoss.isEmpty { series.append((name: "validation loss", values: hist.validationLoss)) }
                h += SVGChart.lines(
                    title: "Loss per epoch (cross-entropy)" + earlyStoppingNote(r.fit), yLabel: "loss (log scale)", series: series)
            }
            if let imp = r.fit.featureImportances, imp.count == r.featureNames.count {
                let items = zip(r.featureNames, imp).map { (label: $0, value: $1) }.sorted { $0.value > $1.value }
                h += SVGChart.bars(title: "Feature importances (impurity)", xLabel: "share of impurity decrease", items: items)
            }
            if let search = r.search, !search.parameters.isEmpty { h += SearchChart.charts(search, unit: "") }
            h += "</div>"
            if let search = r.search { h += searchNote(search) }
        }
        return h
    }
}
