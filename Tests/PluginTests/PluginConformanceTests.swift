import Foundation
import Testing
@testable import ModelZoo
import ZooPlugins

/// One suite over every registered plugin: the contract each must keep.
@Suite struct PluginConformanceTests {
    static let kinds = builtinPlugins.kinds

    func train(_ kind: String, seed: UInt64 = 3) throws -> (TrainedModel, PreparedData) {
        let (data, options) = try Fixtures.bmi(rows: 600, seed: seed)
        let plugin = try builtinPlugins.plugin(kind)
        let r = try Trainer.train(plugin: plugin, parameters: plugin.quickFitParameters, data: data, options: options)
        return (r.model, data)
    }

    @Test(arguments: kinds)
    func fitPredictShapesAndFinite(_ kind: String) throws {
        let (model, data) = try train(kind)
        let p = try model.predict(encoded: data.testX)
        #expect(p.count == data.testX.rows)
        #expect(p.allSatisfy { $0.isFinite })
        #expect(model.metadata.parameterCount > 0)
        #expect(model.metadata.testMetrics != nil)
        #expect(!model.model.description.isEmpty)
        #expect(model.metadata.layers.reduce(0) { $0 + $1.parameters } == model.metadata.parameterCount)
    }

    @Test(arguments: kinds)
    func sameSeedSameModel(_ kind: String) throws {
        let a = try train(kind).0.file().tensors
        let b = try train(kind).0.file().tensors
        #expect(a == b)
    }

    @Test(arguments: kinds)
    func saveLoadPredictsBitIdentically(_ kind: String) throws {
        let (model, data) = try train(kind)
        let bytes = try model.file().encode()
        let loaded = try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins)
        let before = try model.predict(encoded: data.testX), after = try loaded.predict(encoded: data.testX)
        #expect(before.map(\.bitPattern) == after.map(\.bitPattern))
        // Loaded and saved again: the same tensors and metadata.
        let again = try loaded.file()
        #expect(again.tensors == (try model.file().tensors))
        #expect(again.metadata == model.metadata)
    }

    @Test(arguments: kinds)
    func hostileTensorsFailCleanly(_ kind: String) throws {
        let (model, _) = try train(kind)
        let file = try model.file()
        // Each tensor in turn: removed, reshaped, retyped, or filled with NaN — all with valid checksums.
        for victim in file.tensors.tensors where !victim.name.hasPrefix("history.") {
            var variants: [[Tensor]] = []
            let others = file.tensors.tensors.filter { $0.name != victim.name }
            variants.append(others)
            variants.append(
                others + [
                    Tensor(name: victim.name, dtype: .u8, shape: [victim.count + 1], bytes: [UInt8](repeating: 0, count: victim.count + 1))
                ])
            if victim.dtype == .f64 {
                variants.append(others + [Tensor(victim.name, [Double](repeating: .nan, count: victim.count), shape: victim.shape)])
            }
            for v in variants {
                let bytes = try NNMFile(metadata: file.metadata, tensors: try TensorBundle(v)).encode()
                #expect(throws: NNMError.self, "\(kind): tensor \(victim.name)") {
                    try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins)
                }
            }
        }
        // Hyperparameters out of range in a checksummed file.
        var meta = file.metadata
        if let first = try builtinPlugins.plugin(kind).parameters.first {
            meta.hyperparameters = .object([first.name: .string("🙃")])
            let bytes = try NNMFile(metadata: meta, tensors: file.tensors).encode()
            #expect(throws: NNMError.self) { try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins) }
        }
    }

    @Test(arguments: kinds)
    func predictAndSaveBeforeFitThrow(_ kind: String) throws {
        let model = try builtinPlugins.make(kind)
        #expect(throws: ZooError.notFitted(kind: kind)) { try model.predict(Matrix(rows: 1, cols: 4, values: [0, 0, 0, 0])) }
        #expect(throws: ZooError.notFitted(kind: kind)) { try model.exportState() }
        #expect(model.layers.isEmpty && model.parameterCount == 0)
    }

    @Test(arguments: kinds)
    func aStrayTensorIsRefusedByName(_ kind: String) throws {
        let file = try train(kind).0.file()
        let stray = Tensor("stray.weight", [1.0, 2.0])
        let bytes = try NNMFile(metadata: file.metadata, tensors: try TensorBundle(file.tensors.tensors + [stray])).encode()
        #expect(throws: NNMError.unusedTensors(["stray.weight"])) {
            try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins)
        }
    }

    /// What `zoo plugins` documents is what a model gets: each default parses from its shown text,
    /// validates, and is the value a default-constructed model stores.
    @Test(arguments: kinds)
    func documentedDefaultsAreTheConstructedDefaults(_ kind: String) throws {
        let plugin = try builtinPlugins.plugin(kind)
        let documented = JSONValue.object(Dictionary(uniqueKeysWithValues: plugin.parameters.map { ($0.name, $0.defaultValue) }))
        #expect(documented == plugin.defaults)
        let stored = try TrainedModel.load(try train(kind).0.file(), registry: builtinPlugins).metadata.hyperparameters
        for spec in plugin.parameters {
            try spec.validate(spec.defaultValue)
            let shown = spec.defaultValue == .array([]) ? "" : spec.defaultValue.description
            #expect(try spec.parse(shown) == spec.defaultValue, "\(kind).\(spec.name)")
            // Every alias sets the same parameter.
            for alias in spec.aliases {
                let viaAlias = try plugin.make(["\(alias)=\(shown)"])
                #expect(Trainer.pluginHyperparameters(viaAlias) == plugin.defaults, "\(kind): \(alias)")
            }
            if case .object(let o) = stored, let v = o[spec.name],
                !plugin.quickFitParameters.contains(where: { $0.hasPrefix(spec.name + "=") })
            {
                #expect(v == spec.defaultValue, "\(kind).\(spec.name) stored \(v)")
            }
        }
    }

    @Test func unknownKindInAFileListsTheKnownOnes() throws {
        let (model, _) = try train("linear")
        var f = try model.file()
        f.metadata.kind = "perceptron9000"
        #expect(throws: NNMError.unknownKind("perceptron9000", known: builtinPlugins.kinds)) {
            try TrainedModel.load(f, registry: builtinPlugins)
        }
    }

    @Test func registryValidatesParameters() {
        #expect(throws: ZooError.unknownKind("svm", known: builtinPlugins.kinds)) { try builtinPlugins.make("svm") }
        #expect(
            throws: ZooError.unknownParameter(
                kind: "neuron", key: "lr", known: ["learning_rate", "epochs", "seed", "shuffle", "weights", "average"])
        ) {
            try builtinPlugins.make("neuron", ["lr=0.1"])
        }
        #expect(throws: ZooError.invalidParameter(key: "epochs", value: "0", expected: "an integer in 1...100000")) {
            try builtinPlugins.make("neuron", ["epochs=0"])
        }
        #expect(throws: ZooError.invalidParameter(key: "learning_rate", value: "fast", expected: "a number in 1e-06...10.0")) {
            try builtinPlugins.make("neuron", ["learning_rate=fast"])
        }
    }
}

/// A model that predicts non-finite values is told to lower its learning rate only where it has one.
@Suite struct DivergenceHintTests {
    @Test(arguments: builtinPlugins.kinds) func theHintNamesOnlyParametersThePluginHas(_ kind: String) throws {
        let plugin = try builtinPlugins.plugin(kind)
        let hint = Trainer.divergenceHint(plugin, otherwise: "check the data")
        let hasLearningRate = plugin.parameters.contains { $0.name == "learning_rate" }
        #expect(hint == (hasLearningRate ? "try a smaller learning_rate" : "check the data"))
        #expect(hasLearningRate == ["neuron", "two-layer", "mlp"].contains(kind))
    }
}
