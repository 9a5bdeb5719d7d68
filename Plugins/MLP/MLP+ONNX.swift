import ModelZoo

/// Exported as Gemm + activation per layer (the default for dense-network plugins).
extension MLP: ONNXExportable {}

/// Exported as Gemm + activation per hidden layer, Gemm, then Softmax (the default for dense classifiers).
extension MLPClassifier: ONNXExportable {}
