import LinearBaseline
import MLP
import ModelZoo
import RandomForest
import SingleNeuron
import TwoLayerNet

/// The built-in plugins: the one table from kind to plugin. `zoo plugins` and `zoo demo` use this order.
public let builtinPlugins = PluginRegistry([
    Plugin(LinearRegression.self),
    Plugin(SingleNeuron.self),
    Plugin(TwoLayerNet.self),
    Plugin(MLP.self),
    Plugin(RandomForest.self),
])
