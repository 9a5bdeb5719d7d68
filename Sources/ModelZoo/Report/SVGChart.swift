import Foundation

/// Small self-contained SVG charts (no scripts, no external fonts): axes with ticks and labels,
/// scatter, histogram, lines and horizontal bars.
public enum SVGChart {
    public static let width = 400.0, height = 300.0
    static let left = 62.0, right = 16.0, top = 34.0, bottom = 48.0  // SearchChart draws in the same frame

    /// Escapes text for XML.
    public static func esc(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// About `count` round tick values covering lo...hi. Ticks are `k × step` for a bounded run of k,
    /// so the loop ends for any finite input (a step below half an ulp of the values cannot stall it);
    /// when round ticks cannot be told apart at that magnitude, the two ends are the ticks.
    public static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard lo.isFinite, hi.isFinite, count >= 1 else { return [] }
        if hi <= lo { return [lo] }
        let raw = hi / Double(count) - lo / Double(count)  // (hi − lo) / count without overflowing
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        let first = ceil(lo / step)
        guard raw > 0, step.isFinite, step > 0, first.isFinite,
            step > 4 * max(lo.magnitude.ulp, hi.magnitude.ulp)
        else { return [lo, hi] }
        var out: [Double] = []
        for k in 0...(3 * count + 2) {
            let t = (first + Double(k)) * step
            guard t <= hi + step * 1e-9, t.isFinite else { break }
            let v = abs(t) < step * 1e-9 ? 0 : t
            if out.last != v { out.append(v) }
        }
        return out
    }

    /// `v` clipped to `lo...hi` (NaN to `lo`): pixel positions stay inside the chart for any value.
    static func clip(_ v: Double, _ lo: Double, _ hi: Double) -> Double { v.isNaN ? lo : min(max(v, lo), hi) }

    static func label(_ v: Double) -> String {
        let a = abs(v)
        if a == 0 { return "0" }
        if a >= 1e4 || a < 1e-3 { return String(format: "%.1e", v) }
        return String(format: "%g", (v * 1e4).rounded() / 1e4)
    }

    struct Frame {
        var x0: Double, x1: Double, y0: Double, y1: Double
        var logY = false
        // Positions are clipped to a margin around the plot: an outlier or an overflowing span draws at
        // the edge instead of producing inf/NaN coordinates.
        func px(_ x: Double) -> Double {
            clip(left + (x / 2 - x0 / 2) / max(x1 / 2 - x0 / 2, 1e-300) * (width - left - right), -width, 2 * width)
        }
        func py(_ y: Double) -> Double {
            let (a, b, v) = logY ? (log10(y0), log10(y1), log10(max(y, 1e-300))) : (y0, y1, y)
            return clip(height - bottom - (v / 2 - a / 2) / max(b / 2 - a / 2, 1e-300) * (height - top - bottom), -height, 2 * height)
        }
    }

    static func open(_ title: String, _ xLabel: String, _ yLabel: String, _ f: Frame, xTicks: [Double], yTicks: [Double]) -> String {
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" role=\"img\" aria-label=\"\(esc(title))\">"
        s += "<title>\(esc(title))</title>"
        s += "<text class=\"title\" x=\"\(width / 2)\" y=\"20\" text-anchor=\"middle\">\(esc(title))</text>"
        let yb = height - bottom, xl = left, xr = width - right
        s +=
            "<line class=\"axis\" x1=\"\(xl)\" y1=\"\(yb)\" x2=\"\(xr)\" y2=\"\(yb)\"/><line class=\"axis\" x1=\"\(xl)\" y1=\"\(top)\" x2=\"\(xl)\" y2=\"\(yb)\"/>"
        for t in xTicks {
            let x = f.px(t)
            s +=
                "<line class=\"tick\" x1=\"\(x)\" y1=\"\(yb)\" x2=\"\(x)\" y2=\"\(yb + 5)\"/><text class=\"ticklabel\" x=\"\(x)\" y=\"\(yb + 17)\" text-anchor=\"middle\">\(label(t))</text>"
        }
        for t in yTicks {
            let y = f.py(t)
            s +=
                "<line class=\"grid\" x1=\"\(xl)\" y1=\"\(y)\" x2=\"\(xr)\" y2=\"\(y)\"/><text class=\"ticklabel\" x=\"\(xl - 6)\" y=\"\(y + 4)\" text-anchor=\"end\">\(label(t))</text>"
        }
        s += "<text class=\"axislabel\" x=\"\((xl + xr) / 2)\" y=\"\(height - 8)\" text-anchor=\"middle\">\(esc(xLabel))</text>"
        s +=
            "<text class=\"axislabel\" transform=\"translate(14 \((top + yb) / 2)) rotate(-90)\" text-anchor=\"middle\">\(esc(yLabel))</text>"
        return s
    }

    /// Predicted against actual with the y = x line; at most `maxPoints` points (an even sample).
    public static func scatter(title: String, unit: String, actual: [Double], predicted: [Double], maxPoints: Int = 1500) -> String {
        let finite = (actual + predicted).filter(\.isFinite)
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let pad = (hi / 2 - lo / 2) * 0.06 + 1e-9
        let f = Frame(x0: lo - pad, x1: hi + pad, y0: lo - pad, y1: hi + pad)
        let ticks = SVGChart.ticks(f.x0, f.x1)
        var s = open(title, "actual \(unit)", "predicted \(unit)", f, xTicks: ticks, yTicks: ticks)
        s += "<line class=\"identity\" x1=\"\(f.px(f.x0))\" y1=\"\(f.py(f.y0))\" x2=\"\(f.px(f.x1))\" y2=\"\(f.py(f.y1))\"/>"
        let stride = max(1, actual.count / maxPoints)
        s += "<g class=\"points\">"
        var i = 0
        while i < actual.count {
            s +=
                "<circle cx=\"\(String(format: "%.1f", f.px(actual[i])))\" cy=\"\(String(format: "%.1f", f.py(predicted[i])))\" r=\"1.6\"/>"
            i += stride
        }
        s += "</g></svg>"
        return s
    }

    /// Histogram of `values` in `bins` equal bins over the 0.5th–99.5th percentile range, so a few
    /// far outliers do not squash the rest into one bar; values outside land in the edge bins.
    public static func histogram(title: String, xLabel: String, values: [Double], bins: Int = 30) -> String {
        let sorted = values.filter { !$0.isNaN }.sorted()
        let lo =
            sorted.isEmpty ? -1 : clip(sorted[Int(Double(sorted.count - 1) * 0.005)], -.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        let hi =
            sorted.isEmpty ? 1 : clip(sorted[Int(Double(sorted.count - 1) * 0.995)], -.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        // The span may overflow (−1e308 … 1e308): then bin positions are computed on halves.
        let span = hi > lo ? (hi - lo).isFinite ? hi - lo : .greatestFiniteMagnitude : max(1, lo.magnitude.ulp)
        var counts = [Int](repeating: 0, count: bins)
        for v in sorted {
            // Clipped as a Double before any Int(...): outliers and ±inf land in the edge bins.
            let b = clip((v / 2 - lo / 2) / (span / 2) * Double(bins), 0, Double(bins - 1))
            counts[Int(b)] += 1
        }
        let maxCount = Double(counts.max() ?? 1)
        let f = Frame(x0: lo, x1: lo + span, y0: 0, y1: maxCount * 1.05)
        let dropped = values.count - sorted.count
        let range =
            (sorted.first.map { "; all within \(label($0)) … \(label(sorted.last!)), outer 1% in the edge bars" } ?? "")
            + (dropped > 0 ? "; \(dropped) NaN not shown" : "")
        var s = open(title, xLabel + range, "rows", f, xTicks: ticks(f.x0, f.x1), yTicks: ticks(0, f.y1))
        let w = span / Double(bins)
        s += "<g class=\"bars\">"
        for (k, c) in counts.enumerated() where c > 0 {
            let x0 = f.px(lo + Double(k) * w), x1 = f.px(lo + Double(k + 1) * w)
            s +=
                "<rect x=\"\(String(format: "%.1f", x0))\" y=\"\(String(format: "%.1f", f.py(Double(c))))\" width=\"\(String(format: "%.1f", max(0.5, x1 - x0 - 0.5)))\" height=\"\(String(format: "%.1f", f.py(0) - f.py(Double(c))))\"><title>\(c) rows</title></rect>"
        }
        s += "</g></svg>"
        return s
    }

    /// Lines over epochs (log-scale y), one per named series.
    public static func lines(title: String, yLabel: String, series: [(name: String, values: [Double])]) -> String {
        let all = series.flatMap(\.values).filter { $0 > 0 && $0.isFinite }
        let n = series.map(\.values.count).max() ?? 1
        let lo = all.min() ?? 1e-3, hi = all.max() ?? 1
        // Decades as integer exponents within what a Double holds (5e-324 and 1e308 included), at
        // most ~12 ticks: every value is drawn, clipped to the frame, and the loops are bounded.
        let e0 = max(-300, min(300, Int(floor(log10(lo))))), e1 = max(e0 + 1, min(300, Int(ceil(log10(hi)))))
        var f = Frame(x0: 1, x1: Double(max(n, 2)), y0: pow(10, Double(e0)), y1: pow(10, Double(e1)))
        f.logY = true
        let every = max(1, (e1 - e0 + 11) / 12)
        let yTicks = stride(from: e0, through: e1, by: every).map { pow(10, Double($0)) }
        var s = open(title, "epoch", yLabel, f, xTicks: ticks(1, Double(max(n, 2))), yTicks: yTicks)
        for (k, ser) in series.enumerated() where !ser.values.isEmpty {
            let pts = ser.values.enumerated().filter { $0.element > 0 && $0.element.isFinite }
                .map { "\(String(format: "%.1f", f.px(Double($0.offset + 1)))),\(String(format: "%.1f", f.py($0.element)))" }
            s += "<polyline class=\"series s\(k)\" fill=\"none\" points=\"\(pts.joined(separator: " "))\"/>"
            s +=
                "<text class=\"legend s\(k)\" x=\"\(width - right - 4)\" y=\"\(top + 14 + Double(k) * 15)\" text-anchor=\"end\">\(esc(ser.name))</text>"
        }
        s += "</svg>"
        return s
    }

    /// Horizontal bars with value labels, largest first as given.
    public static func bars(title: String, xLabel: String, items: [(label: String, value: Double)], highlightFirst: Bool = false) -> String
    {
        let h = max(height, top + bottom + Double(items.count) * 26)
        // Bars of finite non-negative values; others get no bar (their label still shows the value).
        let maxV = min(items.map(\.value).filter(\.isFinite).max() ?? 1, .greatestFiniteMagnitude / 2) * 1.15
        let barLeft = 150.0
        let scale = (width - barLeft - right) / max(maxV, 1e-300)
        var s =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(h))\" width=\"\(Int(width))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(esc(title))\">"
        s += "<title>\(esc(title))</title><text class=\"title\" x=\"\(width / 2)\" y=\"20\" text-anchor=\"middle\">\(esc(title))</text>"
        let yb = h - bottom
        s +=
            "<line class=\"axis\" x1=\"\(barLeft)\" y1=\"\(top)\" x2=\"\(barLeft)\" y2=\"\(yb)\"/><line class=\"axis\" x1=\"\(barLeft)\" y1=\"\(yb)\" x2=\"\(width - right)\" y2=\"\(yb)\"/>"
        for t in ticks(0, maxV, count: 4) {
            let x = barLeft + t * scale
            s +=
                "<line class=\"tick\" x1=\"\(x)\" y1=\"\(yb)\" x2=\"\(x)\" y2=\"\(yb + 5)\"/><text class=\"ticklabel\" x=\"\(x)\" y=\"\(yb + 17)\" text-anchor=\"middle\">\(label(t))</text>"
        }
        for (i, item) in items.enumerated() {
            let y = top + 6 + Double(i) * 26
            let w = clip(item.value * scale, 0, width - barLeft - right)
            s += "<text class=\"barlabel\" x=\"\(barLeft - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(esc(item.label))</text>"
            s +=
                "<rect class=\"bar\(highlightFirst && i == 0 ? " best" : "")\" x=\"\(barLeft)\" y=\"\(y)\" width=\"\(String(format: "%.1f", w))\" height=\"18\"/>"
            s += "<text class=\"barvalue\" x=\"\(barLeft + w + 4)\" y=\"\(y + 13)\">\(label(item.value))</text>"
        }
        s +=
            "<text class=\"axislabel\" x=\"\((barLeft + width - right) / 2)\" y=\"\(h - 8)\" text-anchor=\"middle\">\(esc(xLabel))</text></svg>"
        return s
    }
}
