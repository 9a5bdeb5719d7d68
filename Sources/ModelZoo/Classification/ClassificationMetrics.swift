#if canImport(Glibc)
    import Glibc
#endif

/// Precision, recall and F1 of one class (scikit-learn's `precision_recall_fscore_support`, zero
/// where a denominator is zero).
public struct ClassScores: Codable, Sendable, Equatable {
    public var label: String
    public var precision: Double
    public var recall: Double
    public var f1: Double
    /// Rows whose true class this is.
    public var support: Int
}

/// Classification metrics of predicted probabilities against true class indices, as scikit-learn
/// computes them: `accuracy_score`, `balanced_accuracy_score`, `f1_score(average="macro"|"weighted")`,
/// `log_loss`, `roc_auc_score` (binary, or one-vs-rest macro average beyond two classes) and
/// `confusion_matrix` (rows: true class, columns: predicted class).
public struct ClassificationMetrics: Codable, Sendable, Equatable {
    public var rows: Int
    public var accuracy: Double
    public var balancedAccuracy: Double
    public var macroF1: Double
    public var weightedF1: Double
    public var logLoss: Double
    /// nil when a class the AUC needs is absent from `actual` (undefined).
    public var rocAUC: Double?
    public var perClass: [ClassScores]
    public var confusion: [[Int]]

    enum CodingKeys: String, CodingKey {
        case rows, accuracy, confusion
        case balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1", weightedF1 = "weighted_f1"
        case logLoss = "log_loss", rocAUC = "roc_auc", perClass = "per_class"
    }

    /// Metrics for true classes `actual`, class probabilities `probabilities` (rows × classes) and
    /// the decided classes `predicted` (argmax unless a threshold chose them).
    public init(actual: [Int], probabilities p: Matrix, predicted: [Int], labels: [String]) {
        precondition(actual.count == p.rows && predicted.count == p.rows && p.cols == labels.count && !actual.isEmpty)
        let k = labels.count, n = actual.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: k), count: k)
        for i in 0..<n { confusion[actual[i]][predicted[i]] += 1 }
        var scores: [ClassScores] = []
        var correct = 0
        for c in 0..<k {
            correct += confusion[c][c]
            let support = confusion[c].reduce(0, +)
            let predictedC = (0..<k).reduce(0) { $0 + confusion[$1][c] }
            let tp = Double(confusion[c][c])
            let precision = predictedC > 0 ? tp / Double(predictedC) : 0
            let recall = support > 0 ? tp / Double(support) : 0
            let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
            scores.append(ClassScores(label: labels[c], precision: precision, recall: recall, f1: f1, support: support))
        }
        let present = scores.filter { $0.support > 0 }
        rows = n
        accuracy = Double(correct) / Double(n)
        balancedAccuracy = present.reduce(0) { $0 + $1.recall } / Double(max(1, present.count))
        // scikit-learn's macro average covers every label given (those in y_true or y_pred).
        let used = (0..<k).filter { c in scores[c].support > 0 || (0..<k).contains { confusion[$0][c] > 0 } }
        macroF1 = used.reduce(0) { $0 + scores[$1].f1 } / Double(max(1, used.count))
        weightedF1 = scores.reduce(0) { $0 + $1.f1 * Double($1.support) } / Double(n)
        // log_loss: probabilities clipped to [ε, 1 − ε] (ε = machine epsilon), each row renormalised.
        let eps = Double.ulpOfOne
        var ll = 0.0
        for i in 0..<n {
            var s = 0.0
            for c in 0..<k { s += min(max(p[i, c], eps), 1 - eps) }
            ll -= log(min(max(p[i, actual[i]], eps), 1 - eps) / s)
        }
        logLoss = ll / Double(n)
        if k == 2 {
            rocAUC = ClassificationCurves.auc(scores: (0..<n).map { p[$0, 1] }, positives: actual.map { $0 == 1 })
        } else {
            // One class's curve a core (each sorts its n scores), summed in class order.
            let perClass = Locked([Double?](repeating: nil, count: k))
            Parallel.forEach(k) { c in
                let a = ClassificationCurves.auc(scores: (0..<n).map { p[$0, c] }, positives: actual.map { $0 == c })
                perClass.withLock { $0[c] = a }
            }
            let aucs = perClass.withLock { $0 }
            rocAUC = aucs.contains(nil) ? nil : aucs.reduce(0) { $0 + $1! } / Double(k)
        }
        perClass = scores
        self.confusion = confusion
    }

    /// One value by name, for ranking (`compare --metric`).
    public func value(_ metric: ClassificationMetric) -> Double? {
        switch metric {
        case .logLoss: return logLoss
        case .accuracy: return accuracy
        case .balancedAccuracy: return balancedAccuracy
        case .macroF1: return macroF1
        case .weightedF1: return weightedF1
        case .rocAUC: return rocAUC
        }
    }
}

/// The classification metrics a comparison can rank by.
public enum ClassificationMetric: String, Sendable, CaseIterable {
    case logLoss = "log_loss", accuracy, balancedAccuracy = "balanced_accuracy", macroF1 = "macro_f1",
        weightedF1 = "weighted_f1", rocAUC = "roc_auc"

    /// Lower is better only for the log-loss.
    public var lowerIsBetter: Bool { self == .logLoss }
}

/// Curves of one class's scores against the truth: ROC, precision-recall and reliability (calibration).
public enum ClassificationCurves {
    public struct Point: Sendable, Equatable { public var x: Double; public var y: Double }

    /// Area under the ROC curve by the rank statistic (ties count half); nil when only one side is present.
    /// The positives' and the negatives' scores are sorted apart (plain `Double` sorts) and walked
    /// together: sorting row indices by score through a closure was 19% of `zoo train linear` on a
    /// million-row three-class table (three classes, two splits). The count is the same integer.
    public static func auc(scores: [Double], positives: [Bool]) -> Double? {
        var pos: [Double] = [], neg: [Double] = []
        pos.reserveCapacity(scores.count)
        neg.reserveCapacity(scores.count)
        for (s, p) in zip(scores, positives) { if p { pos.append(s) } else { neg.append(s) } }
        guard !pos.isEmpty, !neg.isEmpty else { return nil }
        pos.sort()
        neg.sort()
        // Twice the Mann–Whitney U: each positive counts 2 per lower negative and 1 per equal one.
        var twiceU = 0, below = 0
        var k = 0
        while k < pos.count {
            let s = pos[k]
            var run = 1
            while k + run < pos.count && pos[k + run] == s { run += 1 }
            while below < neg.count && neg[below] < s { below += 1 }
            var equal = 0
            while below + equal < neg.count && neg[below + equal] == s { equal += 1 }
            twiceU += run * (2 * below + equal)
            k += run
        }
        return Double(twiceU) / 2 / (Double(pos.count) * Double(neg.count))
    }

    /// (false positive rate, true positive rate) at every distinct threshold, from (0, 0) to (1, 1).
    public static func roc(scores: [Double], positives: [Bool]) -> [Point] {
        let nPos = Double(max(1, positives.filter { $0 }.count)), nNeg = Double(max(1, positives.filter { !$0 }.count))
        var points = [Point(x: 0, y: 0)]
        var tp = 0.0, fp = 0.0
        for (s, group) in descendingGroups(scores) {
            _ = s
            for i in group { if positives[i] { tp += 1 } else { fp += 1 } }
            points.append(Point(x: fp / nNeg, y: tp / nPos))
        }
        return points
    }

    /// (recall, precision) at every distinct threshold, highest threshold first.
    public static func precisionRecall(scores: [Double], positives: [Bool]) -> [Point] {
        let nPos = Double(max(1, positives.filter { $0 }.count))
        var points: [Point] = []
        var tp = 0.0, all = 0.0
        for (_, group) in descendingGroups(scores) {
            for i in group { all += 1; if positives[i] { tp += 1 } }
            points.append(Point(x: tp / nPos, y: tp / all))
        }
        return points
    }

    /// Mean predicted probability (x) and observed frequency (y) in `bins` equal-width bins; empty bins are left out.
    public static func calibration(scores: [Double], positives: [Bool], bins: Int = 10) -> [Point] {
        var sum = [Double](repeating: 0, count: bins), hits = sum, count = sum
        for i in scores.indices where scores[i].isFinite {
            let b = min(bins - 1, max(0, Int(scores[i] * Double(bins))))
            sum[b] += scores[i]; count[b] += 1
            if positives[i] { hits[b] += 1 }
        }
        return (0..<bins).compactMap { b in count[b] > 0 ? Point(x: sum[b] / count[b], y: hits[b] / count[b]) : nil }
    }

    static func descendingGroups(_ scores: [Double]) -> [(Double, [Int])] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var out: [(Double, [Int])] = []
        for i in order {
            if let last = out.last, last.0 == scores[i] { out[out.count - 1].1.append(i) } else { out.append((scores[i], [i])) }
        }
        return out
    }
}
