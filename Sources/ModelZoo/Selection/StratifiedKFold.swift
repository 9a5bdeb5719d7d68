/// scikit-learn's `StratifiedKFold(n_splits: k)` without shuffling (GridSearchCV's default `cv` for a
/// classifier), reproduced fold for fold: classes are numbered in order of first appearance, the
/// rows sorted by that number are dealt round-robin to the folds to fix how many of each class a fold
/// gets, and then each class's rows, in row order, fill fold 0's share, then fold 1's, ...
/// A class with fewer rows than folds is scikit-learn's warning (`smallClassWarning`), not an error;
/// only a k larger than every class (or than the rows) is refused, as scikit-learn refuses it.
public struct StratifiedKFold: Sendable, Equatable {
    public let k: Int
    /// One class index per training row.
    public let labels: [Int]

    public init(_ k: Int, labels: [Int]) {
        self.k = k
        self.labels = labels
    }

    /// The validation fold of each of the first `n` rows (scikit-learn's `test_folds`).
    public func testFolds(_ n: Int) throws -> [Int] {
        let encoded = Self.byFirstAppearance(Array(labels.prefix(n)))
        let classes = (encoded.max() ?? -1) + 1
        var counts = [Int](repeating: 0, count: classes)
        for c in encoded { counts[c] += 1 }
        guard k <= n else { throw ZooError.invalidInput("cannot cut \(k) folds from \(n) rows") }
        guard counts.contains(where: { $0 >= k }) else {
            throw ZooError.invalidInput("\(k) folds is more than the rows of every class (the largest has \(counts.max() ?? 0))")
        }
        // allocation[f][c]: rows of class c in fold f, from dealing the class-sorted rows round-robin.
        var allocation = [[Int]](repeating: [Int](repeating: 0, count: classes), count: k)
        var position = 0
        for c in 0..<classes {
            for _ in 0..<counts[c] { allocation[position % k][c] += 1; position += 1 }
        }
        var next = [Int](repeating: 0, count: classes)  // the fold the class's next row goes to
        var used = [[Int]](repeating: [Int](repeating: 0, count: classes), count: k)
        var out = [Int](repeating: 0, count: encoded.count)
        for (row, c) in encoded.enumerated() {
            while used[next[c]][c] == allocation[next[c]][c] { next[c] += 1 }
            out[row] = next[c]
            used[next[c]][c] += 1
        }
        return out
    }

    /// (training, validation) indices of fold `i` over the first `n` rows, each in the rows' order.
    public func fold(_ i: Int, of n: Int) throws -> (train: [Int], validation: [Int]) {
        let folds = try testFolds(n)
        var train: [Int] = [], validation: [Int] = []
        for r in folds.indices { if folds[r] == i { validation.append(r) } else { train.append(r) } }
        return (train, validation)
    }

    /// scikit-learn's UserWarning when the least populated class has fewer rows than folds (some
    /// folds then validate without that class), nil otherwise.
    public func smallClassWarning(_ n: Int) -> String? {
        var counts: [Int: Int] = [:]
        for c in labels.prefix(n) { counts[c, default: 0] += 1 }
        guard let least = counts.values.min(), least < k else { return nil }
        return "the least populated class has only \(least) rows, fewer than the \(k) folds; some folds validate without it"
    }

    /// Class numbers in order of first appearance (scikit-learn encodes y that way before folding).
    static func byFirstAppearance(_ labels: [Int]) -> [Int] {
        var number: [Int: Int] = [:]
        return labels.map { c in
            if let n = number[c] { return n }
            number[c] = number.count
            return number[c]!
        }
    }
}
