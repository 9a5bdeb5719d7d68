import Foundation
import Testing
@testable import ModelZoo

@Suite struct ClassificationSelectionTests {
    /// Expected folds printed by scikit-learn 1.x: `[list(t) for _, t in StratifiedKFold(3).split(X, y)]`.
    @Test func stratifiedFoldsEqualScikitLearns() throws {
        let y = [2, 0, 0, 1, 2, 2, 0, 1, 1, 1, 0, 2, 2, 1, 0, 0, 2]
        let f = StratifiedKFold(3, labels: y)
        let expected = [[0, 1, 2, 3, 4, 7], [5, 6, 8, 9, 10, 11], [12, 13, 14, 15, 16]]
        for i in 0..<3 {
            let (train, validation) = try f.fold(i, of: y.count)
            #expect(validation == expected[i])
            #expect(train == (0..<y.count).filter { !expected[i].contains($0) })
        }
        #expect(f.smallClassWarning(y.count) == nil)
    }

    /// A class with 4 rows and 5 folds: scikit-learn warns and still folds; so do we, the same way.
    @Test func smallClassWarnsAndFoldsAsScikitLearn() throws {
        let y = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]
        let f = StratifiedKFold(5, labels: y)
        let expected = [[0, 2, 3], [1, 4], [5, 6], [7, 10], [8, 9]]
        #expect(try (0..<5).map { try f.fold($0, of: y.count).validation } == expected)
        #expect(
            f.smallClassWarning(y.count)
                == "the least populated class has only 4 rows, fewer than the 5 folds; some folds validate without it")
        #expect(throws: ZooError.self) { try StratifiedKFold(5, labels: [0, 0, 1, 1, 1, 1]).testFolds(6) }  // no class has 5 rows
        #expect(throws: ZooError.self) { try StratifiedKFold(8, labels: [0, 0, 0, 0, 0, 0]).testFolds(6) }
    }

    /// Six rows, three classes; values by hand (and equal to scikit-learn's metrics to 1e-12).
    @Test func classificationScorersOnKnownProbabilities() throws {
        let p: [[Double]] = [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6], [0.5, 0.4, 0.1], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8]]
        let actual = [0, 1, 2, 1, 0, 2], predicted = [0, 1, 2, 0, 2, 2]
        let m = ClassificationMetrics(
            actual: actual, probabilities: Matrix(rows: 6, cols: 3, values: p.flatMap { $0 }),
            predicted: predicted, labels: ["a", "b", "c"])
        let logLoss = -(log(0.7) + log(0.6) + log(0.6) + log(0.4) + log(0.3) + log(0.8)) / 6
        // Recalls 1/2, 1/2, 1; precisions 1/2, 1, 2/3; F1 1/2, 2/3, 4/5.
        let expected: [(Scorer, Double)] = [
            (.logLoss, logLoss), (.accuracy, 4.0 / 6), (.balancedAccuracy, 2.0 / 3),
            (.macroF1, (0.5 + 2.0 / 3 + 0.8) / 3), (.weightedF1, (0.5 + 2.0 / 3 + 0.8) / 3),
            (.rocAUC, 0.9583333333333334),
        ]
        for (scorer, value) in expected { #expect(abs(scorer.value(m) - value) < 1e-12, "\(scorer.name)") }
        #expect(Scorer.logLoss.testScore(logLoss) == -logLoss)  // neg_log_loss, as scikit-learn signs it
        #expect(Scorer.rmse.value(m).isNaN && Scorer.logLoss.value(actual: [1], predicted: [1]).isNaN)
    }

    @Test func scorerNamesFollowTheTask() throws {
        #expect(try Scorer.named("neg_log_loss", for: .classification).name == "log_loss")
        #expect(try Scorer.named("f1_macro", for: .classification).name == "macro_f1")
        #expect(try Scorer.named("roc_auc_ovr", for: .classification).name == "roc_auc")
        #expect(try Scorer.named("neg_root_mean_squared_error").name == "rmse")
        #expect(Scorer.default(for: .classification).sklearnName == "neg_log_loss")
        do {
            _ = try Scorer.named("rmse", for: .classification)
            Issue.record("a regression scorer on a classifier search was accepted")
        } catch let e as ZooError {
            #expect(
                e.description == "scoring 'rmse' does not apply to a classifier; use one of log_loss (neg_log_loss), accuracy (accuracy), "
                    + "balanced_accuracy (balanced_accuracy), macro_f1 (f1_macro), weighted_f1 (f1_weighted), roc_auc (roc_auc)")
        }
        #expect(throws: ZooError.self) { try Scorer.named("accuracy", for: .regression) }
    }
}
