/// How the training data was shaped: what `zoo train` needs to reproduce the split and the scaling,
/// stored in META under `training`.
public struct TrainingRecord: Codable, Sendable, Equatable {
    public var seed: UInt64?
    public var testFraction: Double?
    public var scaler: AffineScaler.Kind?
    public var impute: ImputeStrategy?
    /// Wall time of `fit`, to the millisecond.
    public var fitSeconds: Double?
    /// Classification: whether the test split was stratified by class (absent for regression).
    public var stratified: Bool?

    enum CodingKeys: String, CodingKey {
        case seed, scaler, impute, stratified
        case testFraction = "test_fraction", fitSeconds = "fit_seconds"
    }

    public init(seed: UInt64? = nil, testFraction: Double? = nil, scaler: AffineScaler.Kind? = nil, impute: ImputeStrategy? = nil,
                fitSeconds: Double? = nil) {
        self.seed = seed
        self.testFraction = testFraction
        self.scaler = scaler
        self.impute = impute
        self.fitSeconds = fitSeconds
    }

    /// The record of a run with `options` whose fit took `seconds`.
    public init(_ options: DataOptions, fitSeconds seconds: Double, stratified: Bool? = nil) {
        self.init(seed: options.seed, testFraction: options.testFraction, scaler: options.scaler, impute: options.impute,
                  fitSeconds: (seconds * 1000).rounded() / 1000)
        self.stratified = stratified
    }

    /// `key=value` pairs for `zoo inspect`, keys sorted as in the file.
    public var summary: String {
        var parts: [String] = []
        if let fitSeconds { parts.append("fit_seconds=\(fitSeconds)") }
        if let impute { parts.append("impute=\(impute.rawValue)") }
        if let scaler { parts.append("scaler=\(scaler.rawValue)") }
        if let seed { parts.append("seed=\(seed)") }
        if let stratified { parts.append("stratified=\(stratified)") }
        if let testFraction { parts.append("test_fraction=\(testFraction)") }
        return parts.joined(separator: " ")
    }
}
