/// How the training data was shaped: what `zoo train` needs to reproduce the split and the scaling,
/// stored in META under `training`.
public struct TrainingRecord: Codable, Sendable, Equatable {
    public var seed: UInt64?
    public var testFraction: Double?
    public var scaler: AffineScaler.Kind?
    public var impute: ImputeStrategy?
    /// Wall time of `fit`, to the millisecond.
    public var fitSeconds: Double?
    /// How rows were dealt between training and test (absent in older files: random).
    public var split: SplitStrategy?
    /// The training data as read: content hash, row count, column names (absent in older files).
    public var data: DataFingerprint?
    /// Hashes (16 hex digits) of up to 64 training rows' bytes, evenly spaced: finds training rows in another file.
    public var rowProbe: [String]?
    /// The command line of the run (`zoo train linear --data ...`), when it came from one.
    public var command: [String]?
    /// Classification: whether the test split was stratified by class (absent for regression).
    public var stratified: Bool?

    enum CodingKeys: String, CodingKey {
        case seed, scaler, impute, split, data, command, stratified
        case rowProbe = "row_probe"
        case testFraction = "test_fraction", fitSeconds = "fit_seconds"
    }

    public init(
        seed: UInt64? = nil, testFraction: Double? = nil, scaler: AffineScaler.Kind? = nil, impute: ImputeStrategy? = nil,
        fitSeconds: Double? = nil, split: SplitStrategy? = nil, data: DataFingerprint? = nil, command: [String]? = nil
    ) {
        self.seed = seed
        self.testFraction = testFraction
        self.scaler = scaler
        self.impute = impute
        self.fitSeconds = fitSeconds
        self.split = split
        self.data = data
        self.command = command
    }

    /// The record of a run with `options` whose fit took `seconds`.
    public init(
        _ options: DataOptions, fitSeconds seconds: Double, data: DataFingerprint? = nil, rowProbe: [UInt64] = [],
        stratified: Bool? = nil
    ) {
        self.init(
            seed: options.seed, testFraction: options.testFraction, scaler: options.scaler, impute: options.impute,
            fitSeconds: (seconds * 1e6).rounded() / 1e6, split: options.split, data: data, command: options.commandLine)
        self.rowProbe = rowProbe.isEmpty ? nil : rowProbe.map { String($0, radix: 16).leftPadded(to: 16) }
        self.stratified = stratified
    }

    /// The probe's row hashes (malformed entries skipped).
    public var rowProbeHashes: [UInt64] { (rowProbe ?? []).compactMap { UInt64($0, radix: 16) } }

    /// The strategy in effect (older files: random).
    public var splitStrategy: SplitStrategy { split ?? .random }

    /// `key=value` pairs for `zoo inspect`, keys sorted as in the file.
    public var summary: String {
        var parts: [String] = []
        if let fitSeconds { parts.append("fit_seconds=\(fitSeconds)") }
        if let impute { parts.append("impute=\(impute.rawValue)") }
        if let scaler { parts.append("scaler=\(scaler.rawValue)") }
        if let seed { parts.append("seed=\(seed)") }
        if let stratified { parts.append("stratified=\(stratified)") }
        if let testFraction { parts.append("test_fraction=\(testFraction)") }
        if let split { parts.append("split=\(split.description)") }
        return parts.joined(separator: " ")
    }
}
