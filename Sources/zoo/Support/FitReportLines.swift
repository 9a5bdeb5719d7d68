import ModelZoo

extension TrainingRun {
    /// What fitting reported, one line each: where early stopping ended and which epoch's weights
    /// were restored, the out-of-bag R².
    static func fitLines(_ fit: FitReport) -> [String] {
        var lines: [String] = []
        if let e = fit.earlyStopping {
            lines.append(
                "early stopping: stopped at epoch \(e.stoppedEpoch) of \(e.epochs), "
                    + "restored the weights of epoch \(e.bestEpoch) (lowest validation loss)")
        }
        if let oob = fit.outOfBagR2 { lines.append("out-of-bag R²: \(Format.metric(oob))") }
        if let oob = fit.outOfBagAccuracy { lines.append("out-of-bag accuracy: \(Format.metric(oob))") }
        return lines
    }
}
