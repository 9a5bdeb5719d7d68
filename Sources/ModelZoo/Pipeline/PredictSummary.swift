import Foundation

/// What a prediction run did.
public struct PredictSummary: Sendable {
    public var rows = 0
    public var skipped = 0
    public var firstSkippedLines: [Int] = []
    public var caseMismatches = CaseMismatches()
    /// Input bytes consumed (compressed bytes for gzip input).
    public var inputBytes = 0
}
