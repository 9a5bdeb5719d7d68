import Foundation

/// Writes a trained model as one ONNX graph that takes the raw CSV columns and returns predictions
/// in target units: imputation, scaling and one-hot encoding happen inside the graph, as in a
/// scikit-learn pipeline converted by skl2onnx.
///
/// - One input per feature column, shape [N, 1]: `double` for numeric columns (NaN = missing),
///   `string` for categorical ones ("" = missing).
/// - A regressor: one output `<target>_pred`, double [N, 1].
/// - A classifier: `<target>_pred`, string [N] (the label; one-dimensional, as skl2onnx's
///   `output_label`), and `<target>_proba`, double [N, classes] (as skl2onnx with `zipmap=False`,
///   columns in the stored class order, `zoo.classes` in the metadata). The label is the most probable
///   class, the first on ties: `zoo predict` without `--threshold`.
/// - Rows where `zoo predict --on-error skip` leaves the prediction empty (a missing value without
///   an imputation, NaN or ±inf, or a category the model never saw; levels match exactly, zoo's
///   case-insensitive fallback is not in the graph) get NaN, for a classifier NaN probabilities and
///   the label "".
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
        let outputNames = outputNames(schema)
        if let clash = schema.columns.first(where: { outputNames.contains($0.name) }) {
            throw ZooError.invalidInput(
                "a feature column is named '\(clash.name)', the name of an ONNX output; rename the column and retrain")
        }
        var g = ONNXGraphBuilder(reserved: Set(schema.columns.map(\.name) + outputNames))
        var inputs: [ONNX.ValueInfo] = []
        var encoded: [String] = []  // the encoded feature blocks, in schema order
        var guards: [String] = []  // per column [N, 1]: 0, or NaN where the row has no prediction
        let nan = g.constant("nan", double: .nan), zero = g.constant("zero", double: 0)
        for c in schema.columns {
            let shape: [ONNX.ValueInfo.Dim] = [.symbolic("N"), .fixed(1)]
            switch c.kind {
            case .numeric:
                inputs.append(
                    ONNX.ValueInfo(
                        name: c.name, elementType: .double, shape: shape,
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
                inputs.append(
                    ONNX.ValueInfo(
                        name: c.name, elementType: .string, shape: shape,
                        docString: "categorical column '\(c.name)': \(levels.joined(separator: ", ")); \"\" = missing"))
                var keys = levels, values = (0..<levels.count).map(Int64.init)
                if let m = c.impute, m >= 0, Int(m) < levels.count {
                    keys.append("")
                    values.append(Int64(m))
                }
                let index = g.add(
                    "LabelEncoder", [c.name], domain: "ai.onnx.ml",
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
        let guardSum = guards.count == 1 ? guards[0] : g.add("Sum", guards)
        let outputs: [ONNX.ValueInfo]
        switch head {
        case let .regression(output, type):
            regressionOutput(&g, output, type, schema: schema, guardSum: guardSum, name: outputNames[0])
            outputs = [
                ONNX.ValueInfo(
                    name: outputNames[0], elementType: .double, shape: [.symbolic("N"), .fixed(1)],
                    docString: "predicted \(schema.target) in its own units; NaN = no prediction")
            ]
        case let .classification(probabilities, type):
            let classes = schema.classes ?? []
            guard classes.count >= 2 else {
                throw ZooError.invalidInput("the \(trained.metadata.kind) model gives class probabilities but its file lists no classes")
            }
            classificationOutputs(
                &g, probabilities, type, classes: classes, guardSum: guardSum,
                label: outputNames[0], proba: outputNames[1])
            outputs = [
                ONNX.ValueInfo(
                    name: outputNames[0], elementType: .string, shape: [.symbolic("N")],
                    docString: "predicted \(schema.target): one of \(classes.joined(separator: ", ")); \"\" = no prediction"),
                ONNX.ValueInfo(
                    name: outputNames[1], elementType: .double, shape: [.symbolic("N"), .fixed(Int64(classes.count))],
                    docString: "probability of each class (\(classes.joined(separator: ", "))); NaN = no prediction"),
            ]
        }

        var graph = ONNX.Graph(name: "zoo_\(trained.metadata.kind)")
        graph.nodes = g.nodes
        graph.initializers = g.initializers
        graph.inputs = inputs
        graph.outputs = outputs
        graph.docString = docString(trained, outputs: outputNames)
        return ONNX.Model(
            irVersion: irVersion, producerName: "ModelZoo", producerVersion: ModelZooVersion.version,
            docString: "\(trained.metadata.summary), exported by zoo export",
            graph: graph, opsets: [("", opset), ("ai.onnx.ml", mlOpset)],
            metadata: metadata(trained, checksum: checksum))
    }

    /// The outputs' names: `<target>_pred` as `zoo predict`'s column, and for a classifier
    /// `<target>_proba`, as `zoo serve`'s probability output (predict's `<target>_proba_<class>` columns).
    public static func outputNames(_ schema: FeatureSchema) -> [String] {
        schema.task == .classification ? ["\(schema.target)_pred", "\(schema.target)_proba"] : ["\(schema.target)_pred"]
    }

    /// The head's value in the target's units, plus the guard (NaN for rows without a prediction), as `name`.
    static func regressionOutput(
        _ g: inout ONNXGraphBuilder, _ output: String, _ type: ONNX.DataType,
        schema: FeatureSchema, guardSum: String, name: String
    ) {
        var y = output
        if type != .double { y = g.add("Cast", [y], [("to", .int(ONNX.DataType.double.rawValue))]) }
        let t = schema.targetScaler
        if t != .identity {  // output · scale + center, as TrainedModel.predict
            y = g.add("Mul", [y, g.constant("target.scale", double: t.scale)])
            y = g.add("Add", [y, g.constant("target.center", double: t.center)])
        }
        g.add("Add", [y, guardSum], output: name)
    }

    /// The probabilities in double, NaN in rows without a prediction (the guard broadcast over the
    /// classes), as `proba`; the label as `label`: ArgMax (first on ties, as zoo) mapped to the class
    /// strings, with index −1 and so "" where the guard is NaN (ArgMax over NaNs means nothing).
    static func classificationOutputs(
        _ g: inout ONNXGraphBuilder, _ probabilities: String, _ type: ONNX.DataType,
        classes: [String], guardSum: String, label: String, proba: String
    ) {
        var p = probabilities
        if type != .double { p = g.add("Cast", [p], [("to", .int(ONNX.DataType.double.rawValue))]) }
        g.add("Add", [p, guardSum], output: proba)
        let best = g.add("ArgMax", [proba], [("axis", .int(1)), ("keepdims", .int(0)), ("select_last_index", .int(0))])
        let missing = g.add("Squeeze", [g.add("IsNaN", [guardSum]), g.constant("axis1", int64s: [1], dims: [1])])
        let index = g.add("Where", [missing, g.constant("minus_one_i64", int64s: [-1], dims: []), best])
        g.add(
            "LabelEncoder", [index], domain: "ai.onnx.ml", output: label,
            [
                ("keys_int64s", .ints((0..<Int64(classes.count)).map { $0 })), ("values_strings", .strings(classes)),
                ("default_string", .string("")),
            ])
    }

    static func docString(_ trained: TrainedModel, outputs: [String]) -> String {
        let s = trained.schema
        var lines = [
            "ModelZoo \(trained.metadata.kind) model predicting \(s.target) from \(s.columns.count) CSV columns.",
            "Feed one input per column, each shaped [N, 1]:",
        ]
        for c in s.columns {
            switch c.kind {
            case .numeric:
                lines.append(
                    "  \(c.name): double; NaN = missing"
                        + (c.impute.map { " (imputed as \(SignificantDigits.text($0, digits: nil)))" } ?? " (no imputation: NaN prediction)")
                )
            case .categorical:
                let l = c.levels ?? []
                let imp =
                    c.impute.flatMap { Int($0) < l.count ? " (imputed as '\(l[Int($0)])')" : nil } ?? " (no imputation: NaN prediction)"
                lines.append("  \(c.name): string, one of \(l.map { "'\($0)'" }.joined(separator: ", ")); \"\" = missing\(imp)")
            }
        }
        if let classes = s.classes {
            lines.append("Outputs \(outputs[0]): string [N], the most probable class (first on ties: zoo predict without --threshold),")
            lines.append(
                "and \(outputs[1]): double [N, \(classes.count)], one probability per class in this order: \(classes.joined(separator: ", "))."
            )
            lines.append("Both say 'no prediction' (label \"\", NaN probabilities) where zoo predict --on-error skip gives none:")
        } else {
            lines.append("Output \(outputs[0]): double [N, 1] in \(s.target)'s units. It is NaN where zoo predict --on-error skip gives no")
            lines.append("prediction:")
        }
        lines.append("a missing value without imputation, NaN or infinite numbers, an unknown category (levels match")
        lines.append("exactly; zoo's case-insensitive fallback is not in the graph).")
        if trained.metadata.kind == "forest" {
            lines.append(
                s.classes == nil
                    ? "The tree ensemble computes in double but TreeEnsembleRegressor returns float32: predictions are zoo's rounded to float."
                    : "The tree ensemble sums in double but TreeEnsembleClassifier returns float32: probabilities are zoo's rounded to float."
            )
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
            ("zoo.task", m.schema.task == .classification ? "classification" : "regression"),
            ("zoo.unknown_category", m.schema.classes == nil ? "NaN prediction" : "NaN probabilities, empty label"),
        ]
        if let classes = m.schema.classes { out.append(("zoo.classes", json(classes))) }
        // A classifier's metrics under the same keys (accuracy, log-loss, ... instead of RMSE, ...): the task says which.
        if let t = m.testMetrics { out.append(("zoo.test_metrics", json(t))) }
        if let t = m.testClassification { out.append(("zoo.test_metrics", json(t))) }
        if let t = m.trainMetrics { out.append(("zoo.train_metrics", json(t))) }
        if let t = m.trainClassification { out.append(("zoo.train_metrics", json(t))) }
        if let checksum { out.append(("zoo.nnm_crc32", checksum)) }
        return out
    }
}
