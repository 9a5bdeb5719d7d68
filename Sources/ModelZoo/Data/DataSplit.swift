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

    /// A stratified split: every class (`strata`, one per usable row) gives the same share of its
    /// rows to the test split, the total as the plain split's; the remainder goes to the classes
    /// with the largest fractional shares (ties: the larger class, then the lower index). Both
    /// splits are then shuffled (seeded), as scikit-learn's `train_test_split(stratify=y)` does.
    public init(rows usable: [Int], testFraction: Double, seed: UInt64, strata: [Int]) {
        precondition(strata.count == usable.count)
        var rng = SplitMix64(seed: seed)
        var nTest = Int((Double(usable.count) * testFraction).rounded(.up))
        nTest = testFraction > 0 ? min(max(nTest, 1), usable.count - 1) : 0
        let k = (strata.max() ?? 0) + 1
        var members = [[Int]](repeating: [], count: k)
        for (i, s) in strata.enumerated() { members[s].append(usable[i]) }
        let exact = members.map { Double($0.count) * Double(nTest) / Double(usable.count) }
        var take = exact.map { Int($0.rounded(.down)) }
        let order = (0..<k).sorted { a, b in
            let fa = exact[a] - Double(take[a]), fb = exact[b] - Double(take[b])
            return fa != fb ? fa > fb : members[a].count != members[b].count ? members[a].count > members[b].count : a < b
        }
        var left = nTest - take.reduce(0, +)
        for c in order where left > 0 && take[c] < members[c].count { take[c] += 1; left -= 1 }
        var test: [Int] = [], train: [Int] = []
        for c in 0..<k {
            rng.shuffle(&members[c])
            test += members[c][..<take[c]]
            train += members[c][take[c]...]
        }
        rng.shuffle(&test)
        rng.shuffle(&train)
        self.test = test
        self.train = train
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
