import ModelZoo

/// The forest as one ai.onnx.ml TreeEnsembleRegressor (opset 3): thresholds and leaf values as
/// double tensors (`nodes_values_as_tensor`, `target_weights_as_tensor`), so every split compares
/// exactly as `x ≤ threshold` does here; AVERAGE over the trees. Node ids are each tree's pre-order
/// positions: a split's true (≤) child is the next node, its false child the stored right child.
/// The operator's output is float32 (the exporter casts it back to double).
extension RandomForest: ONNXExportable {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        guard compiled != nil else { throw ZooError.notFitted(kind: Self.info.kind) }
        let (nodes, starts) = trees
        let e = TreeEnsembleNodes(nodes, starts: starts)
        let out = graph.add(
            "TreeEnsembleRegressor", [features], domain: "ai.onnx.ml",
            [
                ("aggregate_function", .string("AVERAGE")),
                ("n_targets", .int(1)),
                ("post_transform", .string("NONE")),
            ] + e.nodeAttributes + [
                ("target_ids", .ints([Int64](repeating: 0, count: e.leaves.count))),
                ("target_treeids", .ints(e.leaves.map(\.tree))),
                ("target_nodeids", .ints(e.leaves.map(\.node))),
                ("target_weights_as_tensor", .tensor(.doubles("target_weights", e.leaves.map(\.value)))),
            ])
        return .regression(output: out, elementType: .float)
    }
}

/// The forest classifier as one ai.onnx.ml TreeEnsembleClassifier (opset 3), laid out as the regressor's
/// (double thresholds, pre-order node ids). Each leaf votes its whole class distribution, divided by the
/// tree count: the operator only sums over trees (post_transform NONE), so the sum is the mean zoo takes.
/// Every class gets a vote at every leaf, zeros included: onnxruntime treats a two-class ensemble whose
/// votes name one class only as a binary score and would derive the other class's value itself.
/// The operator's own label output is not used (the exporter takes the ArgMax of the probabilities,
/// as for every classifier); its scores are float32, accumulated in double by onnxruntime and then rounded.
extension RandomForestClassifier: ONNXExportable {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        let (nodes, starts) = trees
        let dist = leafDistributions, k = classCount
        guard !starts.isEmpty, k >= 2 else { throw ZooError.notFitted(kind: Self.info.kind) }
        let e = TreeEnsembleNodes(nodes, starts: starts)
        let perTree = 1 / Double(starts.count)  // zoo multiplies the summed distributions by this
        var classTrees = [Int64](), classNodes = [Int64](), classIds = [Int64](), weights = [Double]()
        let votes = e.leaves.count * k
        classTrees.reserveCapacity(votes); classNodes.reserveCapacity(votes); classIds.reserveCapacity(votes);
        weights.reserveCapacity(votes)
        for leaf in e.leaves {
            let row = Int(leaf.value)
            guard row >= 0, row < dist.rows else {
                throw ZooError.invalidInput("forest classifier: a leaf points at distribution \(row) of \(dist.rows)")
            }
            for c in 0..<k {
                classTrees.append(leaf.tree)
                classNodes.append(leaf.node)
                classIds.append(Int64(c))
                weights.append(dist[row, c] * perTree)
            }
        }
        let outs = graph.add(
            "TreeEnsembleClassifier", [features], domain: "ai.onnx.ml", outputs: 2,
            [
                ("post_transform", .string("NONE")),
                ("classlabels_int64s", .ints((0..<Int64(k)).map { $0 })),
            ] + e.nodeAttributes + [
                ("class_treeids", .ints(classTrees)),
                ("class_nodeids", .ints(classNodes)),
                ("class_ids", .ints(classIds)),
                ("class_weights_as_tensor", .tensor(.doubles("class_weights", weights))),
            ])
        return .classification(probabilities: outs[1], elementType: .float)
    }
}

/// The `nodes_*` attributes shared by TreeEnsembleRegressor and TreeEnsembleClassifier, from trees
/// stored one after another in pre-order (`starts`: where each begins), and the leaves in that order.
struct TreeEnsembleNodes {
    struct Leaf { var tree: Int64; var node: Int64; var value: Double }

    private(set) var nodeAttributes: [(String, ONNX.Attribute)] = []
    private(set) var leaves: [Leaf] = []

    init(_ nodes: [TreeNode], starts: [Int]) {
        let n = nodes.count
        var treeIds = [Int64](), nodeIds = [Int64](), featureIds = [Int64](), modes = [String]()
        var values = [Double](), trueIds = [Int64](), falseIds = [Int64]()
        treeIds.reserveCapacity(n); nodeIds.reserveCapacity(n); featureIds.reserveCapacity(n); modes.reserveCapacity(n)
        values.reserveCapacity(n); trueIds.reserveCapacity(n); falseIds.reserveCapacity(n)
        for t in starts.indices {
            let lo = starts[t], hi = t + 1 < starts.count ? starts[t + 1] : n
            for i in lo..<hi {
                let node = nodes[i], k = Int64(i - lo)
                treeIds.append(Int64(t))
                nodeIds.append(k)
                if node.feature >= 0 {
                    featureIds.append(Int64(node.feature))
                    modes.append("BRANCH_LEQ")
                    values.append(node.value)
                    trueIds.append(k + 1)
                    falseIds.append(Int64(node.right))
                } else {
                    featureIds.append(0)
                    modes.append("LEAF")
                    values.append(0)
                    trueIds.append(0)
                    falseIds.append(0)
                    leaves.append(Leaf(tree: Int64(t), node: k, value: node.value))
                }
            }
        }
        nodeAttributes = [
            ("nodes_treeids", .ints(treeIds)),
            ("nodes_nodeids", .ints(nodeIds)),
            ("nodes_featureids", .ints(featureIds)),
            ("nodes_modes", .strings(modes)),
            ("nodes_values_as_tensor", .tensor(.doubles("nodes_values", values))),
            ("nodes_truenodeids", .ints(trueIds)),
            ("nodes_falsenodeids", .ints(falseIds)),
        ]
    }
}
