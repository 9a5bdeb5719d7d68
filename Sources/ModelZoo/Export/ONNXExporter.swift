import Foundation

/// Writes a trained model as one ONNX graph that takes the raw CSV columns and returns predictions
/// in target units: imputation, scaling and one-hot encoding happen inside the graph, as in a
/// scikit-learn pipeline converted by skl2onnx.
///
/// - One input per feature column, shape [N, 1]: `double` for numeric columns (NaN = missing),
///   `string` for categorical ones ("" = missing).
/// - One output `<target>_pred`, double [N, 1]. NaN where `zoo predict --on-error skip` leaves the
///   prediction empty: a missing value without an imputation, NaN or ±inf, or a category the model
///   never saw (levels match exactly; zoo's case-insensitive fallback is not in the graph).
/// - Opsets: ai.onnx 17 and ai.onnx.ml 3 (IR 8), read by onnxruntime ≥ 1.11.
public enum ONNXExporter {
    public static let irVersion: Int64 = 8
    public static let opset: Int64 = 17
    public static let mlOpset: Int64 = 3

    /// The serialized ModelProto. `checksum`: the source `.nnm` file's CRC-32, recorded in the metadata.
    public static func export(_ trained: TrainedModel, checksum: String? = nil) throws -> [UInt8] {
        try model(trained, checksum: checksum).encode()
    }

    public static func model(_ trained: TrainedModel, checksum: String? = nil) throws -> ONNX.Model {
        guard let exportable = trained.model as? any ONNXExportable else {
            throw ZooError.invalidInput("the \(trained.metadata.kind) plugin cannot be exported to ONNX yet")
        }
        let schema = trained.schema
        let outputName = outputName(schema)
        guard !schema.columns.contains(where: { $0.name == outputName }) else {
            throw ZooError.invalidInput("a feature column is named '\(outputName)', the name of the ONNX output; rename the column and retrain")
        }
        var g = ONNXGraphBuilder(reserved: Set(schema.columns.map(\.name) + [outputName]))
        var inputs: [ONNX.ValueInfo] = []
        var encoded: [String] = []   // the encoded feature blocks, in schema order
        var guards: [String] = []    // per column [N, 1]: 0, or NaN where the row has no prediction
        let nan = g.constant("nan", double: .nan), zero = g.constant("zero", double: 0)
        for c in schema.columns {
            let shape: [ONNX.ValueInfo.Dim] = [.symbolic("N"), .fixed(1)]
            switch c.kind {
            case .numeric:
                inputs.append(ONNX.ValueInfo(name: c.name, elementType: .double, shape: shape,
                                             docString: "numeric column '\(c.name)'; NaN = missing"))
                var x = c.name
                if let m = c.impute {
                    let missing = g.add("IsNaN", [x])
                    x = g.add("Where", [missing, g.constant("\(c.name).impute", double: m), x])
                }
                guards.append(g.add("Mul", [x, zero]))  // NaN for NaN and ±inf, which zoo refuses
                let s = c.scaler ?? .identity
                if s != .identity {
                    x = g.add("Sub", [x, g.constant("\(c.name).center", double: s.center)])
                    x = g.add("Div", [x, g.constant("\(c.name).scale", double: s.scale)])
                }
                encoded.append(x)
            case .categorical:
                let levels = c.levels ?? []
                inputs.append(ONNX.ValueInfo(name: c.name, elementType: .string, shape: shape,
                                             docString: "categorical column '\(c.name)': \(levels.joined(separator: ", ")); \"\" = missing"))
                var keys = levels, values = (0..<levels.count).map(Int64.init)
                if let m = c.impute, m >= 0, Int(m) < levels.count {
                    keys.append("")
                    values.append(Int64(m))
                }
                let index = g.add("LabelEncoder", [c.name], domain: "ai.onnx.ml",
                                  [("keys_strings", .strings(keys)), ("values_int64s", .ints(values)), ("default_int64", .int(-1))])
                let unknown = g.add("Less", [index, g.constant("zero_i64", int64s: [0], dims: [])])
                guards.append(g.add("Where", [unknown, nan, zero]))
                // One 0/1 column for two levels (the second level), one per level otherwise.
                let hot: [Int64] = levels.count == 2 ? [1] : (0..<Int64(levels.count)).map { $0 }
                let eq = g.add("Equal", [index, g.constant("\(c.name).levels", int64s: hot, dims: [1, Int64(hot.count)])])
                encoded.append(g.add("Cast", [eq], [("to", .int(ONNX.DataType.double.rawValue))]))
            }
        }
        let features = encoded.count == 1 ? encoded[0] : g.add("Concat", encoded, output: g.name("features"), [("axis", .int(1))])
        let head = try exportable.onnxHead(&g, features: features, width: schema.encodedWidth)
        var y: String
        switch head {
        case let .regression(output, type):
            y = output
            if type != .double { y = g.add("Cast", [y], [("to", .int(ONNX.DataType.double.rawValue))]) }
            let t = schema.targetScaler
            if t != .identity {  // output · scale + center, as TrainedModel.predict
                y = g.add("Mul", [y, g.constant("target.scale", double: t.scale)])
                y = g.add("Add", [y, g.constant("target.center", double: t.center)])
            }
        }
        let guardSum = guards.count == 1 ? guards[0] : g.add("Sum", guards)
        g.add("Add", [y, guardSum], output: outputName)

        var graph = ONNX.Graph(name: "zoo_\(trained.metadata.kind)")
        graph.nodes = g.nodes
        graph.initializers = g.initializers
        graph.inputs = inputs
        graph.outputs = [ONNX.ValueInfo(name: outputName, elementType: .double, shape: [.symbolic("N"), .fixed(1)],
                                        docString: "predicted \(schema.target) in its own units; NaN = no prediction")]
        graph.docString = docString(trained, output: outputName)
        return ONNX.Model(irVersion: irVersion, producerName: "ModelZoo", producerVersion: ModelZooVersion.version,
                          docString: "\(trained.metadata.summary), exported by zoo export",
                          graph: graph, opsets: [("", opset), ("ai.onnx.ml", mlOpset)],
                          metadata: metadata(trained, checksum: checksum))
    }

    /// The output's name: `<target>_pred`, as `zoo predict`'s column.
    public static func outputName(_ schema: FeatureSchema) -> String { "\(schema.target)_pred" }

    static func docString(_ trained: TrainedModel, output: String) -> String {
        let s = trained.schema
        var lines = ["ModelZoo \(trained.metadata.kind) model predicting \(s.target) from \(s.columns.count) CSV columns.",
                     "Feed one input per column, each shaped [N, 1]:"]
        for c in s.columns {
            switch c.kind {
            case .numeric:
                lines.append("  \(c.name): double; NaN = missing" + (c.impute.map { " (imputed as \(SignificantDigits.text($0, digits: nil)))" } ?? " (no imputation: NaN prediction)"))
            case .categorical:
                let l = c.levels ?? []
                let imp = c.impute.flatMap { Int($0) < l.count ? " (imputed as '\(l[Int($0)])')" : nil } ?? " (no imputation: NaN prediction)"
                lines.append("  \(c.name): string, one of \(l.map { "'\($0)'" }.joined(separator: ", ")); \"\" = missing\(imp)")
            }
        }
        lines.append("Output \(output): double [N, 1] in \(s.target)'s units. It is NaN where zoo predict --on-error skip gives no")
        lines.append("prediction: a missing value without imputation, NaN or infinite numbers, an unknown category (levels match")
        lines.append("exactly; zoo's case-insensitive fallback is not in the graph).")
        if trained.metadata.kind == "forest" {
            lines.append("The tree ensemble computes in double but TreeEnsembleRegressor returns float32: predictions are zoo's rounded to float.")
        }
        return lines.joined(separator: "\n")
    }

    static func metadata(_ trained: TrainedModel, checksum: String?) -> [(String, String)] {
        let m = trained.metadata
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        func json<T: Encodable>(_ v: T) -> String { (try? encoder.encode(v)).map { String(decoding: $0, as: UTF8.self) } ?? "null" }
        var out: [(String, String)] = [
            ("zoo.kind", m.kind),
            ("zoo.summary", m.summary),
            ("zoo.target", m.schema.target),
            ("zoo.features", json(m.schema.columns.map(\.name))),
            ("zoo.schema", json(m.schema)),
            ("zoo.hyperparameters", json(m.hyperparameters)),
            ("zoo.writer", m.writer),
            ("zoo.created", m.created),
            ("zoo.unknown_category", "NaN prediction"),
        ]
        if let t = m.testMetrics { out.append(("zoo.test_metrics", json(t))) }
        if let t = m.trainMetrics { out.append(("zoo.train_metrics", json(t))) }
        if let checksum { out.append(("zoo.nnm_crc32", checksum)) }
        return out
    }
}
