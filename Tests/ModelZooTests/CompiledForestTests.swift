import Testing

@testable import ModelZoo

/// The compiled walk (ranks, paired layout, the C kernel) against the plain pre-order walk of the
/// grown trees: every row, every tree, the same leaf, so the sums are equal to the last bit.
@Suite struct CompiledForestTests {
    /// A forest of deep and shallow trees on `p` features with few distinct values (many ties, and
    /// query values exactly at thresholds), and rows to predict: the training rows, every threshold
    /// itself, values between and beyond them.
    static func forest(trees: Int, rows n: Int, features p: Int, maxDepth: Int?) -> (nodes: [TreeNode], starts: [Int], queries: Matrix) {
        var rng = SplitMix64(seed: 402)
        let x = Matrix(rows: n, cols: p, values: (0..<n * p).map { _ in Double(rng.below(40)) / 4 })
        let y = (0..<n).map { r in (x[r, 0] * 3).rounded(.down) + x[r, p - 1] * x[r, p / 2] + rng.uniform() }
        let grower = TreeGrower(
            data: PresortedColumns(x), limits: TreeLimits(maxDepth: maxDepth, minSamplesSplit: 2, minSamplesLeaf: 1),
            featuresPerSplit: max(1, p / 2))
        let ensemble = TreeEnsemble(trees: trees, seed: 7, bootstrap: true, keepInBag: false)
        let grown = ensemble.grow(progress: { _ in }) { t in
            var sample = ensemble.sample(t, rows: n, featureSampling: true)
            return grower.regressionTree(y: y, weight: sample.weight, rng: &sample.rng)
        }
        let (nodes, starts) = TreeEnsemble.concatenated(grown.map { $0.nodes })
        let thresholds = Set(nodes.filter { $0.feature >= 0 }.map { $0.value }).sorted()
        let probes = thresholds + thresholds.map { $0.nextUp } + thresholds.map { $0.nextDown } + [-1e300, 1e300, -0.0, 99]
        var queries = x.values
        for (k, v) in probes.enumerated() {
            for f in 0..<p { queries.append(f == k % p ? v : probes[(k * 7 + f) % probes.count]) }
        }
        return (nodes, starts, Matrix(rows: queries.count / p, cols: p, values: queries))
    }

    @Test(arguments: [(1, 200, 1, nil), (25, 700, 6, nil), (9, 500, 3, 2), (4, 64, 2, 0)] as [(Int, Int, Int, Int?)])
    func walkReachesThePlainWalksLeaf(trees: Int, rows: Int, features p: Int, maxDepth: Int?) throws {
        let (nodes, starts, q) = Self.forest(trees: trees, rows: rows, features: p, maxDepth: maxDepth)
        let compiled = try CompiledForest(columns: ForestColumns(nodes: nodes, starts: starts, features: p), features: p)
        var expected = [Double](repeating: 0, count: q.rows)
        nodes.withUnsafeBufferPointer { N in
            q.values.withUnsafeBufferPointer { X in
                for r in 0..<q.rows {
                    for s in starts { expected[r] += TreeNode.walk(N.baseAddress! + s, X.baseAddress! + r * p) }
                }
            }
        }
        // Ranges that are not multiples of the kernel's eight rows, and one that starts mid-matrix.
        for (lo, hi) in [(0, q.rows), (3, q.rows - 2), (5, 12), (q.rows - 1, q.rows)] where lo < hi {
            var got = [Double](repeating: 0, count: q.rows)
            q.values.withUnsafeBufferPointer { X in
                got.withUnsafeMutableBufferPointer { compiled.accumulate(X.baseAddress!, p: p, lo: lo, hi: hi, into: $0.baseAddress!) }
            }
            #expect(Array(got[lo..<hi]) == Array(expected[lo..<hi]), "rows \(lo)..<\(hi)")
            #expect(got[..<lo].allSatisfy { $0 == 0 } && got[hi...].allSatisfy { $0 == 0 })
        }
        #expect(compiled.nodeCount == nodes.count)
        #expect(compiled.depths.max()! >= (maxDepth ?? 3))
    }
}
