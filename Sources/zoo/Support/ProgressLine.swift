import Foundation
import ModelZoo

/// Training progress on stderr: a live line redrawn in place on a terminal, one line per step
/// otherwise (logs), nothing when quiet.
final class ProgressLine: @unchecked Sendable {
    private let quiet: Bool
    private let live: Bool
    private let label: String
    /// Says what the losses are: "MSE, BMI units²" for a regressor, "log-loss" for a classifier.
    private let lossUnit: String
    private let start = Date()
    private var drawn = false
    private let lock = NSLock()

    private let logSteps: Bool

    /// `logSteps`: when stderr is not a terminal, print one line per step (else only live lines on a terminal).
    init(label: String, target: String, task: LearningTask, quiet: Bool, logSteps: Bool = true) {
        self.label = label
        // A classifier's epochs report its cross-entropy (the target has no units to square).
        lossUnit = task == .classification ? "log-loss" : "MSE, \(target) units²"
        self.quiet = quiet
        self.logSteps = logSteps
        live = Diagnostics.stderrIsTerminal
    }

    func update(_ p: TrainingProgress) {
        guard !quiet, p.totalSteps > 1, live || logSteps else { return }
        lock.lock(); defer { lock.unlock() }
        var s = "\(label) \(p.unit) \(p.step)/\(p.totalSteps)"
        if let l = p.loss { s += "  loss \(Format.metric(l))" }
        if let v = p.validationLoss { s += "  val_loss \(Format.metric(v))" }
        if p.loss != nil { s += " (\(lossUnit))" }
        if let r = p.rowsPerSecond, r.isFinite { s += "  \(Format.count(Int(r))) rows/s" }
        let elapsed = Date().timeIntervalSince(start)
        let eta = elapsed / Double(p.step) * Double(p.totalSteps - p.step)
        s += String(format: "  ETA %.1fs", eta)
        if live {
            Diagnostics.write("\r\u{1B}[2K" + s)
            drawn = true
        } else if p.unit.logsEveryStep || p.step == p.totalSteps || p.step % max(1, p.totalSteps / 10) == 0 {
            // Logs get a line per epoch; faster steps (trees) about ten lines in all.
            Diagnostics.write(s + "\n")
        }
    }

    /// Ends a live line so following output starts on a fresh line.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { Diagnostics.write("\r\u{1B}[2K"); drawn = false }
    }
}
