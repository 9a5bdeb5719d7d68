extension CompiledForest {
    /// Adds, for rows `lo..<hi` of `x`, every tree's leaf class distribution into `out` (row-major,
    /// `k` columns, row r at `out + (r - lo) * k`): a forest classifier's leaf keys index
    /// `distributions` (`k` values a key). The same lockstep walk as `accumulate`; per row the trees
    /// are added in order, as a row-by-row walk would.
    public func accumulateDistributions(
        _ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, distributions: UnsafePointer<Double>, k: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        let n = hi - lo
        let ranks = ranks(x, p: p, lo: lo, hi: hi)
        nodes.withUnsafeBufferPointer { N in
            ranks.withUnsafeBufferPointer { R in
                let rank = R.baseAddress!
                for t in 0..<starts.count {
                    let root = N.baseAddress! + 4 * starts[t]
                    let depth = depths[t]
                    @inline(__always) func step(_ i: Int, _ row: UnsafePointer<Int32>) -> Int {
                        let node = root + (i &<< 2)
                        let bit = row[Int(node[3])] > Int32(bitPattern: node[0]) ? 2 : 1
                        return Int(node[bit])
                    }
                    @inline(__always) func add(_ r: Int, _ i: Int) {
                        let d = distributions + Int(root[i &<< 2]) &* k, o = out + r &* k
                        for c in 0..<k { o[c] += d[c] }
                    }
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
                        add(r, i0); add(r + 1, i1); add(r + 2, i2); add(r + 3, i3)
                        add(r + 4, i4); add(r + 5, i5); add(r + 6, i6); add(r + 7, i7)
                        r += 8
                    }
                    while r < n {
                        var i = 0
                        for _ in 0..<depth { i = step(i, rank + r &* p) }
                        add(r, i)
                        r += 1
                    }
                }
            }
        }
    }
}
