import ModelZoo

/// Exported as Gemm + Sigmoid (the default for dense-network plugins).
extension SingleNeuron: ONNXExportable {}
