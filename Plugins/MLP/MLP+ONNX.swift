import ModelZoo

/// Exported as Gemm + activation per layer (the default for dense-network plugins).
extension MLP: ONNXExportable {}
