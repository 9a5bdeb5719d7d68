import ModelZoo

/// Exported as one Gemm (features · coefᵀ + intercept: the logits, one per stored coefficient row),
/// then σ for two classes (one row) or a softmax beyond, as `predictProbabilities`.
extension LogisticRegression: ONNXExportable {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        guard isFitted else { throw ZooError.notFitted(kind: Self.info.kind) }
        let w = graph.constant("coef", doubles: coefficients, dims: [Int64(units), Int64(featureCount)])
        let b = graph.constant("intercept", doubles: intercepts, dims: [Int64(units)])
        let logits = graph.add("Gemm", [features, w, b], [("transB", .int(1))])
        return .classification(probabilities: graph.probabilities(logits: logits, units: units), elementType: .double)
    }
}
