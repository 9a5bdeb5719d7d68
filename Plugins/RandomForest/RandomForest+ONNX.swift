import ModelZoo

/// The forest as one ai.onnx.ml TreeEnsembleRegressor (opset 3): thresholds and leaf values as
/// double tensors (`nodes_values_as_tensor`, `target_weights_as_tensor`), so every split compares
/// exactly as `x ≤ threshold` does here; AVERAGE over the trees. Node ids are each tree's pre-order
/// positions: a split's true (≤) child is the next node, its false child the stored right child.
/// The operator's output is float32 (the exporter casts it back to double).
extension RandomForest: ONNXExportable {
    public func onnxHead(_ graph: inout ONNXGraphBuilder, features: String, width: Int) throws -> ONNXHead {
        guard columns != nil else { throw ZooError.notFitted(kind: Self.info.kind) }
        let (nodes, starts) = trees
        let n = nodes.count
        var treeIds = [Int64](), nodeIds = [Int64](), featureIds = [Int64](), modes = [String]()
        var values = [Double](), trueIds = [Int64](), falseIds = [Int64]()
        var targetTree = [Int64](), targetNode = [Int64](), targetWeights = [Double]()
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
                    targetTree.append(Int64(t))
                    targetNode.append(k)
                    targetWeights.append(node.value)
                }
            }
        }
        let out = graph.add("TreeEnsembleRegressor", [features], domain: "ai.onnx.ml", [
            ("aggregate_function", .string("AVERAGE")),
            ("n_targets", .int(1)),
            ("post_transform", .string("NONE")),
            ("nodes_treeids", .ints(treeIds)),
            ("nodes_nodeids", .ints(nodeIds)),
            ("nodes_featureids", .ints(featureIds)),
            ("nodes_modes", .strings(modes)),
            ("nodes_values_as_tensor", .tensor(.doubles("nodes_values", values))),
            ("nodes_truenodeids", .ints(trueIds)),
            ("nodes_falsenodeids", .ints(falseIds)),
            ("target_ids", .ints([Int64](repeating: 0, count: targetNode.count))),
            ("target_treeids", .ints(targetTree)),
            ("target_nodeids", .ints(targetNode)),
            ("target_weights_as_tensor", .tensor(.doubles("target_weights", targetWeights))),
        ])
        return .regression(output: out, elementType: .float)
    }
}
