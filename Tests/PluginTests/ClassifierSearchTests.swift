import Foundation
import Testing
@testable import ModelZoo
import ZooPlugins
import TestScratch

/// A classifier search on the first 600 people of data/bmi_category.csv: stratified folds,
/// classification scores, ranking, thread-count independence and resuming.
@Suite struct ClassifierSearchTests {
    func data() throws -> PreparedData {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("data/bmi_category.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").prefix(601)
        return try DatasetBuilder.prepare(
            try CSVTable.parse(Array(lines.joined(separator: "\n").utf8)), options: DataOptions(target: "Category"))
    }

    func linearSearch(_ d: PreparedData, scorer: Scorer = .logLoss) throws -> Search {
        var space = SearchSpace()
        space.grid = [("C", ["0.01", "1", "100"])]
        return Search(
            plugin: try builtinPlugins.plugin("linear"), candidates: space.gridCandidates(), fixed: [],
            folds: KFold(3, labels: d.trainY.map { Int($0) }), scorer: scorer, halving: nil)
    }

    func strip(_ s: [FoldScore]) -> [FoldScore] {
        s.map {
            var x = $0; x.fitSeconds = 0; x.scoreSeconds = 0; return x
        }.sorted { ($0.candidate, $0.fold) < ($1.candidate, $1.fold) }
    }

    @Test func weakerPenaltyWinsAndTheBoardIsOrderedByLogLoss() throws {
        let d = try data()
        let out = try linearSearch(d).run(d) { _ in }
        #expect(out.leaderboard.map { $0.params.values } == [["100"], ["1"], ["0.01"]])
        #expect(out.leaderboard.map(\.rank) == [1, 2, 3])
        let means = out.leaderboard.map(\.meanScore)
        #expect(means == means.sorted())  // log-loss: lower first
        for row in out.leaderboard {
            let c = try #require(row.classification)
            #expect(c.meanLogLoss == row.meanScore && row.meanRMSE == nil)
            #expect(c.meanAccuracy > 0.5 && c.meanAccuracy <= 1)
        }
        // Each fold's score is its log-loss; the JSON's split scores are negated as neg_log_loss.
        let json = Leaderboard.cvResults(out.leaderboard, scorer: .logLoss, folds: 3, halving: false)
        guard case .object(let o) = json, case .array(let mean)? = o["mean_test_score"], case .double(let best)? = mean.first else {
            Issue.record("no mean_test_score")
            return
        }
        #expect(best == -out.leaderboard[0].meanScore)
        // Accuracy ranks the other way round (greater is better), from the same folds.
        let byAccuracy = try linearSearch(d, scorer: .accuracy).run(d) { _ in }
        #expect(byAccuracy.leaderboard.map(\.meanScore) == byAccuracy.leaderboard.map(\.meanScore).sorted(by: >))
    }

    @Test func sameClassifierScoresForOneAndTwoThreads() throws {
        let d = try data(), search = try linearSearch(d)
        let one = try Parallel.withMaxThreads(1) { try search.run(d) { _ in } }
        let two = try Parallel.withMaxThreads(2) { try search.run(d) { _ in } }
        #expect(strip(one.scores) == strip(two.scores))
        #expect(one.leaderboard.map(\.candidate) == two.leaderboard.map(\.candidate) && one.scores.count == 9)
    }

    @Test func resumedClassifierSearchGivesTheSameLeaderboard() throws {
        let d = try data(), search = try linearSearch(d)
        let full = try search.run(d) { _ in }
        let path = Scratch.unique("zoo-cls-resume", suffix: ".jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = search.header(d, split: .random, seed: 402, testFraction: 0.2)
        let log = try ResultsLog(path: path, header: header, resume: false)
        for s in full.scores.prefix(4) { log.append(s) }
        log.close()
        let resumed = try ResultsLog(path: path, header: header, resume: true)
        #expect(resumed.previous.count == 4 && resumed.previous.allSatisfy { $0.logLoss != nil })
        let rest = try search.run(d, done: resumed.previous) { resumed.append($0) }
        resumed.close()
        var a = full.leaderboard, b = rest.leaderboard
        for i in a.indices { a[i].meanFitSeconds = 0; a[i].stdFitSeconds = 0; a[i].meanScoreSeconds = 0; a[i].stdScoreSeconds = 0 }
        for i in b.indices { b[i].meanFitSeconds = 0; b[i].stdFitSeconds = 0; b[i].meanScoreSeconds = 0; b[i].stdScoreSeconds = 0 }
        #expect(a == b)
    }
}
