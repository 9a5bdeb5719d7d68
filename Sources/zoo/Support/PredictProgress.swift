import Foundation
import ModelZoo

/// `zoo predict`'s progress line on a terminal: rows, MB/s, ETA from the input size.
final class PredictProgress: @unchecked Sendable {
    private let total: Int?
    private let enabled: Bool
    private let start = Date()
    private var drawn = false
    private var lastDraw = 0.0
    /// Rows written to the output so far (the predictor reports after each chunk it wrote).
    private(set) var rowsWritten = 0

    init(total: Int?, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ s: PredictSummary) {
        rowsWritten = s.rows
        guard enabled else { return }
        let elapsed = Date().timeIntervalSince(start)
        // Small inputs finish before a line is worth drawing; after that, ten redraws a second at most.
        guard elapsed > 0.5, elapsed - lastDraw >= 0.1 else { return }
        lastDraw = elapsed
        let mbps = Double(s.inputBytes) / 1e6 / elapsed
        var line = "\(Format.count(s.rows)) rows  \(String(format: "%.0f", mbps)) MB/s"
        if let total, total > 0 {
            let frac = min(1, Double(s.inputBytes) / Double(total))
            line += String(format: "  %.0f%%  ETA %.0fs", frac * 100, frac > 0 ? elapsed / frac - elapsed : 0)
        }
        Diagnostics.write("\r\u{1B}[2K" + line)
        drawn = true
    }

    func finish() {
        if drawn { Diagnostics.write("\r\u{1B}[2K"); drawn = false }
    }
}
