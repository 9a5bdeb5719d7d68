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
enum RandomForestProbe { typealias Forest = RandomForest; typealias Classifier = RandomForestClassifier }

/// The classification heads: outputs named and typed as zoo serve's (label string [N], probabilities
/// double [N, classes]), σ for a one-unit model, Softmax beyond, TreeEnsembleClassifier for the forest,
/// and the label taken from the masked probabilities. Numbers against onnxruntime: the integration suite.
@Suite struct ONNXClassifierExportTests {
    static func trained(_ kind: String, binary: Bool) throws -> TrainedModel {
        let (data, options) = try Fixtures.bmiClasses(rows: 300, seed: 3, binary: binary)
        let plugin = try builtinPlugins.plugin(kind)
        let quick = try plugin.variant(for: .classification).quickFitParameters
        return try Trainer.train(plugin: plugin, parameters: quick, data: data, options: options).model
    }

    static func attribute(_ node: ONNX.Node, _ name: String) -> ONNX.Attribute? { node.attributes.first { $0.0 == name }?.1 }
    static func ints(_ node: ONNX.Node, _ name: String) -> [Int64] {
        if case .ints(let v)? = attribute(node, name) { return v }
        return []
    }
    static func doubles(_ t: ONNX.Tensor) -> [Double] {
        stride(from: 0, to: t.raw.count, by: 8).map { i in
            Double(bitPattern: t.raw[i..<(i + 8)].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }

    static let cases: [(String, Bool)] = builtinPlugins.classifierKinds.flatMap { [($0, false), ($0, true)] }

    @Test(arguments: cases)
    func outputsAndLabel(_ kind: String, _ binary: Bool) throws {
        let t = try Self.trained(kind, binary: binary)
        let classes = binary ? ["no", "yes"] : ["high", "low", "mid"]  // stored in code-point order
        #expect(t.schema.classes == classes)
        let m = try ONNXExporter.model(t, checksum: "89abcdef")
        try ONNXExportTests.checkWellFormed(m)
        #expect(m.graph.inputs.map(\.name) == t.schema.columns.map(\.name))
        #expect(m.graph.outputs.map(\.name) == ["Class_pred", "Class_proba"])
        #expect(m.graph.outputs.map(\.elementType) == [.string, .double])
        guard case .fixed(let k)? = m.graph.outputs[1].shape.last else { Issue.record("no class dimension"); return }
        #expect(k == Int64(classes.count))
        #expect(m.graph.outputs[0].shape.count == 1)  // [N], as skl2onnx's output_label
        // The label: ArgMax over the masked probabilities, −1 where the row has no prediction, then the class strings.
        let argmax = try #require(m.graph.nodes.first { $0.opType == "ArgMax" })
        #expect(argmax.inputs == ["Class_proba"])
        #expect(Self.ints(argmax, "keepdims").isEmpty)
        let label = try #require(m.graph.nodes.first { $0.outputs == ["Class_pred"] })
        #expect(label.opType == "LabelEncoder" && label.domain == "ai.onnx.ml")
        guard case .strings(let values)? = Self.attribute(label, "values_strings"),
            case .string(let fallback)? = Self.attribute(label, "default_string")
        else {
            Issue.record("LabelEncoder without its strings"); return
        }
        #expect(values == classes && fallback == "")
        #expect(Self.ints(label, "keys_int64s") == (0..<Int64(classes.count)).map { $0 })
        let meta = Dictionary(uniqueKeysWithValues: m.metadata)
        #expect(meta["zoo.task"] == "classification")
        #expect(meta["zoo.classes"] == (binary ? #"["no","yes"]"# : #"["high","low","mid"]"#))
        #expect(meta["zoo.unknown_category"] == "NaN probabilities, empty label")
        let metrics = try #require(t.metadata.testClassification)
        #expect(meta["zoo.test_metrics"]?.contains("\"accuracy\":\(metrics.accuracy)") == true)
        #expect(m.graph.docString.contains("one probability per class in this order: \(classes.joined(separator: ", "))"))
    }

    /// σ for one output unit (logistic regression and the neuron with two classes), Softmax over the
    /// last axis otherwise; never both.
    @Test(arguments: cases)
    func denseHeadMatchesThePluginsLink(_ kind: String, _ binary: Bool) throws {
        guard kind != "forest" else { return }
        let m = try ONNXExporter.model(try Self.trained(kind, binary: binary))
        let ops = m.graph.nodes.map(\.opType)
        let oneUnit = binary && (kind == "linear" || kind == "neuron")
        if oneUnit {
            #expect(!ops.contains("Softmax"))
            let concat = try #require(m.graph.nodes.last { $0.opType == "Concat" })
            let sigmoid = try #require(m.graph.nodes.last { $0.opType == "Sigmoid" })
            let sub = try #require(m.graph.nodes.first { $0.opType == "Sub" && $0.inputs.last == sigmoid.outputs[0] })
            #expect(concat.inputs == [sub.outputs[0], sigmoid.outputs[0]])  // [1 − σ, σ]: the second class is σ
        } else {
            let softmax = try #require(m.graph.nodes.first { $0.opType == "Softmax" })
            guard case .int(let axis)? = Self.attribute(softmax, "axis") else { Issue.record("no axis"); return }
            #expect(axis == -1)
        }
        #expect(ops.contains("Gemm"))
    }

    @Test(arguments: [false, true])
    func logisticCoefficientsAreTheModels(_ binary: Bool) throws {
        let t = try Self.trained("linear", binary: binary)
        let m = try ONNXExporter.model(t)
        let state = try t.model.exportState()
        let coef = try #require(state.first { $0.name == "logistic.coef" })
        let gemm = try #require(m.graph.nodes.first { $0.opType == "Gemm" })
        guard case .int(let transB)? = Self.attribute(gemm, "transB") else { Issue.record("no transB"); return }
        #expect(transB == 1)  // coefficients stored [units, features]
        let w = try #require(m.graph.initializers.first { $0.name == gemm.inputs[1] })
        #expect(w.dims == coef.shape.map(Int64.init))
        #expect(w.raw == coef.bytes)  // the same doubles, bit for bit
    }

    /// Every leaf votes every class its distribution ÷ trees (the operator sums; zoo averages), so each
    /// leaf's votes sum to 1/trees; probabilities come out float32 and are cast back.
    @Test(arguments: [false, true])
    func forestVotesAreMeanDistributions(_ binary: Bool) throws {
        let t = try Self.trained("forest", binary: binary)
        let forest = try #require(t.model as? RandomForestProbe.Classifier)
        let m = try ONNXExporter.model(t)
        let node = try #require(m.graph.nodes.first { $0.opType == "TreeEnsembleClassifier" })
        #expect(node.domain == "ai.onnx.ml" && node.outputs.count == 2)
        guard case .string(let post)? = Self.attribute(node, "post_transform"),
            case .tensor(let weightTensor)? = Self.attribute(node, "class_weights_as_tensor"),
            case .tensor(let thresholds)? = Self.attribute(node, "nodes_values_as_tensor")
        else {
            Issue.record("TreeEnsembleClassifier attributes missing"); return
        }
        #expect(post == "NONE")
        #expect(thresholds.dataType == .double && weightTensor.dataType == .double)
        let (nodes, starts) = forest.trees
        let k = t.schema.classCount, leaves = nodes.filter { $0.feature < 0 }
        let ids = Self.ints(node, "class_ids"), weights = Self.doubles(weightTensor)
        #expect(Self.ints(node, "nodes_nodeids").count == nodes.count)
        #expect(ids.count == leaves.count * k && weights.count == ids.count)
        #expect(ids == (0..<leaves.count).flatMap { _ in (0..<Int64(k)).map { $0 } })
        let dist = forest.leafDistributions, perTree = 1 / Double(starts.count)
        for (l, leaf) in leaves.enumerated() {
            for c in 0..<k { #expect(weights[l * k + c] == dist[Int(leaf.value), c] * perTree) }
        }
        let cast = try #require(m.graph.nodes.first { $0.opType == "Cast" && $0.inputs == [node.outputs[1]] })
        #expect(m.graph.nodes.contains { $0.outputs == ["Class_proba"] && $0.inputs.first == cast.outputs[0] })
    }

    @Test func aFeatureNamedLikeTheProbabilityOutputIsRefused() throws {
        var t = try Self.trained("linear", binary: true)
        t.metadata.schema.columns[1].name = "Class_proba"
        #expect(
            throws: ZooError.invalidInput(
                "a feature column is named 'Class_proba', the name of an ONNX output; rename the column and retrain")
        ) {
            try ONNXExporter.model(t)
        }
    }

    @Test func regressorsSayTheirTask() throws {
        let m = try ONNXExporter.model(try ONNXExportTests.trained("linear"))
        let meta = Dictionary(uniqueKeysWithValues: m.metadata)
        #expect(meta["zoo.task"] == "regression" && meta["zoo.classes"] == nil)
        #expect(m.graph.outputs.map(\.name) == ["BMI_pred"])
    }
}
