/// Regression metrics in the target's own units (e.g. BMI points).
public struct RegressionMetrics: Codable, Sendable, Equatable {
    /// Rows evaluated.
    public var rows: Int
    public var mse: Double
    public var rmse: Double
    public var mae: Double
    /// Coefficient of determination, 1 − SS_res / SS_tot (scikit-learn's `r2_score`; 0 when the target is constant).
    public var r2: Double
    public var maxError: Double

    enum CodingKeys: String, CodingKey {
        case rows, mse, rmse, mae, r2
        case maxError = "max_error"
    }

    public init(rows: Int, mse: Double, rmse: Double, mae: Double, r2: Double, maxError: Double) {
        self.rows = rows
        self.mse = mse
        self.rmse = rmse
        self.mae = mae
        self.r2 = r2
        self.maxError = maxError
    }

    /// Metrics of `predicted` against `actual` (same length, at least one row).
    public init(actual: [Double], predicted: [Double]) {
        precondition(actual.count == predicted.count && !actual.isEmpty)
        let n = Double(actual.count)
        var mean = 0.0
        for a in actual { mean += a }
        mean /= n
        var sse = 0.0, sae = 0.0, sst = 0.0, maxe = 0.0
        for i in actual.indices {
            let e = predicted[i] - actual[i]
            sse += e * e
            sae += abs(e)
            maxe = max(maxe, abs(e))
            let d = actual[i] - mean
            sst += d * d
        }
        rows = actual.count
        mse = sse / n
        rmse = mse.squareRoot()
        mae = sae / n
        r2 = sst > 0 ? 1 - sse / sst : 0
        maxError = maxe
    }
}
