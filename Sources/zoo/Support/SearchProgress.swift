import Foundation
import ModelZoo

/// A search's progress on stderr: fits done, the best complete candidate so far, the ETA; redrawn
/// in place on a terminal, about ten lines in a log, nothing when quiet.
final class SearchProgress: @unchecked Sendable {
    private let total: Int
    private let folds: Int
    private let scorer: Scorer
    private let quiet: Bool
    private let live = Diagnostics.stderrIsTerminal
    private let start = Date()
    private var done = 0
    private var perCandidate: [FoldKey: [Double]] = [:]
    private var best: (score: Double, params: String)?
    private var drawn = false

    private let label: String

    init(label: String = "tune", total: Int, already: Int, folds: Int, scorer: Scorer, quiet: Bool) {
        self.label = label
        self.total = total
        self.folds = folds
        self.scorer = scorer
        self.quiet = quiet
        done = already
    }

    /// Called serialised, once per completed fit.
    func update(_ s: FoldScore) {
        done += 1
        let key = FoldKey(iteration: s.iteration, candidate: s.candidate, fold: 0)
        perCandidate[key, default: []].append(s.score ?? .nan)
        if let scores = perCandidate[key], scores.count == folds {
            let mean = scores.reduce(0, +) / Double(folds)
            if mean.isFinite, best.map({ scorer.testScore(mean) > scorer.testScore($0.score) }) ?? true { best = (mean, s.params) }
        }
        guard !quiet, live || done == total || done % max(1, total / 10) == 0 else { return }
        let elapsed = Date().timeIntervalSince(start)
        var line = "\(label): \(done)/\(total) fits"
        if let best { line += ", best \(scorer.name) \(Format.metric(best.score)) (\(best.params.isEmpty ? "defaults" : best.params))" }
        line += String(format: ", ETA %.1fs", elapsed / Double(max(done, 1)) * Double(total - done))
        if live {
            Diagnostics.write("\r\u{1B}[2K" + line)
            drawn = true
        } else {
            Diagnostics.write(line + "\n")
        }
    }

    func finish() {
        if drawn { Diagnostics.write("\r\u{1B}[2K") }
    }
}
