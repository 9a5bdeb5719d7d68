import ModelZoo

/// Exported as Gemm + Sigmoid (the default for dense-network plugins).
extension SingleNeuron: ONNXExportable {}

/// Exported as Gemm, then Sigmoid (two classes, one unit) or Softmax (the default for dense classifiers).
extension NeuronClassifier: ONNXExportable {}
