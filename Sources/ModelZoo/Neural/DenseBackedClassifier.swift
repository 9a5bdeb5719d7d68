/// A classifier whose learned state is one `DenseNetwork` with logit outputs (neuron, two-layer and
/// MLP classifiers): one output and a sigmoid for two classes, or one output per class and a softmax.
public protocol DenseBackedClassifier: Classifier {
    var network: DenseNetwork? { get }
}

extension DenseBackedClassifier {
    /// Keras-style rows; the output layer is named by its link (sigmoid or softmax).
    public var layers: [LayerSummary] {
        guard let network else { return [] }
        var rows = network.layerSummaries()
        let l = network.layerCount - 1
        rows[l] = LayerSummary(
            name: "dense_\(l) (\(network.sizes.last! == 1 ? "sigmoid" : "softmax"))",
            outputShape: rows[l].outputShape, parameters: rows[l].parameters)
        return rows
    }

    public func predictProbabilities(_ x: Matrix) throws -> Matrix {
        guard let network else { throw ZooError.notFitted(kind: Self.info.kind) }
        return network.probabilities(x)
    }

    /// Tensors `layer{l}.weight` [in, out] and `layer{l}.bias` [out] per dense layer (the last one's outputs are logits).
    public func exportState() throws -> [Tensor] {
        guard let network else { throw ZooError.notFitted(kind: Self.info.kind) }
        return network.tensors()
    }
}

/// Training a dense classifier: cross-entropy on class indices, class weights as row weights.
public enum DenseClassification {
    /// Output units for `classCount` classes: one (sigmoid) for two when `sigmoidForTwo`, else one per class (softmax).
    public static func outputs(classCount: Int, sigmoidForTwo: Bool) -> Int {
        classCount == 2 && sigmoidForTwo ? 1 : classCount
    }

    /// `config` turned to cross-entropy over `data`'s classes, weighted by `classWeight`.
    public static func configure(_ config: inout DenseTrainingConfig, _ data: TrainingData, classWeight: ClassWeight) {
        config.loss = .crossEntropy
        config.gradientScale = 1
        config.sampleWeights = classWeight.sampleWeights(data.y, classCount: data.classCount)
    }

    /// Checks that `data` is a classification problem (a classifier's `fit` receives class indices).
    public static func requireClasses(_ data: TrainingData, kind: String) throws {
        guard data.classCount >= 2 else {
            throw ZooError.invalidInput("\(kind) classifier: the training data has no classes (classCount \(data.classCount))")
        }
    }
}
