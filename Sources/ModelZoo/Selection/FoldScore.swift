/// Which fit a fold score belongs to: halving iteration, candidate index, fold.
public struct FoldKey: Sendable, Hashable, Codable {
    public var iteration: Int
    public var candidate: Int
    public var fold: Int

    public init(iteration: Int, candidate: Int, fold: Int) {
        self.iteration = iteration
        self.candidate = candidate
        self.fold = fold
    }
}

/// One fit on a fold's training rows, scored on its validation rows (target units).
public struct FoldScore: Sendable, Codable, Equatable {
    public var iteration: Int
    public var candidate: Int
    public var fold: Int
    /// Rows (or trees, epochs) the fit was given: halving's resource.
    public var resources: Int
    public var params: String
    public var rmse: Double?
    public var mae: Double?
    public var r2: Double?
    /// Classifiers: the fold's log-loss, accuracy, balanced accuracy and macro F1 (nil for regressors).
    public var logLoss: Double?
    public var accuracy: Double?
    public var balancedAccuracy: Double?
    public var macroF1: Double?
    /// The scorer's value (in its own units, e.g. RMSE).
    public var score: Double?
    public var fitSeconds: Double
    public var scoreSeconds: Double
    public var error: String?

    enum CodingKeys: String, CodingKey {
        case iteration = "iter", candidate, fold, resources = "n_resources", params, rmse, mae, r2, score, error
        case logLoss = "log_loss", accuracy, balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1"
        case fitSeconds = "fit_time", scoreSeconds = "score_time"
    }

    public var key: FoldKey { FoldKey(iteration: iteration, candidate: candidate, fold: fold) }
}
