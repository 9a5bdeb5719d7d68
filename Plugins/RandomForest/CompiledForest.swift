import ModelZoo

/// A prediction-only layout of a forest that walks many rows through one tree in lockstep.
///
/// - Thresholds become ranks: each feature's distinct thresholds are sorted once, a row's value
///   becomes its rank among them (one binary search per feature per row), and `x ≤ t_k` is exactly
///   `rank(x) ≤ k`. A node then fits 8 bytes (rank key, feature and right child packed), half the
///   memory traffic of a (Double, Int32, Int32) node.
/// - A leaf points to itself with key −1 (`rank ≤ −1` is never true, so the walk "goes right" to the
///   same node), so every row takes exactly `depth` steps without branching on whether it arrived;
///   walking a block of rows together keeps many independent loads in flight.
struct CompiledForest: Sendable {
    struct Node { var key: Int32; var link: UInt32 }  // link = feature << 24 | right

    let nodes: [Node]
    let leafValues: [Double]
    let starts: [Int]
    let depths: [Int]
    /// Feature f's sorted distinct thresholds: `thresholds[offsets[f] ..< offsets[f+1]]`.
    let thresholds: [Double]
    let offsets: [Int]
    let features: Int

    /// Builds the layout from a forest's columns (fitted, or read from a file), trees in parallel,
    /// checking the structure as it goes (the same checks as `ForestColumns.trees()`). Returns nil when
    /// the packing does not fit (≥ 256 features or a tree of ≥ 2²⁴ nodes).
    init?(columns c: ForestColumns, features: Int) throws {
        guard features <= 256, c.treeNodes.allSatisfy({ $0 < 1 << 24 }) else { return nil }
        let trees = c.treeNodes.count
        // Where each tree starts in the node, split and leaf columns: prefix sums of node counts and
        // of the split bits in each tree's range.
        var starts = [Int](repeating: 0, count: trees), firstSplit = [Int](repeating: 0, count: trees)
        var total = 0, splits = 0
        c.shape.withUnsafeBufferPointer { bits in
            for t in 0..<trees {
                starts[t] = total
                firstSplit[t] = splits
                let n = Int(c.treeNodes[t])
                var i = total
                let end = total + n
                while i < end && i & 7 != 0 { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                while i + 8 <= end { splits += bits[i >> 3].nonzeroBitCount; i += 8 }
                while i < end { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                total = end
            }
        }
        var depths = [Int](repeating: 0, count: trees)
        var failures = [NNMError?](repeating: nil, count: trees)
        var values = [Double](repeating: 0, count: total)
        // Every element is written by exactly one tree's task below (trees tile the node range).
        var built = [Node](unsafeUninitializedCapacity: total) { _, initialized in initialized = total }
        built.withUnsafeMutableBufferPointer { out in
            values.withUnsafeMutableBufferPointer { vals in
                depths.withUnsafeMutableBufferPointer { dep in
                    failures.withUnsafeMutableBufferPointer { fail in
                        c.shape.withUnsafeBufferPointer { bits in
                            c.splitFeature.withUnsafeBufferPointer { sf in
                                c.splitThreshold.withUnsafeBufferPointer { st in
                                    c.leafIndex.withUnsafeBufferPointer { li in
                                        c.values.withUnsafeBufferPointer { va in
                                            Parallel.forEach(trees) { t in
                                                let start = starts[t], n = Int(c.treeNodes[t])
                                                var s = firstSplit[t], l = start - firstSplit[t]
                                                var pending: [Int32] = [], depthOf: [Int32] = []
                                                pending.reserveCapacity(64)
                                                depthOf.reserveCapacity(64)
                                                var depth: Int32 = 0, maxDepth: Int32 = 0
                                                var previousWasLeaf = false
                                                for k in 0..<n {
                                                    let i = start + k
                                                    if k > 0 && previousWasLeaf {
                                                        // After a leaf comes the right child of the innermost open split.
                                                        guard let parent = pending.popLast() else {
                                                            fail[t] = .invalidValue(tensor: "forest.shape", reason: "tree \(t) has nodes after its last leaf")
                                                            return
                                                        }
                                                        out[start + Int(parent)].link |= UInt32(k)
                                                        depth = depthOf.removeLast() + 1
                                                    } else if k > 0 {
                                                        depth += 1
                                                    }
                                                    maxDepth = max(maxDepth, depth)
                                                    if bits[i >> 3] >> (i & 7) & 1 == 1 {
                                                        out[i] = Node(key: Int32(st[s]), link: sf[s] << 24)
                                                        pending.append(Int32(k))
                                                        depthOf.append(depth)
                                                        s += 1
                                                        previousWasLeaf = false
                                                    } else {
                                                        out[i] = Node(key: -1, link: UInt32(k))
                                                        vals[i] = va[Int(li[l])]
                                                        l += 1
                                                        previousWasLeaf = true
                                                    }
                                                }
                                                guard pending.isEmpty, previousWasLeaf else {
                                                    fail[t] = .invalidValue(tensor: "forest.shape", reason: "tree \(t) ends inside a split")
                                                    return
                                                }
                                                dep[t] = Int(maxDepth)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        nodes = built
        leafValues = values
        self.starts = starts
        self.depths = depths
        thresholds = c.thresholds
        offsets = c.offsets.map { Int($0) }
        self.features = features
    }

    /// Adds every tree's prediction for rows `lo..<hi` of `x` (row-major, `p` columns) into `out`.
    func accumulate(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, into out: UnsafeMutablePointer<Double>) {
        let n = hi - lo
        // Ranks of this slice's values among each feature's thresholds.
        var ranks = [Int32](repeating: 0, count: n * p)
        thresholds.withUnsafeBufferPointer { T in
            for f in 0..<p {
                let a = offsets[f], b = offsets[f + 1]
                for r in 0..<n {
                    let v = x[(lo + r) * p + f]
                    var l = a, h = b  // first threshold ≥ v; rank = its position
                    while l < h {
                        let m = (l + h) >> 1
                        if T[m] < v { l = m + 1 } else { h = m }
                    }
                    ranks[r * p + f] = Int32(l - a)
                }
            }
        }
        nodes.withUnsafeBufferPointer { N in
            leafValues.withUnsafeBufferPointer { V in
                ranks.withUnsafeBufferPointer { R in
                    for t in 0..<starts.count {
                        let root = N.baseAddress! + starts[t]
                        let values = V.baseAddress! + starts[t]
                        let depth = depths[t]
                        var r = 0
                        // Eight rows in registers at a time: eight independent chains of loads in flight.
                        // Branch-free: which child is a coin toss to the branch predictor, so a select by
                        // mask (m = −1 when rank > key) beats a mispredicted jump at every level.
                        @inline(__always) func step(_ i: Int, _ row: Int) -> Int {
                            let node = root[i]
                            let rank = Int64(R[row * p + Int(node.link >> 24)])
                            let m = Int((Int64(node.key) &- rank) >> 63)
                            let left = i + 1, right = Int(node.link & 0xFF_FFFF)
                            return left ^ ((left ^ right) & m)
                        }
                        while r + 8 <= n {
                            var i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0
                            for _ in 0..<depth {
                                i0 = step(i0, r); i1 = step(i1, r + 1); i2 = step(i2, r + 2); i3 = step(i3, r + 3)
                                i4 = step(i4, r + 4); i5 = step(i5, r + 5); i6 = step(i6, r + 6); i7 = step(i7, r + 7)
                            }
                            let o = out + lo + r
                            o[0] += values[i0]; o[1] += values[i1]; o[2] += values[i2]; o[3] += values[i3]
                            o[4] += values[i4]; o[5] += values[i5]; o[6] += values[i6]; o[7] += values[i7]
                            r += 8
                        }
                        while r < n {
                            var i = 0
                            for _ in 0..<depth { i = step(i, r) }
                            out[lo + r] += values[i]
                            r += 1
                        }
                    }
                }
            }
        }
    }
}
