import Testing
@testable import ModelZoo
import ZooPlugins

/// Graph building for every plugin: the preprocessing, the plugin's head and the output are wired
/// into a well-formed graph (every value defined before use, inputs per column). Numeric parity with
/// onnxruntime is checked by the integration suite (Tests/Integration/test_export_onnx.py).
@Suite struct ONNXExportTests {
    static func trained(_ kind: String, impute: Bool = false) throws -> TrainedModel {
        let plugin = try builtinPlugins.plugin(kind)
        let (data, options) = try Fixtures.bmi(rows: 300)
        var d = data
        if impute {  // as --impute mean would record: a raw value per numeric column, a level index per category
            for i in d.schema.columns.indices { d.schema.columns[i].impute = d.schema.columns[i].kind == .numeric ? 1.5 : 0 }
        }
        return try Trainer.train(plugin: plugin, parameters: plugin.quickFitParameters, data: d, options: options).model
    }

    /// Every node input is a graph input, an initializer or an earlier node's output; names are unique.
    static func checkWellFormed(_ m: ONNX.Model) throws {
        var defined = Set(m.graph.inputs.map(\.name))
        for t in m.graph.initializers { #expect(defined.insert(t.name).inserted, "duplicate name \(t.name)") }
        for n in m.graph.nodes {
            for i in n.inputs { #expect(defined.contains(i), "\(n.opType) reads undefined \(i)") }
            for o in n.outputs { #expect(defined.insert(o).inserted, "\(o) defined twice") }
        }
        for o in m.graph.outputs { #expect(defined.contains(o.name)) }
    }

    @Test(arguments: builtinPlugins.kinds)
    func everyPluginExports(_ kind: String) throws {
        let t = try Self.trained(kind)
        let m = try ONNXExporter.model(t, checksum: "01234567")
        try Self.checkWellFormed(m)
        #expect(m.graph.inputs.map(\.name) == t.schema.columns.map(\.name))
        for (input, column) in zip(m.graph.inputs, t.schema.columns) {
            #expect(input.elementType == (column.kind == .numeric ? .double : .string))
        }
        #expect(m.graph.outputs.map(\.name) == ["BMI_pred"])
        #expect(m.graph.outputs[0].elementType == .double)
        let ops = Set(m.graph.nodes.map(\.opType))
        #expect(ops.contains("LabelEncoder"))  // Sex
        switch kind {
        case "forest": #expect(ops.contains("TreeEnsembleRegressor") && ops.contains("Cast"))
        case "linear": #expect(ops.contains("Gemm") && !ops.contains("Sigmoid"))
        case "neuron", "two-layer": #expect(ops.contains("Gemm") && ops.contains("Sigmoid"))
        default: #expect(ops.contains("Gemm") && ops.contains("Relu"))
        }
        let meta = Dictionary(uniqueKeysWithValues: m.metadata)
        #expect(meta["zoo.kind"] == kind)
        #expect(meta["zoo.target"] == "BMI")
        #expect(meta["zoo.nnm_crc32"] == "01234567")
        #expect(m.graph.docString.contains("Sex: string"))
        #expect(!m.encode().isEmpty)
    }

    @Test func imputationValuesAreInTheGraph() throws {
        let m = try ONNXExporter.model(try Self.trained("linear", impute: true))
        try Self.checkWellFormed(m)
        #expect(m.graph.nodes.filter { $0.opType == "IsNaN" }.count == 3)
        let encoder = try #require(m.graph.nodes.first { $0.opType == "LabelEncoder" })
        guard case .strings(let keys)? = encoder.attributes.first(where: { $0.0 == "keys_strings" })?.1 else {
            Issue.record("no keys_strings"); return
        }
        #expect(keys.last == "")  // a missing category maps to the imputed level
    }

    @Test func aFeatureNamedLikeTheOutputIsRefused() throws {
        var t = try Self.trained("linear")
        t.metadata.schema.columns[1].name = "BMI_pred"
        #expect(throws: ZooError.self) { try ONNXExporter.model(t) }
    }

    @Test func forestNodesMatchTheTrees() throws {
        let t = try Self.trained("forest")
        let forest = try #require(t.model as? RandomForestProbe.Forest)
        let m = try ONNXExporter.model(t)
        let node = try #require(m.graph.nodes.first { $0.opType == "TreeEnsembleRegressor" })
        func ints(_ name: String) -> [Int64] {
            if case .ints(let v)? = node.attributes.first(where: { $0.0 == name })?.1 { return v }
            return []
        }
        let (nodes, _) = forest.trees
        #expect(ints("nodes_nodeids").count == nodes.count)
        #expect(ints("target_nodeids").count == nodes.filter { $0.feature < 0 }.count)
        #expect(node.domain == "ai.onnx.ml")
    }
}

import RandomForest
enum RandomForestProbe { typealias Forest = RandomForest }
