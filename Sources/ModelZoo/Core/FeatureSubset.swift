/// How many features a tree tries at each split, with scikit-learn's meanings of `max_features`:
/// an integer is a count, a float in (0, 1] a fraction, `sqrt` and `log2` functions of the feature
/// count, `all` (or none, or 1.0) every feature.
public enum FeatureSubset: Sendable, Equatable {
    case all
    case count(Int)
    /// A fraction in (0, 1); 1.0 is stored as `.all`.
    case fraction(Double)
    case sqrt
    case log2

    /// Features to try per split out of `p` (at least 1). A count above `p` is the caller's error to report.
    public func resolve(features p: Int) -> Int {
        switch self {
        case .all: return p
        case .count(let k): return min(k, p)
        case .fraction(let f): return max(1, Int((f * Double(p)).rounded(.down)))
        case .sqrt: return max(1, Int(Double(p).squareRoot().rounded(.down)))
        case .log2: return max(1, Int(Foundation.log2(Double(max(p, 1))).rounded(.down)))
        }
    }
}

import Foundation

extension FeatureSubset: HyperparameterValue {
    /// In a file: null (all), an integer (count), a non-integral number (fraction), or "sqrt" / "log2".
    public init?(json: JSONValue) {
        switch json {
        case .null: self = .all
        case .string("all"): self = .all
        case .string("sqrt"): self = .sqrt
        case .string("log2"): self = .log2
        case .int(let k) where k >= 1: self = .count(k)
        case .double(let f) where f > 0 && f < 1: self = .fraction(f)
        case .double(1): self = .all
        default: return nil
        }
    }

    public var json: JSONValue {
        switch self {
        case .all: return .null
        case .count(let k): return .int(k)
        case .fraction(let f): return .double(f)
        case .sqrt: return .string("sqrt")
        case .log2: return .string("log2")
        }
    }
}
