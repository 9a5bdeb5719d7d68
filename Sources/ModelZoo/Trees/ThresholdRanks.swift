import CZooKernels

/// Each feature's sorted distinct thresholds, and a row value's rank among them (see `CompiledForest`),
/// with a guide per feature of many thresholds: equal buckets between its first and last threshold,
/// each knowing the thresholds below it, so a rank searches one bucket instead of every threshold.
/// The branch-free binary search over BMI's ~3,000 weight thresholds was a dozen dependent loads a
/// row and 9% of `zoo predict` with the 100-tree category forest.
struct ThresholdRanks: Sendable {
    /// Feature f's sorted distinct thresholds: `thresholds[offsets[f] ..< offsets[f+1]]`.
    let thresholds: [Double]
    let offsets: [Int64]
    let guides: [zoo_rank_guide]
    let guideBounds: [Int32]

    /// Fewer thresholds than this are searched whole (a few halvings).
    static let guidedFrom = 32
    /// At most this many buckets a feature (4 bytes each).
    static let maxBuckets = 4096

    init(thresholds: [Double], offsets: [Int64]) {
        self.thresholds = thresholds
        self.offsets = offsets
        var guides: [zoo_rank_guide] = [], bounds: [Int32] = []
        thresholds.withUnsafeBufferPointer { T in
            for f in 0..<(offsets.count - 1) {
                let lo = Int(offsets[f]), m = Int(offsets[f + 1]) - lo
                var guide = zoo_rank_guide(lo: 0, scale: 0, offset: Int64(bounds.count), buckets: 0)
                let first = m > 0 ? T[lo] : 0, span = m > 0 ? T[lo + m - 1] - first : 0
                // A span that overflows or is zero gets no guide (its buckets would not divide it).
                if m >= Self.guidedFrom, span > 0, span.isFinite {
                    // About one threshold a bucket (a power of two at least m, at most maxBuckets).
                    let buckets = min(Self.maxBuckets, 1 << (Int.bitWidth - (m - 1).leadingZeroBitCount))
                    guide = zoo_rank_guide(lo: first, scale: Double(buckets) / span, offset: Int64(bounds.count), buckets: Int64(buckets))
                    let at = bounds.count
                    bounds += [Int32](repeating: 0, count: buckets + 1)
                    bounds.withUnsafeMutableBufferPointer { B in
                        zoo_forest_rank_guide(T.baseAddress! + lo, Int64(m), Int64(buckets), first, guide.scale, B.baseAddress! + at)
                    }
                }
                guides.append(guide)
            }
        }
        self.guides = guides
        guideBounds = bounds
    }

    /// The ranks of rows `lo..<hi` of `x` (row-major, `p` a row) in the walk's layout (see
    /// `CompiledForest.ranks`).
    func ranks(_ x: UnsafePointer<Double>, p: Int, lo: Int, hi: Int) -> [Int32] {
        let n = hi - lo, count = CompiledForest.padded(n) * p
        return [Int32](unsafeUninitializedCapacity: count) { ranks, initialized in
            thresholds.withUnsafeBufferPointer { T in
                offsets.withUnsafeBufferPointer { O in
                    guides.withUnsafeBufferPointer { G in
                        guideBounds.withUnsafeBufferPointer { B in
                            zoo_forest_ranks(
                                x + lo * p, Int64(p), Int64(n), T.baseAddress, O.baseAddress, G.baseAddress, B.baseAddress,
                                ranks.baseAddress)
                        }
                    }
                }
            }
            initialized = count
        }
    }
}
