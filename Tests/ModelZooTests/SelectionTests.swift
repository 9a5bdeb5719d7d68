import Foundation
import Testing
@testable import ModelZoo

@Suite struct SelectionTests {
    @Test func kFoldCutsConsecutiveBlocksAsScikitLearn() {
        let f = KFold(3)
        #expect(f.validationRanges(10) == [0..<4, 4..<7, 7..<10])  // the first n % k folds one longer
        for i in 0..<3 {
            let (train, validation) = f.fold(i, of: 10)
            #expect(Set(train).isDisjoint(with: validation) && (train + validation).sorted() == Array(0..<10))
        }
        // Every row is validated exactly once.
        #expect(f.validationRanges(10).flatMap { Array($0) } == Array(0..<10))
    }

    @Test func groupedFoldsKeepGroupsWhole() {
        let groups = (0..<40).map { $0 % 7 == 0 ? 99 : $0 / 5 }  // uneven groups, one scattered through the rows
        let f = KFold(3, groups: groups)
        var seen: [Int] = []
        for i in 0..<3 {
            let (train, validation) = f.fold(i, of: 40)
            #expect(Set(train.map { groups[$0] }).isDisjoint(with: validation.map { groups[$0] }))
            #expect((train + validation).sorted() == Array(0..<40))
            seen += validation
        }
        #expect(seen.sorted() == Array(0..<40))
        let sizes = (0..<3).map { f.fold($0, of: 40).validation.count }
        #expect(sizes.max()! - sizes.min()! <= 6)  // balanced by GroupKFold's largest-first rule
    }

    @Test func gridIsEveryCombinationFirstSlowest() {
        var space = SearchSpace()
        space.grid = [("a", ["1", "2"]), ("b", ["x", "y", "z"])]
        let c = space.gridCandidates()
        #expect(c.count == 6)
        #expect(c.map(\.values) == [["1", "x"], ["1", "y"], ["1", "z"], ["2", "x"], ["2", "y"], ["2", "z"]])
        #expect(c[1].assignments == ["a=1", "b=y"])
    }

    @Test func randomDrawsAreSeededAndInRange() throws {
        var space = SearchSpace()
        space.distributions = [
            ("lr", try Distribution.parse("loguniform:1e-4:1e-1")), ("n", try Distribution.parse("int:50:300")),
            ("act", try Distribution.parse("choice:relu|tanh")),
        ]
        let a = space.randomCandidates(40, seed: 5), b = space.randomCandidates(40, seed: 5)
        #expect(a == b && a != space.randomCandidates(40, seed: 6))
        #expect(Array(a.prefix(10)) == space.randomCandidates(10, seed: 5))  // draw i does not depend on the count
        for c in a {
            let lr = Double(c.values[0])!, n = Int(c.values[1])!
            #expect(lr >= 1e-4 && lr <= 1e-1 && n >= 50 && n <= 300 && ["relu", "tanh"].contains(c.values[2]))
        }
        #expect(throws: ZooError.self) { try Distribution.parse("normal:0:1") }
        #expect(throws: ZooError.self) { try Distribution.parse("loguniform:0:1") }
    }

    func score(_ c: Int, _ fold: Int, _ value: Double) -> FoldScore {
        FoldScore(
            iteration: 0, candidate: c, fold: fold, resources: 10, params: "c=\(c)", rmse: value, mae: value / 2, r2: 1 - value,
            score: value, fitSeconds: 1, scoreSeconds: 0.5)
    }

    @Test func leaderboardNumbersOnKnownScores() {
        let candidates = (0..<3).map { Candidate(names: ["c"], values: ["\($0)"]) }
        let scores = [score(0, 0, 2), score(0, 1, 4), score(1, 0, 1), score(1, 1, 1), score(2, 0, 5), score(2, 1, 1)]
        let board = Leaderboard.rows(scores, candidates: candidates, scorer: .rmse)
        #expect(board.map(\.candidate) == [1, 0, 2])
        #expect(board.map(\.rank) == [1, 2, 2])  // candidates 0 and 2 tie at mean 3 and share rank 2 ("min")
        #expect(board[1].meanRMSE == 3 && board[1].stdRMSE == 1)  // population sd of 2 and 4
        #expect(board[1].meanMAE == 1.5 && board[1].meanR2 == -2)
        let json = Leaderboard.cvResults(board, scorer: .rmse, folds: 2, halving: false)
        guard case .object(let o) = json else { Issue.record("not an object"); return }
        #expect(o["mean_test_score"] == .array([.double(-1), .double(-3), .double(-3)]))  // scikit-learn negates RMSE
        #expect(o["split1_test_score"] == .array([.double(-1), .double(-4), .double(-1)]))
        #expect(o["rank_test_score"] == .array([.int(1), .int(2), .int(2)]))
        #expect(o["params"] == .array([.object(["c": .int(1)]), .object(["c": .int(0)]), .object(["c": .int(2)])]))
        for key in ["std_test_score", "mean_fit_time", "std_fit_time", "mean_score_time", "param_c"] { #expect(o[key] != nil, "\(key)") }
        // R² ranks the other way round: greater is better.
        #expect(Leaderboard.rows(scores, candidates: candidates, scorer: .r2).first?.candidate == 0)
    }

    @Test func halvingScheduleExhaustsTheResource() {
        let s = HalvingSchedule(candidates: 18, maxResources: 1000, minResources: 10)
        #expect(s.resources == [111, 333, 999])  // 18 → 6 → 2 candidates: 1 + floor(log3 18) rounds
        #expect(s.survivors(18) == 6 && s.survivors(2) == 1)
        #expect(HalvingSchedule(candidates: 18, maxResources: 50, minResources: 10).resources == [16, 48])  // fewer rounds possible
    }
}
