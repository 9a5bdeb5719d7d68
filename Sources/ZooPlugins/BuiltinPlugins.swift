import LinearBaseline
import MLP
import ModelZoo
import RandomForest
import SingleNeuron
import TwoLayerNet

/// The built-in plugins: the one table from kind to plugin. `zoo plugins` and `zoo demo` use this order.
public let builtinPlugins = PluginRegistry([
    Plugin(LinearRegression.self, classifier: LogisticRegression.self),
    Plugin(SingleNeuron.self, classifier: NeuronClassifier.self),
    Plugin(TwoLayerNet.self, classifier: TwoLayerClassifier.self),
    Plugin(MLP.self, classifier: MLPClassifier.self),
    Plugin(RandomForest.self, classifier: RandomForestClassifier.self),
])
