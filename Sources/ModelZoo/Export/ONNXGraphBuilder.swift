/// Builds an ONNX graph node by node: unique value names, constants as initializers.
public struct ONNXGraphBuilder {
    public private(set) var nodes: [ONNX.Node] = []
    public private(set) var initializers: [ONNX.Tensor] = []
    private var used: Set<String>
    private var counter = 0

    /// `reserved`: names already taken (the graph's inputs and outputs).
    public init(reserved: Set<String> = []) { used = reserved }

    /// A fresh value name starting with `hint` (internal names live under `zoo/`, away from column names).
    public mutating func name(_ hint: String) -> String {
        var n = "zoo/\(hint)"
        while used.contains(n) { counter += 1; n = "zoo/\(hint)_\(counter)" }
        used.insert(n)
        return n
    }

    /// Adds a node with one output and returns the output's name (`output` names it, else a fresh one).
    @discardableResult
    public mutating func add(
        _ op: String, _ inputs: [String], domain: String = "", output: String? = nil,
        _ attributes: [(String, ONNX.Attribute)] = []
    ) -> String {
        let out = output ?? name(op.lowercased())
        if output != nil { used.insert(out) }
        nodes.append(
            ONNX.Node(
                opType: op, domain: domain, name: "n\(nodes.count)_\(op)", inputs: inputs, outputs: [out],
                attributes: attributes))
        return out
    }

    /// Adds a node with `count` fresh outputs (e.g. TreeEnsembleClassifier's label and scores) and returns their names.
    public mutating func add(
        _ op: String, _ inputs: [String], domain: String = "", outputs count: Int,
        _ attributes: [(String, ONNX.Attribute)] = []
    ) -> [String] {
        let outs = (0..<count).map { _ in name(op.lowercased()) }
        nodes.append(
            ONNX.Node(
                opType: op, domain: domain, name: "n\(nodes.count)_\(op)", inputs: inputs, outputs: outs,
                attributes: attributes))
        return outs
    }

    /// Class probabilities [N, classes] from logits [N, units], as `DenseNetwork.probabilities` and
    /// `LogisticRegression.predictProbabilities` compute them: one unit is σ(z) for the second class and
    /// 1 − σ(z) for the first (the same subtraction, so the first class's value is zoo's bit for bit
    /// given the same σ); more units are a softmax over the last axis (max-shifted in onnxruntime, as in zoo).
    public mutating func probabilities(logits: String, units: Int) -> String {
        guard units == 1 else { return add("Softmax", [logits], [("axis", .int(-1))]) }
        let second = add("Sigmoid", [logits])
        let first = add("Sub", [constant("one", double: 1), second])
        return add("Concat", [first, second], [("axis", .int(1))])
    }

    /// A constant double tensor (a scalar when `dims` is empty).
    public mutating func constant(_ hint: String, doubles: [Double], dims: [Int64]) -> String {
        let n = name(hint)
        initializers.append(.doubles(n, doubles, dims: dims))
        return n
    }

    public mutating func constant(_ hint: String, double: Double) -> String { constant(hint, doubles: [double], dims: []) }

    public mutating func constant(_ hint: String, int64s: [Int64], dims: [Int64]) -> String {
        let n = name(hint)
        initializers.append(.int64s(n, int64s, dims: dims))
        return n
    }
}

/// What a model's part of the graph produces from the encoded features.
public enum ONNXHead {
    /// One value per row, shape [N, 1], in scaled target units (the exporter un-scales it).
    case regression(output: String, elementType: ONNX.DataType)
    /// One probability per class, shape [N, classes] in the schema's class order (the exporter casts
    /// them to double, masks rows without a prediction and derives the label).
    case classification(probabilities: String, elementType: ONNX.DataType)
}

/// A plugin that can be written as ONNX: given the name of the encoded, scaled feature matrix
/// ([N, width] double, in the schema's encoded order), it adds its nodes and names its head.
/// Dense-network and linear plugins get this for free by declaring the conformance.
public protocol ONNXExportable {
    func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead
}

extension ONNXExportable where Self: DenseBackedModel {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        guard let net = network else { throw ZooError.notFitted(kind: Self.info.kind) }
        return .regression(output: net.onnxNodes(&graph, input: features), elementType: .double)
    }
}

extension ONNXExportable where Self: LinearPredictor {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        let w = graph.constant("coef", doubles: coefficients, dims: [Int64(coefficients.count), 1])
        let b = graph.constant("intercept", doubles: [intercept], dims: [1])
        return .regression(output: graph.add("Gemm", [features, w, b]), elementType: .double)
    }
}

extension ONNXExportable where Self: DenseBackedClassifier {
    /// The network's logits, then σ (one output unit) or softmax, as `DenseNetwork.probabilities`.
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        guard let net = network else { throw ZooError.notFitted(kind: Self.info.kind) }
        let logits = net.onnxNodes(&graph, input: features)
        return .classification(probabilities: graph.probabilities(logits: logits, units: net.sizes.last!), elementType: .double)
    }
}

extension DenseNetwork {
    /// Gemm (+ activation) per layer, in double: the same arithmetic as `forward`.
    public func onnxNodes(_ g: inout ONNXGraphBuilder, input: String) -> String {
        var h = input
        for l in 0..<layerCount {
            let nIn = sizes[l], nOut = sizes[l + 1]
            let w = g.constant(
                "layer\(l).weight", doubles: Array(parameters[weightOffsets[l]..<(weightOffsets[l] + nIn * nOut)]),
                dims: [Int64(nIn), Int64(nOut)])
            let b = g.constant("layer\(l).bias", doubles: Array(parameters[biasOffsets[l]..<(biasOffsets[l] + nOut)]), dims: [Int64(nOut)])
            h = g.add("Gemm", [h, w, b])
            switch activations[l] {
            case .linear: break
            case .relu: h = g.add("Relu", [h])
            case .sigmoid: h = g.add("Sigmoid", [h])
            case .tanh: h = g.add("Tanh", [h])
            }
        }
        return h
    }
}
