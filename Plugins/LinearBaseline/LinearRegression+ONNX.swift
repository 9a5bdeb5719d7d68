import ModelZoo

/// Exported as one Gemm: features · coef + intercept (the default for linear predictors).
extension LinearRegression: ONNXExportable {}
