import CZooKernels

extension CompiledForest {
    /// Adds, for rows `lo..<hi` of `x`, every tree's leaf class distribution into `out` (row-major,
    /// `k` columns, row r at `out + (r - lo) * k`): a forest classifier's leaf keys index
    /// `distributions` (`k` values a key). The same lockstep walk as `accumulate`.
    public func accumulateDistributions(
        _ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int, distributions: UnsafePointer<Double>, k: Int,
        into out: UnsafeMutablePointer<Double>
    ) {
        walk(x, p: p, lo: lo, hi: hi) { keys, n in zoo_forest_add_leaf_rows(keys, Int64(n), distributions, Int64(k), out) }
    }
}
