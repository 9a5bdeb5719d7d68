import Testing

@testable import ModelZoo

/// A guided rank is the plain binary search's rank, value for value: the guide only narrows where to look.
@Suite struct ThresholdRanksTests {
    /// The first index of `t` whose value is not below `v` (NaN: 0), by definition.
    static func plainRank(_ t: ArraySlice<Double>, _ v: Double) -> Int32 {
        guard !v.isNaN else { return 0 }
        return Int32(t.firstIndex { !($0 < v) }.map { $0 - t.startIndex } ?? t.count)
    }

    @Test func guidedRanksEqualTheBinarySearchs() {
        var rng = SplitMix64(seed: 7)
        // Features: few thresholds (no guide), evenly spread, clustered (most in one bucket), a span
        // that overflows, one of exactly `guidedFrom`, and many.
        func evenly(_ count: Int, from start: Double, step: Double) -> [Double] {
            var out: [Double] = []
            for k in 0..<count { out.append(start + Double(k) * step) }
            return out
        }
        let few: [Double] = [0.5, 1.5, 2.5]
        let even = evenly(500, from: -40, step: 0.37)
        let clustered = evenly(390, from: 1, step: 1e-9) + evenly(10, from: 1e6, step: 1)
        let overflowing = evenly(40, from: -1e308, step: 5e306) + [Double.greatestFiniteMagnitude]
        let atTheLimit = evenly(ThresholdRanks.guidedFrom, from: 0, step: 1)
        var many: [Double] = []
        for _ in 0..<9000 { many.append(rng.uniform() * 300 - 100) }
        var features = [few, even, clustered, overflowing, atTheLimit, many]
        features = features.map { Array(Set($0)).sorted() }
        var offsets: [Int64] = [0]
        for f in features { offsets.append(offsets.last! + Int64(f.count)) }
        let ranking = ThresholdRanks(thresholds: features.flatMap { $0 }, offsets: offsets)
        #expect(ranking.guides.map { $0.buckets > 0 } == [false, true, true, false, true, true])
        let p = features.count, n = 12000
        var x = [Double](repeating: 0, count: n * p)
        for r in 0..<n {
            for f in 0..<p {
                let t = features[f]
                switch r % 6 {
                case 0: x[r * p + f] = t[rng.below(t.count)]  // exactly a threshold
                case 1: x[r * p + f] = t[rng.below(t.count)].nextUp
                case 2: x[r * p + f] = t[rng.below(t.count)].nextDown
                case 3: x[r * p + f] = [Double.nan, .infinity, -.infinity, t[0] - 1, t[t.count - 1] + 1, 0][rng.below(6)]
                case 4 where ranking.guides[f].buckets > 0:
                    // At a bucket's edge, where the bucket of a value and the guide's count may round apart.
                    let g = ranking.guides[f], edge = g.lo + Double(rng.below(Int(g.buckets))) / g.scale
                    x[r * p + f] = [edge, edge.nextUp, edge.nextDown][rng.below(3)]
                default: x[r * p + f] = t[0] + (t[t.count - 1] - t[0]) * (rng.uniform() * 1.2 - 0.1)
                }
            }
        }
        let ranks = x.withUnsafeBufferPointer { ranking.ranks($0.baseAddress!, p: p, lo: 0, hi: n) }
        var mismatches = 0
        for r in 0..<n {
            for f in 0..<p {
                let got = ranks[(r >> 3) * 8 * p + f * 8 + (r & 7)]
                if got != Self.plainRank(features[f][...], x[r * p + f]) { mismatches += 1 }
            }
        }
        #expect(mismatches == 0)
    }
}
