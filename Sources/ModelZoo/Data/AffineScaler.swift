/// A fitted per-column scaler: `scaled = (value − center) / scale`.
///
/// MinMax stores center = min and scale = max − min (output in [0, 1] on the training data);
/// standard stores center = mean and scale = population standard deviation. A constant column
/// (max = min, or std = 0) gets scale 1, so it maps to 0 rather than dividing by zero.
public struct AffineScaler: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case minmax, standard, none
    }

    public var kind: Kind
    public var center: Double
    public var scale: Double

    public init(kind: Kind, center: Double, scale: Double) {
        self.kind = kind
        self.center = center
        self.scale = scale
    }

    public static let identity = AffineScaler(kind: .none, center: 0, scale: 1)

    /// Fits `kind` on the finite values of `values` (NaN entries, i.e. missing, are skipped).
    public static func fit(_ kind: Kind, _ values: some Sequence<Double>) -> AffineScaler {
        switch kind {
        case .none:
            return .identity
        case .minmax:
            var lo = Double.infinity, hi = -Double.infinity
            for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
            return minmax(lo: lo, hi: hi)
        case .standard:
            var n = 0.0, mean = 0.0, m2 = 0.0
            for v in values where v.isFinite {  // Welford: stable in one pass
                n += 1
                let d = v - mean
                mean += d / n
                m2 += d * (v - mean)
            }
            guard n > 0 else { return .identity }
            let sd = (m2 / n).squareRoot()
            return AffineScaler(kind: .standard, center: mean, scale: sd > 0 && sd.isFinite ? sd : 1)
        }
    }

    /// The min-max scaler of finite values from `lo` to `hi` (identity when there were none: lo = +∞).
    public static func minmax(lo: Double, hi: Double) -> AffineScaler {
        guard lo.isFinite else { return .identity }
        let range = hi - lo
        return AffineScaler(kind: .minmax, center: lo, scale: range > 0 && range.isFinite ? range : 1)
    }

    @inlinable public func apply(_ v: Double) -> Double { (v - center) / scale }
    @inlinable public func invert(_ v: Double) -> Double { v * scale + center }

    /// True when center and scale are usable (finite, scale non-zero); checked on every file load.
    public var isValid: Bool { center.isFinite && scale.isFinite && scale != 0 }
}
