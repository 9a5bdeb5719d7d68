/// One row of a Keras-style model summary.
public struct LayerSummary: Sendable, Equatable, Codable {
    public var name: String
    public var outputShape: String
    public var parameters: Int

    public init(name: String, outputShape: String, parameters: Int) {
        self.name = name
        self.outputShape = outputShape
        self.parameters = parameters
    }
}
