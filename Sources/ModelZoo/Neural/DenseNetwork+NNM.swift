extension DenseNetwork {
    /// One tensor pair per layer: `layer{l}.weight` [inputs, units] and `layer{l}.bias` [units].
    public func tensors() -> [Tensor] {
        var out: [Tensor] = []
        for l in 0..<layerCount {
            let w = Array(parameters[weightOffsets[l]..<biasOffsets[l]])
            let b = Array(parameters[biasOffsets[l]..<(biasOffsets[l] + sizes[l + 1])])
            out.append(Tensor("layer\(l).weight", w, shape: [sizes[l], sizes[l + 1]]))
            out.append(Tensor("layer\(l).bias", b, shape: [sizes[l + 1]]))
        }
        return out
    }

    /// Reads the layers of a network whose sizes the hyperparameters and feature count determine;
    /// every tensor's dtype, shape and finiteness is checked.
    public static func load(from state: TensorBundle, sizes: [Int], activations: [Activation]) throws -> DenseNetwork {
        guard sizes.count >= 2, activations.count == sizes.count - 1, sizes.allSatisfy({ $0 > 0 && $0 <= 1 << 16 }) else {
            throw NNMError.invalidValue(tensor: "layer0.weight", reason: "layer sizes \(sizes) are not a valid network")
        }
        var p: [Double] = []
        p.reserveCapacity(parameterCount(sizes))
        for l in 0..<(sizes.count - 1) {
            p += try state.doubles("layer\(l).weight", shape: [sizes[l], sizes[l + 1]])
            p += try state.doubles("layer\(l).bias", shape: [sizes[l + 1]])
        }
        if state.contains("layer\(sizes.count - 1).weight") {
            throw NNMError.invalidValue(tensor: "layer\(sizes.count - 1).weight", reason: "more layers than the hyperparameters describe")
        }
        return DenseNetwork(sizes: sizes, activations: activations, parameters: p)
    }

    /// Keras-style summary rows, one per dense layer.
    public func layerSummaries() -> [LayerSummary] {
        (0..<layerCount).map { l in
            LayerSummary(
                name: "dense_\(l) (\(activations[l].rawValue))", outputShape: "(None, \(sizes[l + 1]))",
                parameters: sizes[l] * sizes[l + 1] + sizes[l + 1])
        }
    }
}
