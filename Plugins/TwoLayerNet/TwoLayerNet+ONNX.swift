import ModelZoo

/// Exported as Gemm + Sigmoid per layer (the default for dense-network plugins).
extension TwoLayerNet: ONNXExportable {}

/// Exported as Gemm + Sigmoid, Gemm, then Softmax (the default for dense classifiers).
extension TwoLayerClassifier: ONNXExportable {}
