import Foundation

/// A search's mean cross-validated score against one searched hyperparameter: a point per
/// candidate with its ± sd bar; numeric values on a linear (or, spanning over 20×, log) axis,
/// others (lists, choices, none) as evenly spaced categories.
enum SearchChart {
    static func chart(_ record: SearchRecord, parameter: String, unit: String) -> String? {
        guard let k = record.leaderboard.first?.params.names.firstIndex(of: parameter) else { return nil }
        let last = record.leaderboard.map(\.iteration).max() ?? 0
        let rows = record.leaderboard.filter { $0.iteration == last }
        let texts = rows.map { $0.params.values[k] }
        let numbers = texts.compactMap(Double.init)
        let numeric = numbers.count == texts.count && Set(numbers).count > 1
        let log = numeric && (numbers.min()! > 0) && numbers.max()! / numbers.min()! > 20
        let levels = Array(Set(texts)).sorted { (Double($0) ?? .infinity, $0) < (Double($1) ?? .infinity, $1) }
        func x(_ t: String) -> Double {
            guard numeric else { return Double(levels.firstIndex(of: t)!) }
            return log ? log10(Double(t)!) : Double(t)!
        }
        let xs = texts.map(x)
        let ys = rows.map(\.meanScore), sds = rows.map(\.stdScore)
        let lo = zip(ys, sds).map { $0 - $1 }.min() ?? 0, hi = zip(ys, sds).map { $0 + $1 }.max() ?? 1
        let xlo = xs.min() ?? 0, xhi = xs.max() ?? 1
        let xpad = max((xhi - xlo) * 0.08, 0.5), ypad = max((hi - lo) * 0.08, 1e-9)
        let f = SVGChart.Frame(x0: xlo - xpad, x1: xhi + xpad, y0: lo - ypad, y1: hi + ypad)
        let title = "cv \(record.scoring) against \(parameter)"
        // A classification score is unitless (log-loss in nats, the others fractions), not in target units.
        let classifier = Scorer.classification.contains { $0.name == record.scoring }
        let yLabel = classifier ? "mean \(record.scoring) ± sd" : "mean \(record.scoring) ± sd (\(unit))"
        var s = SVGChart.open(
            title, parameter + (log ? " (log scale)" : ""), yLabel, f,
            xTicks: numeric && !log ? SVGChart.ticks(f.x0, f.x1) : [], yTicks: SVGChart.ticks(f.y0, f.y1))
        if !numeric || log {
            for t in levels {
                s +=
                    "<text class=\"ticklabel\" x=\"\(f.px(x(t)))\" y=\"\(SVGChart.height - SVGChart.bottom + 17)\" text-anchor=\"middle\">\(SVGChart.esc(t))</text>"
            }
        }
        s += "<g class=\"points\">"
        for i in rows.indices {
            let px = String(format: "%.1f", f.px(xs[i]))
            s += "<line class=\"tick\" x1=\"\(px)\" y1=\"\(f.py(ys[i] - sds[i]))\" x2=\"\(px)\" y2=\"\(f.py(ys[i] + sds[i]))\"/>"
            s +=
                "<circle cx=\"\(px)\" cy=\"\(String(format: "%.1f", f.py(ys[i])))\" r=\"3\"><title>\(SVGChart.esc(rows[i].params.description)): \(NumberText.metric(ys[i]))</title></circle>"
        }
        return s + "</g></svg>"
    }

    /// One chart per searched parameter.
    static func charts(_ record: SearchRecord, unit: String) -> String {
        record.parameters.compactMap { chart(record, parameter: $0, unit: unit) }.joined()
    }
}
