/// scikit-learn's `KFold(n_splits: k)` without shuffling: consecutive blocks of the rows in the
/// order given, the first `n % k` blocks one row longer.
public struct KFold: Sendable, Equatable {
    public let k: Int

    public init(_ k: Int) { self.k = k }

    /// The validation block of each fold, as index ranges into `0..<n`.
    public func validationRanges(_ n: Int) -> [Range<Int>] {
        var out: [Range<Int>] = [], start = 0
        for i in 0..<k {
            let size = n / k + (i < n % k ? 1 : 0)
            out.append(start..<(start + size))
            start += size
        }
        return out
    }

    /// (training, validation) indices of fold `i` over `n` rows, each in the rows' order.
    public func fold(_ i: Int, of n: Int) -> (train: [Int], validation: [Int]) {
        let v = validationRanges(n)[i]
        return (Array(0..<v.lowerBound) + Array(v.upperBound..<n), Array(v))
    }
}
