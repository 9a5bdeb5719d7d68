/// A model whose prediction is `intercept + Σ coefficients[i] · x[i]` over the encoded, scaled
/// features (in scaled target units): what `zoo inspect` needs to show its weights.
public protocol LinearPredictor {
    var coefficients: [Double] { get }
    var intercept: Double { get }
}
