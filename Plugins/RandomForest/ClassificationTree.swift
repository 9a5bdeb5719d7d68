#if canImport(Glibc)
import Glibc
#endif
import ModelZoo

/// The split criterion of a classification tree (scikit-learn's `criterion`).
public enum SplitCriterion: String, ParameterChoice {
    case gini, entropy
}

/// Grows one CART classification tree on weighted rows with exact gini or entropy splits, by the
/// same presorted scheme as `TreeBuilder`: each node owns a range of every feature's sorted rows.
/// A leaf's `value` is the index of its class distribution in the returned `distributions`.
struct ClassificationTreeBuilder {
    let n: Int
    let p: Int
    let k: Int
    let xt: UnsafeBufferPointer<Double>
    /// Class index per row.
    let y: UnsafeBufferPointer<Int32>
    let h: ForestHyperparameters
    let criterion: SplitCriterion
    let featuresPerSplit: Int

    struct Result {
        var nodes: [TreeNode]
        /// Per leaf (in node order), its weighted class fractions.
        var distributions: [[Double]]
        var importance: [Double]
    }

    @inline(__always) static func xlogx(_ v: Double) -> Double { v > 0 ? v * log(v) : 0 }

    func grow(weight: [Double], sortedAll: UnsafeBufferPointer<Int32>, rng: inout SplitMix64) -> Result {
        var m = 0
        for r in 0..<n where weight[r] > 0 { m += 1 }
        var order = [Int32](repeating: 0, count: p * m)
        for f in 0..<p {
            var j = f * m
            for i in 0..<n {
                let r = Int(sortedAll[f * n + i])
                if weight[r] > 0 { order[j] = Int32(r); j += 1 }
            }
        }
        var nodes: [TreeNode] = [], distributions: [[Double]] = []
        nodes.reserveCapacity(2 * m)
        var importance = [Double](repeating: 0, count: p)
        var featureOrder = Array(0..<p)
        let goesLeft = UnsafeMutablePointer<Bool>.allocate(capacity: n)
        let scratch = UnsafeMutablePointer<Int32>.allocate(capacity: max(m, 1))
        let total = UnsafeMutablePointer<Double>.allocate(capacity: k)
        let left = UnsafeMutablePointer<Double>.allocate(capacity: k)
        defer { goesLeft.deallocate(); scratch.deallocate(); total.deallocate(); left.deallocate() }
        goesLeft.initialize(repeating: false, count: n)
        let gini = criterion == .gini

        struct Task { var lo: Int; var hi: Int; var depth: Int; var parent: Int }
        var stack: [Task] = [Task(lo: 0, hi: m, depth: 0, parent: -1)]
        order.withUnsafeMutableBufferPointer { O in
            while let t = stack.popLast() {
                let index = nodes.count
                if t.parent >= 0 { nodes[t.parent].right = Int32(index) }
                total.update(repeating: 0, count: k)
                var w = 0.0
                for i in t.lo..<t.hi {
                    let r = Int(O[i])
                    total[Int(y[r])] += weight[r]
                    w += weight[r]
                }
                var classesPresent = 0, sq = 0.0, ent = 0.0
                for c in 0..<k where total[c] > 0 {
                    classesPresent += 1
                    sq += total[c] * total[c]
                    ent += Self.xlogx(total[c])
                }
                let count = t.hi - t.lo
                let canSplit = count >= h.minSamplesSplit && count >= 2 * h.minSamplesLeaf
                    && (h.maxDepth.map { t.depth < $0 } ?? true) && classesPresent > 1
                var best = (score: -Double.infinity, feature: -1, position: 0, threshold: 0.0)
                if canSplit {
                    for i in 0..<min(featuresPerSplit, p - 1) {
                        let j = i + rng.below(p - i)
                        featureOrder.swapAt(i, j)
                    }
                    for fi in 0..<featuresPerSplit {
                        let f = featureOrder[fi]
                        let seg = f * m
                        let col = xt.baseAddress! + f * n
                        left.update(repeating: 0, count: k)
                        var wl = 0.0, sqL = 0.0, sqR = sq, entL = 0.0, entR = ent
                        @inline(__always) func add(_ r: Int) {
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
                        let minLeaf = h.minSamplesLeaf
                        let first = t.lo + minLeaf - 1, last = t.hi - minLeaf
                        for i in t.lo..<first { add(Int(O[seg + i])) }
                        guard first < last else { continue }
                        var xv = col[Int(O[seg + first])]
                        for i in first..<last {
                            add(Int(O[seg + i]))
                            let xn = col[Int(O[seg + i + 1])]
                            defer { xv = xn }
                            if xv >= xn { continue }
                            let wr = w - wl
                            // Larger is better: −(wl·impurity_l + wr·impurity_r) up to a constant.
                            let score = gini ? sqL / wl + sqR / wr
                                : entL - Self.xlogx(wl) + entR - Self.xlogx(wr)
                            if score > best.score {
                                var thr = xv + (xn - xv) / 2
                                if thr >= xn || !thr.isFinite { thr = xv }
                                best = (score, f, i + 1 - t.lo, thr)
                            }
                        }
                    }
                }
                guard best.feature >= 0 else {
                    nodes.append(TreeNode(value: Double(distributions.count), feature: -1, right: -1))
                    distributions.append((0..<k).map { total[$0] / w })
                    continue
                }
                // Weighted impurity decrease (natural-log entropy; importances are normalised).
                importance[best.feature] += gini ? best.score - sq / w : best.score - (ent - Self.xlogx(w))
                nodes.append(TreeNode(value: best.threshold, feature: Int32(best.feature), right: -1))
                let f = best.feature
                let splitAt = t.lo + best.position
                for i in t.lo..<t.hi { goesLeft[Int(O[f * m + i])] = i < splitAt }
                for g in 0..<p where g != f {
                    let seg = g * m
                    var l = t.lo, s = 0
                    for i in t.lo..<t.hi {
                        let r = O[seg + i]
                        if goesLeft[Int(r)] { O[seg + l] = r; l += 1 } else { scratch[s] = r; s += 1 }
                    }
                    for q in 0..<s { O[seg + l + q] = scratch[q] }
                }
                stack.append(Task(lo: splitAt, hi: t.hi, depth: t.depth + 1, parent: index))
                stack.append(Task(lo: t.lo, hi: splitAt, depth: t.depth + 1, parent: -1))
            }
        }
        return Result(nodes: nodes, distributions: distributions, importance: importance)
    }
}
