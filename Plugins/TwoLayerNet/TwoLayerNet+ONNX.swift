import ModelZoo

/// Exported as Gemm + Sigmoid per layer (the default for dense-network plugins).
extension TwoLayerNet: ONNXExportable {}
