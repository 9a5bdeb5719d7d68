/// scikit-learn's `KFold(n_splits: k)` without shuffling: consecutive blocks of the rows in the
/// order given, the first `n % k` blocks one row longer. With `groups` (one id per training row, a
/// grouped split's groups) it is `GroupKFold`: whole groups, largest first, each to the fold with
/// the fewest rows so far, so a group never straddles a fold. With `labels` (a classifier's class
/// index per training row) and no groups it is `StratifiedKFold`, GridSearchCV's default for classifiers.
public struct KFold: Sendable, Equatable {
    public let k: Int
    public let groups: [Int]?
    public let labels: [Int]?

    public init(_ k: Int, groups: [Int]? = nil, labels: [Int]? = nil) {
        self.k = k
        self.groups = groups
        self.labels = labels
    }

    /// (training, validation) indices of fold `i` over the first `n` rows: stratified when labelled
    /// and ungrouped (which throws when no class has `k` rows), else `fold(_:of:)`.
    public func split(_ i: Int, of n: Int) throws -> (train: [Int], validation: [Int]) {
        if let labels, groups == nil { return try StratifiedKFold(k, labels: labels).fold(i, of: n) }
        return fold(i, of: n)
    }

    /// The validation block of each fold, as index ranges into `0..<n` (ungrouped folds).
    public func validationRanges(_ n: Int) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for i in 0..<k {
            let size = n / k + (i < n % k ? 1 : 0)
            out.append(start..<(start + size))
            start += size
        }
        return out
    }

    /// (training, validation) indices of fold `i` over the first `n` rows, each in the rows' order.
    public func fold(_ i: Int, of n: Int) -> (train: [Int], validation: [Int]) {
        guard let groups else {
            let v = validationRanges(n)[i]
            return (Array(0..<v.lowerBound) + Array(v.upperBound..<n), Array(v))
        }
        let foldOf = Self.groupFolds(Array(groups.prefix(n)), k: k)
        var train: [Int] = [], validation: [Int] = []
        for r in 0..<n { if foldOf[groups[r]] == i { validation.append(r) } else { train.append(r) } }
        return (train, validation)
    }

    /// The fold of each group id (GroupKFold's assignment: by size, largest first, ties by id).
    static func groupFolds(_ groups: [Int], k: Int) -> [Int: Int] {
        var sizes: [Int: Int] = [:]
        for g in groups { sizes[g, default: 0] += 1 }
        var load = [Int](repeating: 0, count: k), out: [Int: Int] = [:]
        for g in sizes.keys.sorted(by: { (sizes[$0]!, -$0) > (sizes[$1]!, -$1) }) {
            let lightest = load.indices.min { (load[$0], $0) < (load[$1], $1) }!
            out[g] = lightest
            load[lightest] += sizes[g]!
        }
        return out
    }

    /// Groups among the first `n` rows (nil when ungrouped).
    func groupCount(_ n: Int) -> Int? { groups.map { Set($0.prefix(n)).count } }
}
