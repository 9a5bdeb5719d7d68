import Foundation

/// Options for `zoo predict`.
public struct PredictOptions: Sendable {
    public enum OnError: String, Sendable, CaseIterable {
        /// Stop at the first unusable row with an error naming its line (default).
        case fail
        /// Give that row an empty prediction, count it, and report the first few lines.
        case skip
    }

    public var csv = CSVOptions()
    public var onError: OnError = .fail
    /// Name of the added column; default `<target>_pred`.
    public var predictionName: String?
    /// Input columns to carry into the output, in this order; nil carries every column as it was.
    public var columns: [String]?
    /// Significant digits of the predictions; nil writes them exactly (shortest round-trip text).
    public var precision: Int?
    /// What each output line holds: the input row plus the prediction, or the prediction alone.
    public enum OutputMode: String, Sendable, CaseIterable { case row, prediction }
    public var output: OutputMode = .row
    /// Pipe-stage input (`--no-header`): no header line; these are the input's column names. Each line
    /// is one record and gets exactly one output line (no header either), whatever happens to it.
    public var headerlessColumns: [String]?
    /// Classifiers: also write one probability column per class (`<target>_proba_<class>`).
    public var probabilities = true
    /// Two-class classifiers: choose the second class when its probability reaches this (default: the larger).
    public var threshold: Double?
    /// Bytes read per chunk.
    public var chunkSize = 4 << 20
    /// Most bytes a chunk's encoded rows and predictions may take: a wide model (a one-hot of many
    /// levels, thousands of classes) gets fewer rows per chunk, so memory stays bounded by the chunk
    /// and this, not by rows × the model's width.
    public var maxMatrixBytes = 64 << 20
    /// Longest record buffered while looking for its end (an unclosed quote must not eat memory).
    public var maxRecordBytes = CSVTable.maxRecordBytes

    public init() {}
}
