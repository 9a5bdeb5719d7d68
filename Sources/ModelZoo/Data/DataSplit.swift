/// Which usable rows train and which are held out for test metrics. Random: a seeded shuffle, then
/// the first `ceil(fraction × rows)` rows (at least one, and never all) are the test split.
/// Stratified and grouped splits deal strata or groups instead (see `SplitStrategy`).
public struct DataSplit: Sendable, Equatable {
    /// File row indices, in the shuffled order training sees them.
    public let train: [Int]
    public let test: [Int]

    public init(rows usable: consuming [Int], testFraction: Double, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var order = usable
        rng.shuffle(&order)
        let nTest = Self.testCount(order.count, testFraction)
        test = Array(order[..<nTest])
        // The training rows stay in the shuffled buffer (a copy of them was 64 MB of the peak of
        // preparing 10,000,000 rows).
        order.removeFirst(nTest)
        train = order
    }

    init(train: [Int], test: [Int]) {
        self.train = train
        self.test = test
    }

    /// Test rows for `n` usable rows: `ceil(fraction × n)`, at least one and at most n − 1 (0 for fraction 0).
    static func testCount(_ n: Int, _ fraction: Double) -> Int {
        let k = Int((Double(n) * fraction).rounded(.up))
        return fraction > 0 ? min(max(k, 1), n - 1) : 0
    }

    /// Every stratum (`strata[i]` is usable row i's: a class, a level, a quantile bin) gives the test
    /// split its share of `ceil(fraction × n)`; the remainder goes to the strata with the largest
    /// fractional shares (ties: the larger stratum, then the lower key). Both sides are then shuffled
    /// (seeded), as scikit-learn's `train_test_split(stratify=y)` does.
    public static func stratified(rows usable: [Int], strata: [Int], testFraction: Double, seed: UInt64) -> DataSplit {
        var rng = SplitMix64(seed: seed)
        let nTest = testCount(usable.count, testFraction)
        var members: [Int: [Int]] = [:]
        for (k, s) in strata.enumerated() { members[s, default: []].append(usable[k]) }
        let keys = members.keys.sorted()
        let exact = keys.map { Double(members[$0]!.count) * Double(nTest) / Double(max(usable.count, 1)) }
        var quota = exact.map { Int($0.rounded(.down)) }
        let size = keys.map { members[$0]!.count }
        let byRemainder = keys.indices.sorted { a, b in
            let fa = exact[a] - Double(quota[a]), fb = exact[b] - Double(quota[b])
            return fa != fb ? fa > fb : size[a] != size[b] ? size[a] > size[b] : a < b
        }
        var left = nTest - quota.reduce(0, +)
        for i in byRemainder where left > 0 && quota[i] < size[i] { quota[i] += 1; left -= 1 }
        var train: [Int] = [], test: [Int] = []
        for (i, key) in keys.enumerated() {
            var rows = members[key]!
            rng.shuffle(&rows)
            test += rows[..<quota[i]]
            train += rows[quota[i]...]
        }
        rng.shuffle(&test)
        rng.shuffle(&train)
        return DataSplit(train: train, test: test)
    }

    /// Whole groups (`groups[i]` is usable row i's) go to the test split in a seeded order until it
    /// holds at least `ceil(fraction × n)` rows; at least one group, never all of them.
    public static func grouped(rows usable: [Int], groups: [Int], testFraction: Double, seed: UInt64) throws -> DataSplit {
        var rng = SplitMix64(seed: seed)
        let nTest = testCount(usable.count, testFraction)
        var members: [Int: [Int]] = [:]
        for (k, g) in groups.enumerated() { members[g, default: []].append(usable[k]) }
        var order = members.keys.sorted()
        guard nTest == 0 || order.count >= 2 else {
            throw ZooError.insufficientData("the group column has one value only: a grouped split needs at least two groups")
        }
        rng.shuffle(&order)
        var test: [Int] = [], taken = 0
        while nTest > 0 && test.count < nTest && taken < order.count - 1 {
            test += members[order[taken]]!
            taken += 1
        }
        var train = order[taken...].flatMap { members[$0]! }
        test.sort()
        train.sort()
        rng.shuffle(&test)
        rng.shuffle(&train)
        return DataSplit(train: train, test: test)
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
