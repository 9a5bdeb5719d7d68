/// A dense row-major matrix of doubles in one contiguous buffer.
///
/// Batches of rows go to `fit` and `predict` as a `Matrix`, never as `[[Double]]`:
/// row `r`, column `c` is `values[r * cols + c]`.
public struct Matrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    public var values: [Double]

    public init(rows: Int, cols: Int, values: [Double]) {
        precondition(values.count == rows * cols, "Matrix: \(values.count) values for \(rows)×\(cols)")
        self.rows = rows
        self.cols = cols
        self.values = values
    }

    public init(rows: Int, cols: Int, repeating v: Double = 0) {
        self.init(rows: rows, cols: cols, values: [Double](repeating: v, count: rows * cols))
    }

    @inlinable public subscript(r: Int, c: Int) -> Double {
        get { values[r * cols + c] }
        set { values[r * cols + c] = newValue }
    }

}
