/// A prediction-only layout of a forest that walks many rows through one tree in lockstep.
///
/// - Thresholds become ranks: each feature's distinct thresholds are sorted once, a row's value
///   becomes its rank among them (one binary search per feature per row), and `x ≤ t_k` is exactly
///   `rank(x) ≤ k`, an integer compare.
/// - A node is four 32-bit words `[key, left, right, feature]`, and the next node is the word
///   `1 + (rank > key)`: an indexed load, not a choice. Written as a choice (`?:` or a mask), the
///   compiler turns it back into a jump, and which child comes next is a coin toss to the branch
///   predictor; measured, the load is 3× faster.
/// - A leaf is its own left and right child (its key is the index of its value in `values`), so
///   every row takes exactly `depth` steps without testing whether it arrived; walking a block of
///   rows together keeps many independent loads in flight.
public struct CompiledForest: Sendable {
    /// Four words per node, tree t's nodes from `starts[t]`; child links are relative to the tree's start.
    let nodes: [UInt32]
    /// Distinct leaf predictions (the file's `values` column).
    let leafValues: [Double]
    public let starts: [Int]
    public let depths: [Int]
    /// Feature f's sorted distinct thresholds: `thresholds[offsets[f] ..< offsets[f+1]]`.
    let thresholds: [Double]
    let offsets: [Int]
    let features: Int

    public var nodeCount: Int { nodes.count / 4 }

    /// Builds the layout from a forest's columns (fitted, or read from a file), trees in parallel,
    /// checking the structure as it goes: a tree that ends inside a split, or runs on after its last
    /// leaf, is an `NNMError` (the columns' counts and index ranges were checked when read).
    /// Where each tree starts in the node column and in the split column: prefix sums of node counts
    /// and of the split bits in each tree's range (its leaves start at node start − split start).
    static func treeOffsets(_ c: ForestColumns) -> (starts: [Int], firstSplit: [Int], total: Int) {
        let trees = c.treeNodes.count
        var starts = [Int](repeating: 0, count: trees), firstSplit = [Int](repeating: 0, count: trees)
        var total = 0, splits = 0
        c.shape.withUnsafeBufferPointer { bits in
            for t in 0..<trees {
                starts[t] = total
                firstSplit[t] = splits
                var i = total
                let end = total + Int(c.treeNodes[t])
                while i < end && i & 7 != 0 { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                while i + 8 <= end { splits += bits[i >> 3].nonzeroBitCount; i += 8 }
                while i < end { splits += Int(bits[i >> 3] >> (i & 7) & 1); i += 1 }
                total = end
            }
        }
        return (starts, firstSplit, total)
    }

    public init(columns c: ForestColumns, features: Int) throws {
        // Leaves read feature 0's rank (and ignore it): there must be one.
        guard features >= 1 else {
            throw NNMError.invalidValue(tensor: "forest.threshold_offsets", reason: "a forest needs at least one feature")
        }
        let trees = c.treeNodes.count
        let (starts, firstSplit, total) = Self.treeOffsets(c)
        var depths = [Int](repeating: 0, count: trees)
        var failures = [NNMError?](repeating: nil, count: trees)
        // Every word is written by exactly one tree's task below (trees tile the node range).
        var built = [UInt32](unsafeUninitializedCapacity: 4 * total) { _, initialized in initialized = 4 * total }
        built.withUnsafeMutableBufferPointer { out in
            depths.withUnsafeMutableBufferPointer { dep in
                failures.withUnsafeMutableBufferPointer { fail in
                    c.shape.withUnsafeBufferPointer { bits in
                        c.splitFeature.withUnsafeBufferPointer { sf in
                            c.splitThreshold.withUnsafeBufferPointer { st in
                                c.leafIndex.withUnsafeBufferPointer { li in
                                    Parallel.forEach(trees) { t in
                                        let start = starts[t], n = Int(c.treeNodes[t])
                                        let tree = out.baseAddress! + 4 * start
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
                                                    fail[t] = .invalidValue(
                                                        tensor: "forest.shape", reason: "tree \(t) has nodes after its last leaf")
                                                    return
                                                }
                                                tree[4 * Int(parent) + 2] = UInt32(k)
                                                depth = depthOf.removeLast() + 1
                                            } else if k > 0 {
                                                depth += 1
                                            }
                                            maxDepth = max(maxDepth, depth)
                                            guard maxDepth <= ForestColumns.maxDepth else {
                                                fail[t] = .invalidValue(
                                                    tensor: "forest.shape",
                                                    reason: "tree \(t) is deeper than \(ForestColumns.maxDepth) levels")
                                                return
                                            }
                                            let node = tree + 4 * k
                                            if bits[i >> 3] >> (i & 7) & 1 == 1 {
                                                node[0] = st[s]
                                                node[1] = UInt32(k + 1)
                                                node[3] = sf[s]
                                                pending.append(Int32(k))
                                                depthOf.append(depth)
                                                s += 1
                                                previousWasLeaf = false
                                            } else {
                                                node[0] = li[l]
                                                node[1] = UInt32(k)
                                                node[2] = UInt32(k)
                                                node[3] = 0
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
        if let failure = failures.compactMap({ $0 }).first { throw failure }
        let levels = depths.reduce(0, +)
        guard levels <= ForestColumns.maxTotalDepth else {
            throw NNMError.invalidValue(
                tensor: "forest.shape",
                reason: "the trees' depths add up to \(levels) levels a row, over the \(ForestColumns.maxTotalDepth) a file may hold")
        }
        nodes = built
        leafValues = c.values
        self.starts = starts
        self.depths = depths
        thresholds = c.thresholds
        offsets = c.offsets.map { Int($0) }
        self.features = features
    }

    /// The ranks of rows `lo..<hi` of `x` among each feature's thresholds (row-major, `p` a row):
    /// the position of the first threshold ≥ the value, so `x ≤ t_k` is `rank ≤ k`.
    func ranks(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int) -> [Int32] {
        let n = hi - lo
        var ranks = [Int32](repeating: 0, count: n * p)
        thresholds.withUnsafeBufferPointer { T in
            for f in 0..<p {
                let a = offsets[f], b = offsets[f + 1]
                for r in 0..<n {
                    let v = x[(lo + r) * p + f]
                    var l = a, h = b
                    while l < h {
                        let m = (l + h) >> 1
                        if T[m] < v { l = m + 1 } else { h = m }
                    }
                    ranks[r * p + f] = Int32(l - a)
                }
            }
        }
        return ranks
    }

    /// Adds every tree's prediction for rows `lo..<hi` of `x` (row-major, `p` columns) into `out`.
    public func accumulate(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, into out: UnsafeMutablePointer<Double>) {
        leafValues.withUnsafeBufferPointer { V in
            let values = V.baseAddress!
            walk(x, p: p, lo: lo, hi: hi) { r, key in out[lo + r] += values[key] }
        }
    }

    /// Walks rows `lo..<hi` of `x` through every tree, tree by tree, and calls `leaf(r, key)` with the
    /// row's offset from `lo` and the key of the leaf it reached (rows in order within a tree, so each
    /// row's sum over the trees is added in tree order, as a row-by-row walk would).
    @inline(__always)
    func walk(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, leaf: (_ r: Int, _ key: Int) -> Void) {
        let n = hi - lo
        let ranks = ranks(x, p: p, lo: lo, hi: hi)
        nodes.withUnsafeBufferPointer { N in
            ranks.withUnsafeBufferPointer { R in
                let rank = R.baseAddress!
                for t in 0..<starts.count {
                    let root = N.baseAddress! + 4 * starts[t]
                    let depth = depths[t]
                    // One level for the row whose ranks start at `row`: the child word is picked by
                    // the comparison's 0/1 result as an address offset.
                    @inline(__always) func step(_ i: Int, _ row: UnsafePointer<Int32>) -> Int {
                        let node = root + (i &<< 2)
                        let bit = row[Int(node[3])] > Int32(bitPattern: node[0]) ? 2 : 1
                        return Int(node[bit])
                    }
                    @inline(__always) func key(_ i: Int) -> Int { Int(root[i &<< 2]) }
                    var r = 0
                    while r + 8 <= n {
                        let row = rank + r &* p
                        let r0 = row, r1 = row + p, r2 = row + 2 &* p, r3 = row + 3 &* p
                        let r4 = row + 4 &* p, r5 = row + 5 &* p, r6 = row + 6 &* p, r7 = row + 7 &* p
                        var i0 = 0, i1 = 0, i2 = 0, i3 = 0, i4 = 0, i5 = 0, i6 = 0, i7 = 0
                        for _ in 0..<depth {
                            i0 = step(i0, r0); i1 = step(i1, r1); i2 = step(i2, r2); i3 = step(i3, r3)
                            i4 = step(i4, r4); i5 = step(i5, r5); i6 = step(i6, r6); i7 = step(i7, r7)
                        }
                        leaf(r, key(i0)); leaf(r + 1, key(i1)); leaf(r + 2, key(i2)); leaf(r + 3, key(i3))
                        leaf(r + 4, key(i4)); leaf(r + 5, key(i5)); leaf(r + 6, key(i6)); leaf(r + 7, key(i7))
                        r += 8
                    }
                    while r < n {
                        var i = 0
                        for _ in 0..<depth { i = step(i, rank + r &* p) }
                        leaf(r, key(i))
                        r += 1
                    }
                }
            }
        }
    }
}
