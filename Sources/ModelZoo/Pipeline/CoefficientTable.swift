/// A linear model's weights per encoded feature: as fitted (on scaled inputs, in scaled target
/// units) and per unit of the raw column in target units, which the affine scalers allow exactly:
/// with x' = (x − c)/s and y = S·y' + C, the weight on x is S·β'/s and the intercept absorbs the centres.
public struct CoefficientTable: Sendable, Equatable, Encodable {
    public struct Row: Sendable, Equatable, Encodable {
        public var feature: String
        /// The fitted weight on the scaled input.
        public var scaled: Double
        /// The weight per unit of the raw column (0/1 indicators are not scaled), in target units.
        public var original: Double
    }

    public var rows: [Row]
    public var intercept: Row

    /// Nil unless the model predicts linearly from its encoded inputs.
    public init?(_ model: TrainedModel) {
        guard let linear = model.model as? any LinearPredictor else { return nil }
        let schema = model.schema
        let target = schema.targetScaler
        var rows: [Row] = [], shift = 0.0
        var k = 0
        for column in schema.columns {
            for name in column.encodedNames {
                let beta = linear.coefficients[k]
                let s = column.kind == .numeric ? (column.scaler ?? .identity) : .identity
                rows.append(Row(feature: name, scaled: beta, original: target.scale * beta / s.scale))
                shift += beta * s.center / s.scale
                k += 1
            }
        }
        self.rows = rows
        intercept = Row(
            feature: "(intercept)", scaled: linear.intercept,
            original: target.scale * (linear.intercept - shift) + target.center)
    }

    /// The prediction for one raw row (numeric values and 0/1 indicators in encoding order), from the
    /// original-unit weights: equal to the model's, up to rounding.
    public func predict(raw: [Double]) -> Double {
        zip(rows, raw).reduce(intercept.original) { $0 + $1.0.original * $1.1 }
    }
}
