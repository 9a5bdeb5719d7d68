/// A prediction-only layout of a forest that walks many rows through one tree in lockstep.
///
/// A leaf becomes a node that points to itself (threshold −∞, so `x ≤ threshold` is false and the walk
/// "goes right" to the same node), so every row can take exactly `depth` steps without a branch on
/// whether it has arrived. Walking a block of rows together keeps several independent memory loads
/// in flight instead of one dependent chain, which is what bounds tree prediction.
struct CompiledForest: Sendable {
    struct Node { var threshold: Double; var feature: Int32; var right: Int32 }

    let nodes: [Node]
    let leafValues: [Double]
    let starts: [Int]
    let depths: [Int]

    init(nodes source: [TreeNode], starts: [Int]) {
        var out = [Node]()
        out.reserveCapacity(source.count)
        var values = [Double](repeating: 0, count: source.count)
        var depths: [Int] = []
        for t in 0..<starts.count {
            let start = starts[t], end = t + 1 < starts.count ? starts[t + 1] : source.count
            var depth = [Int](repeating: 0, count: end - start)
            var maxDepth = 0
            for k in 0..<(end - start) {
                let n = source[start + k]
                maxDepth = max(maxDepth, depth[k])
                if n.feature >= 0 {
                    out.append(Node(threshold: n.value, feature: n.feature, right: n.right))
                    depth[k + 1] = depth[k] + 1
                    depth[Int(n.right)] = depth[k] + 1
                } else {
                    out.append(Node(threshold: -.infinity, feature: 0, right: Int32(k)))
                    values[start + k] = n.value
                }
            }
            depths.append(maxDepth)
        }
        nodes = out
        leafValues = values
        self.starts = starts
        self.depths = depths
    }

    static let block = 16

    /// Adds every tree's prediction for rows `lo..<hi` of `x` (row-major, `p` columns) into `out`.
    func accumulate(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, into out: UnsafeMutablePointer<Double>) {
        nodes.withUnsafeBufferPointer { N in
            leafValues.withUnsafeBufferPointer { V in
                var idx = [Int](repeating: 0, count: CompiledForest.block)
                idx.withUnsafeMutableBufferPointer { I in
                    for t in 0..<starts.count {
                        let root = N.baseAddress! + starts[t]
                        let values = V.baseAddress! + starts[t]
                        let depth = depths[t]
                        var r = lo
                        while r < hi {
                            let b = min(CompiledForest.block, hi - r)
                            for j in 0..<b { I[j] = 0 }
                            for _ in 0..<depth {
                                for j in 0..<b {
                                    let node = root[I[j]]
                                    let v = x[(r + j) * p + Int(node.feature)]
                                    I[j] = v <= node.threshold ? I[j] + 1 : Int(node.right)
                                }
                            }
                            for j in 0..<b { out[r + j] += values[I[j]] }
                            r += b
                        }
                    }
                }
            }
        }
    }
}
