/// A plugin whose learned state is one `DenseNetwork` (neuron, two-layer, MLP): parameter count,
/// summary, prediction and saving come from the network.
public protocol DenseBackedModel: Model {
    var network: DenseNetwork? { get }
}

extension DenseBackedModel {
    public var layers: [LayerSummary] { network?.layerSummaries() ?? [] }

    public func predict(_ x: Matrix) throws -> [Double] {
        guard let network else { throw ZooError.notFitted(kind: Self.info.kind) }
        return network.predict(x)
    }

    /// Tensors `layer{l}.weight` [in, out] and `layer{l}.bias` [out] per dense layer.
    public func exportState() throws -> [Tensor] {
        guard let network else { throw ZooError.notFitted(kind: Self.info.kind) }
        return network.tensors()
    }

    /// Parameters five times over (weights, gradient, two optimizer moments, best weights) and a
    /// batch's activations and deltas per layer, for the layer sizes `sizes`.
    public static func denseFitBytes(sizes: [Int], batch: Int) -> Int {
        let parameters = zip(sizes, sizes.dropFirst()).reduce(0) { $0 &+ MemoryBudget.product($1.0 + 1, $1.1) }
        return MemoryBudget.product(parameters, 5, 8) &+ MemoryBudget.product(sizes.reduce(0, &+), batch, 3, 8)
    }
}
