/// Per-epoch losses (mean squared error in the plugin's scaled target units), saved as tensors.
public struct TrainingHistory: Sendable, Equatable, Codable {
    public var loss: [Double]
    public var validationLoss: [Double]
    public init(loss: [Double] = [], validationLoss: [Double] = []) {
        self.loss = loss
        self.validationLoss = validationLoss
    }
}

/// Where early stopping ended training, as Keras's `EarlyStopping(restore_best_weights=True)` does.
public struct EarlyStopping: Sendable, Equatable, Codable {
    /// The last epoch trained (1-based), and the epochs asked for.
    public var stoppedEpoch: Int
    public var epochs: Int
    /// The epoch whose weights were restored: the best validation loss.
    public var bestEpoch: Int

    enum CodingKeys: String, CodingKey {
        case stoppedEpoch = "stopped_epoch", epochs, bestEpoch = "best_epoch"
    }

    public init(stoppedEpoch: Int, epochs: Int, bestEpoch: Int) {
        self.stoppedEpoch = stoppedEpoch
        self.epochs = epochs
        self.bestEpoch = bestEpoch
    }
}

/// What `fit` learned about the fit itself, beyond the weights: stored in the file (META `fit`,
/// history as tensors), printed after training, shown by `inspect` and the report.
public struct FitReport: Sendable, Equatable, Codable {
    public var history: TrainingHistory?
    /// Set when early stopping ended training before the last epoch.
    public var earlyStopping: EarlyStopping?
    /// The forest's out-of-bag R² (scaled target units; the forest does not scale its target).
    public var outOfBagR2: Double?
    /// A forest classifier's out-of-bag accuracy.
    public var outOfBagAccuracy: Double?
    /// Impurity-based importances, one per encoded feature in schema order, summing to 1.
    public var featureImportances: [Double]?

    /// The history travels as tensors, not in the JSON header.
    enum CodingKeys: String, CodingKey {
        case earlyStopping = "early_stopping", outOfBagR2 = "oob_r2", featureImportances = "feature_importances"
        case outOfBagAccuracy = "oob_accuracy"
    }

    public init(
        history: TrainingHistory? = nil, earlyStopping: EarlyStopping? = nil, outOfBagR2: Double? = nil,
        featureImportances: [Double]? = nil, outOfBagAccuracy: Double? = nil
    ) {
        self.outOfBagAccuracy = outOfBagAccuracy
        self.history = history
        self.earlyStopping = earlyStopping
        self.outOfBagR2 = outOfBagR2
        self.featureImportances = featureImportances
    }

    public var isEmpty: Bool { self == FitReport() }
}
