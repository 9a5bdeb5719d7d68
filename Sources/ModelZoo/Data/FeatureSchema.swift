/// One input column of a trained model, as recorded in the file and matched by name at prediction.
public struct FeatureColumn: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable { case numeric, categorical }

    public var name: String
    public var kind: Kind
    /// Numeric: the fitted scaler.
    public var scaler: AffineScaler?
    /// The value used for a missing field when trained with `--impute mean`: numeric columns the
    /// training mean (raw units); categorical columns the index of the most frequent level.
    public var impute: Double?
    /// Categorical: the levels seen in training, sorted. Two levels encode as one 0/1 column
    /// (`Sex=Male`, like scikit-learn's `drop='if_binary'`); more levels as one one-hot column each.
    public var levels: [String]?

    public init(name: String, kind: Kind, scaler: AffineScaler? = nil, impute: Double? = nil, levels: [String]? = nil) {
        self.name = name
        self.kind = kind
        self.scaler = scaler
        self.impute = impute
        self.levels = levels
    }

    /// True for a categorical column with exactly two levels, encoded as one indicator of the second.
    public var isBinary: Bool { kind == .categorical && levels?.count == 2 }

    /// How many encoded columns this column becomes.
    public var width: Int { kind == .numeric ? 1 : (isBinary ? 1 : (levels?.count ?? 0)) }

    /// The encoded column names (`Age`; `Sex=Male` for a binary column; `Color=red`, `Color=blue`, ... otherwise).
    public var encodedNames: [String] {
        if kind == .numeric { return [name] }
        let l = levels ?? []
        return isBinary ? ["\(name)=\(l[1])"] : l.map { "\(name)=\($0)" }
    }

    /// The index of `text` among the levels: exact match first, then a unique case-insensitive one
    /// (`male` for `Male`, reported by the caller as a warning). Nil when unknown.
    public func levelIndex(_ text: String) -> (index: Int, exact: Bool)? {
        guard let levels else { return nil }
        if let i = levels.firstIndex(of: text) { return (i, true) }
        let lower = text.lowercased()
        let matches = levels.indices.filter { levels[$0].lowercased() == lower }
        return matches.count == 1 ? (matches[0], false) : nil
    }
}

/// The features a model reads, in encoding order, and the target it predicts.
public struct FeatureSchema: Codable, Sendable, Equatable {
    public var columns: [FeatureColumn]
    public var target: String
    public var targetScaler: AffineScaler
    /// A classifier's class labels, in the order of its probability columns and class indices (see
    /// `ClassLabels.sorted`); nil for a regressor (and absent from its file).
    public var classes: [String]?

    public init(columns: [FeatureColumn], target: String, targetScaler: AffineScaler, classes: [String]? = nil) {
        self.columns = columns
        self.target = target
        self.targetScaler = targetScaler
        self.classes = classes
    }

    /// Classification when the schema has class labels.
    public var task: LearningTask { classes == nil ? .regression : .classification }
    /// The number of classes (0 for a regressor).
    public var classCount: Int { classes?.count ?? 0 }

    /// Most classes a classifier read from a file may have (each is an output column).
    public static let maxClasses = 10_000
    /// Most classes `zoo train` fits. A model file keeps each split's confusion matrix (classes²
    /// counts) in its header, capped at 1 MiB: with 10,000 allowed, a 1,500-class target trained
    /// every plugin and then failed to save (header 9.2 MB). 250 classes take about 0.3 MB.
    public static let maxTrainingClasses = 250

    public var encodedWidth: Int { columns.reduce(0) { $0 + $1.width } }
    public var encodedNames: [String] { columns.flatMap(\.encodedNames) }

    /// Checks a schema read from a file: names unique and non-empty, scalers usable, levels present.
    public func validate() throws {
        var seen = Set<String>()
        for c in columns {
            guard !c.name.isEmpty, seen.insert(c.name).inserted else {
                throw NNMError.invalidMetadata("feature name '\(c.name)' is empty or repeated")
            }
            switch c.kind {
            case .numeric:
                guard let s = c.scaler, s.isValid else {
                    throw NNMError.invalidMetadata("feature '\(c.name)' has no valid scaler")
                }
                if let m = c.impute, !m.isFinite { throw NNMError.invalidMetadata("feature '\(c.name)' imputes a non-finite value") }
            case .categorical:
                guard let l = c.levels, !l.isEmpty, Set(l).count == l.count else {
                    throw NNMError.invalidMetadata("categorical feature '\(c.name)' has no levels or repeats one")
                }
                // The writer sorts levels; unsorted ones would silently change which input is which.
                if let k = l.indices.dropFirst().first(where: { !(l[$0 - 1] < l[$0]) }).map({ $0 - 1 }) {
                    throw NNMError.invalidMetadata(
                        "categorical feature '\(c.name)': levels are not sorted (level \(k + 1) after level \(k))")
                }
                // The imputed level is an index: whole and in range, or the encoder's Int(...) would trap or truncate.
                if let m = c.impute, !(m.isFinite && m == m.rounded() && m >= 0 && m < Double(l.count)) {
                    throw NNMError.invalidMetadata("categorical feature '\(c.name)': impute \(m) is not a level index in 0..<\(l.count)")
                }
            }
        }
        guard !columns.isEmpty, encodedWidth <= 100_000 else {
            throw NNMError.invalidMetadata("feature count \(encodedWidth) out of range")
        }
        guard targetScaler.isValid else { throw NNMError.invalidMetadata("target scaler is not finite") }
        if let classes {
            guard classes.count >= 2, classes.count <= FeatureSchema.maxClasses, Set(classes).count == classes.count else {
                throw NNMError.invalidMetadata("classes must be 2 to \(FeatureSchema.maxClasses) distinct labels")
            }
            guard targetScaler == .identity else { throw NNMError.invalidMetadata("a classifier's target has no scaler") }
        }
    }
}
