#if canImport(Glibc)
    import Glibc
#endif

/// Activation functions of dense layers: a closed set, stored in files by name, never as code.
public enum Activation: String, Codable, Sendable, CaseIterable {
    case linear, relu, sigmoid, tanh

    @inlinable public func apply(_ z: Double) -> Double {
        switch self {
        case .linear: return z
        case .relu: return z > 0 ? z : 0
        case .sigmoid: return 1 / (1 + exp(-z))
        case .tanh: return Glibc.tanh(z)
        }
    }

    /// The derivative expressed through the activation's output `a` (all four allow it).
    @inlinable public func derivative(output a: Double) -> Double {
        switch self {
        case .linear: return 1
        case .relu: return a > 0 ? 1 : 0
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        }
    }
}

extension Activation: ParameterChoice {}
