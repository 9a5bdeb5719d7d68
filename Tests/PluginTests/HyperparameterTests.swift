import Testing
@testable import ModelZoo
@testable import MLP
@testable import RandomForest
@testable import SingleNeuron
@testable import TwoLayerNet
import ZooPlugins

@Suite struct HyperparameterTests {
    func forest(_ params: [String]) throws -> ForestHyperparameters { try ForestHyperparameters.parse(params, kind: "forest") }

    /// scikit-learn's meanings: `1` is one feature, `1.0` all of them; sqrt and log2 of the feature count.
    @Test func maxFeaturesReadsAsScikitLearn() throws {
        #expect(try forest(["max_features=1.0"]).maxFeatures == .all)
        #expect(try forest(["max_features=1"]).maxFeatures == .count(1))
        #expect(try forest(["max_features=0.5"]).maxFeatures == .fraction(0.5))
        #expect(try forest(["max_features=sqrt"]).maxFeatures == .sqrt)
        #expect(try forest(["max_features=LOG2"]).maxFeatures == .log2)
        #expect(try forest(["max_features=all"]).maxFeatures == .all)
        #expect(try forest(["max_features=none"]).maxFeatures == .all)
        #expect(FeatureSubset.sqrt.resolve(features: 10) == 3)
        #expect(FeatureSubset.log2.resolve(features: 10) == 3)
        #expect(FeatureSubset.fraction(0.5).resolve(features: 5) == 2)
        #expect(FeatureSubset.fraction(0.01).resolve(features: 5) == 1)
        #expect(FeatureSubset.all.resolve(features: 7) == 7)
        for bad in ["0", "1.5", "-0.2", "half", "nan"] {
            #expect(
                throws: ZooError.invalidParameter(
                    key: "max_features", value: bad,
                    expected: "a count ≥ 1, a fraction in (0, 1], sqrt, log2 or all")
            ) {
                try forest(["max_features=\(bad)"])
            }
        }
    }

    /// Every form survives the file: written as JSON, read back equal.
    @Test func maxFeaturesRoundTripsThroughTheFile() throws {
        for text in ["1", "3", "0.25", "1.0", "sqrt", "log2"] {
            let h = try forest(["max_features=\(text)"])
            let json = try JSONValue.from(h.json())
            #expect(try ForestHyperparameters.fromJSON(json, kind: "forest") == h, "\(text)")
        }
    }

    /// `max_features=1.0` on the bundled data is every feature: as good as the default, not a one-feature forest.
    @Test func maxFeaturesOnePointZeroIsTheDefaultForest() throws {
        let (data, options) = try Fixtures.bmi(rows: 600)
        let plugin = try builtinPlugins.plugin("forest")
        let all = try Trainer.train(plugin: plugin, parameters: ["trees=10", "max_features=1.0"], data: data, options: options)
        let dflt = try Trainer.train(plugin: plugin, parameters: ["trees=10"], data: data, options: options)
        #expect(try all.model.file().tensors == dflt.model.file().tensors)
        #expect(throws: ZooError.invalidParameter(key: "max_features", value: "9", expected: "at most 4, the encoded feature count")) {
            try Trainer.train(plugin: plugin, parameters: ["trees=2", "max_features=9"], data: data, options: options)
        }
    }

    @Test func scikitLearnNamesAreAliases() throws {
        #expect(
            try forest(["n_estimators=7", "min_samples_leaf=3", "random_state=9", "oob_score=true"])
                == forest(["trees=7", "min_samples_leaf=3", "seed=9", "oob=true"]))
        let mlp = try MLPHyperparameters.parse(
            [
                "hidden_layer_sizes=16,8", "alpha=0.01", "max_iter=5", "batch_size=64",
                "learning_rate_init=0.01", "solver=sgd",
            ], kind: "mlp")
        #expect(mlp.hidden == [16, 8] && mlp.l2 == 0.01 && mlp.epochs == 5 && mlp.batch == 64)
        #expect(mlp.learningRate == 0.01 && mlp.optimizer == .sgd)
        #expect(throws: ZooError.invalidInput("'trees' is given twice (as 'trees' and 'n_estimators')")) {
            try forest(["trees=5", "n_estimators=7"])
        }
    }

    @Test func retiredKeysLoadFromOldFilesButAreRefusedOnTheCommandLine() throws {
        let old = JSONValue.object(["trees": .int(3), "jobs": .int(2)])
        #expect(try ForestHyperparameters.fromJSON(old, kind: "forest").trees == 3)
        #expect(throws: ZooError.invalidInput("'forest' no longer has 'jobs': the forest uses the cores --threads allows")) {
            try forest(["jobs=2"])
        }
    }

    @Test func fileValuesOfTheWrongTypeAreRefused() throws {
        for bad: JSONValue in [
            .object(["trees": .string("7")]), .object(["max_features": .double(1.5)]),
            .object(["bootstrap": .int(1)]), .object(["max_depth": .double(2.5)]),
        ] {
            #expect(throws: ZooError.self) { try ForestHyperparameters.fromJSON(bad, kind: "forest") }
        }
    }

    /// A parameter added after files were written reads, from a file without it, as what those
    /// models were trained with; given in the file or on the command line, as given.
    @Test func parametersAddedLaterReadAsTheirOldBehaviourFromOlderFiles() throws {
        let empty = JSONValue.object([:])
        #expect(try NeuronClassifierHyperparameters.fromJSON(empty, kind: "neuron").base.average == 0)
        #expect(NeuronClassifierHyperparameters().base.average == 0.25)
        let given = JSONValue.object(["average": .double(0.5)])
        #expect(try NeuronClassifierHyperparameters.fromJSON(given, kind: "neuron").base.average == 0.5)
        #expect(try TwoLayerHyperparameters.fromJSON(empty, kind: "two-layer").initialization == .uniform)
        #expect(try TwoLayerClassifierHyperparameters.fromJSON(empty, kind: "two-layer").base.initialization == .uniform)
        #expect(TwoLayerHyperparameters().initialization == .glorot)
        // Today's files carry every key: they read back as written.
        let today = TwoLayerClassifierHyperparameters()
        #expect(try TwoLayerClassifierHyperparameters.fromJSON(try JSONValue.from(today.json()), kind: "two-layer") == today)
        let neuron = NeuronClassifierHyperparameters()
        #expect(try NeuronClassifierHyperparameters.fromJSON(try JSONValue.from(neuron.json()), kind: "neuron") == neuron)
    }
}
