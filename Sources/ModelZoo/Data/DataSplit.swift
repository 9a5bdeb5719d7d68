/// Which usable rows train and which are held out for test metrics: a seeded shuffle, then the
/// first `ceil(fraction × rows)` rows (at least one, and never all) are the test split.
public struct DataSplit: Sendable, Equatable {
    /// File row indices, in the shuffled order training sees them.
    public let train: [Int]
    public let test: [Int]

    public init(rows usable: [Int], testFraction: Double, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var order = usable
        rng.shuffle(&order)
        var nTest = Int((Double(order.count) * testFraction).rounded(.up))
        nTest = testFraction > 0 ? min(max(nTest, 1), order.count - 1) : 0
        test = Array(order[..<nTest])
        train = Array(order[nTest...])
    }

    /// Where each of `rowCount` file rows goes: training row i (slot i), test row j (slot −2 − j), or
    /// nowhere (−1). Passes over the file read it in order (cache-friendly) and scatter through this.
    public func slots(rowCount: Int) -> [Int32] {
        var slot = [Int32](repeating: -1, count: rowCount)
        for (i, r) in train.enumerated() { slot[r] = Int32(i) }
        for (j, r) in test.enumerated() { slot[r] = -2 - Int32(j) }
        return slot
    }
}
