#if canImport(Glibc)
    import Glibc
#endif

/// The split criterion of a classification tree (scikit-learn's `criterion`).
public enum SplitCriterion: String, ParameterChoice {
    case gini, entropy
}

/// How `TreeGrower` scores splits: a node's totals, a left side grown one row at a time in a
/// feature's order, and a score (larger is better) that differs from the weighted impurity
/// decrease by a constant per node, so only the best split needs the decrease.
protocol TreeCriterion {
    /// Takes the totals of rows `rows[lo..<hi]`; whether they may be split (not pure).
    mutating func beginNode(_ rows: UnsafeMutablePointer<Int32>, lo: Int, hi: Int) -> Bool
    /// Empties the left side before a feature's scan.
    mutating func resetLeft()
    /// Moves row `r` to the left side.
    mutating func addLeft(_ r: Int)
    /// The current split's score.
    func score() -> Double
    /// The weighted impurity decrease of a split that scored `score` (for feature importances).
    func decrease(_ score: Double) -> Double
    /// The node as a leaf: its `TreeNode.value`.
    mutating func leaf() -> Double
}

/// Squared error (scikit-learn's `squared_error`): maximising Σ_l² / w_l + Σ_r² / w_r minimises the
/// children's weighted variance. A leaf predicts the weighted mean.
struct SquaredError: TreeCriterion {
    let y: UnsafeBufferPointer<Double>
    /// Per row: its weight, and weight × y.
    let W: UnsafePointer<Double>
    let WY: UnsafePointer<Double>
    var w = 0.0, sy = 0.0, wl = 0.0, sl = 0.0

    init(y: UnsafeBufferPointer<Double>, W: UnsafePointer<Double>, WY: UnsafePointer<Double>) {
        self.y = y
        self.W = W
        self.WY = WY
    }

    @inline(__always)
    mutating func beginNode(_ rows: UnsafeMutablePointer<Int32>, lo: Int, hi: Int) -> Bool {
        w = 0; sy = 0
        var yMin = Double.infinity, yMax = -Double.infinity
        for i in lo..<hi {
            let r = Int(rows[i])
            let yr = y[r]
            w += W[r]; sy += WY[r]
            yMin = min(yMin, yr); yMax = max(yMax, yr)
        }
        return yMin < yMax
    }

    @inline(__always) mutating func resetLeft() { wl = 0; sl = 0 }

    @inline(__always)
    mutating func addLeft(_ r: Int) {
        wl += W[r]
        sl += WY[r]
    }

    @inline(__always)
    func score() -> Double {
        let wr = w - wl, sr = sy - sl
        return sl * sl / wl + sr * sr / wr
    }

    func decrease(_ score: Double) -> Double { score - sy * sy / w }

    func leaf() -> Double { sy / w }
}

/// Gini impurity or entropy over `k` classes, updated in O(1) per row from the class totals:
/// gini through Σ counts² per side, entropy through Σ c·log c per side.
struct ClassImpurity: TreeCriterion {
    let y: UnsafeBufferPointer<Int32>
    let weight: UnsafePointer<Double>
    let k: Int
    let gini: Bool
    /// Per class: the node's weighted count, and the left side's.
    let total: UnsafeMutablePointer<Double>
    let left: UnsafeMutablePointer<Double>
    var w = 0.0, sq = 0.0, ent = 0.0
    var wl = 0.0, sqL = 0.0, sqR = 0.0, entL = 0.0, entR = 0.0
    /// Per leaf, in node order, its weighted class fractions.
    var distributions: [[Double]] = []

    init(
        y: UnsafeBufferPointer<Int32>, weight: UnsafePointer<Double>, k: Int, gini: Bool,
        total: UnsafeMutablePointer<Double>, left: UnsafeMutablePointer<Double>
    ) {
        self.y = y
        self.weight = weight
        self.k = k
        self.gini = gini
        self.total = total
        self.left = left
    }

    @inline(__always) static func xlogx(_ v: Double) -> Double { v > 0 ? v * log(v) : 0 }

    mutating func beginNode(_ rows: UnsafeMutablePointer<Int32>, lo: Int, hi: Int) -> Bool {
        total.update(repeating: 0, count: k)
        w = 0
        for i in lo..<hi {
            let r = Int(rows[i])
            total[Int(y[r])] += weight[r]
            w += weight[r]
        }
        var classesPresent = 0
        sq = 0; ent = 0
        for c in 0..<k where total[c] > 0 {
            classesPresent += 1
            sq += total[c] * total[c]
            ent += Self.xlogx(total[c])
        }
        return classesPresent > 1
    }

    @inline(__always)
    mutating func resetLeft() {
        left.update(repeating: 0, count: k)
        wl = 0; sqL = 0; sqR = sq; entL = 0; entR = ent
    }

    @inline(__always)
    mutating func addLeft(_ r: Int) {
        let c = Int(y[r]), wt = weight[r]
        let l0 = left[c], r0 = total[c] - l0
        if gini {
            sqL += 2 * l0 * wt + wt * wt
            sqR += -2 * r0 * wt + wt * wt
        } else {
            entL += Self.xlogx(l0 + wt) - Self.xlogx(l0)
            entR += Self.xlogx(max(0, r0 - wt)) - Self.xlogx(r0)
        }
        left[c] = l0 + wt
        wl += wt
    }

    /// Larger is better: −(w_l·impurity_l + w_r·impurity_r) up to a constant.
    @inline(__always)
    func score() -> Double {
        let wr = w - wl
        return gini ? sqL / wl + sqR / wr : entL - Self.xlogx(wl) + entR - Self.xlogx(wr)
    }

    /// Natural-log entropy; importances are normalised, so the base does not matter.
    func decrease(_ score: Double) -> Double { gini ? score - sq / w : score - (ent - Self.xlogx(w)) }

    mutating func leaf() -> Double {
        distributions.append((0..<k).map { total[$0] / w })
        return Double(distributions.count - 1)
    }
}
