import Foundation
import Testing
@testable import ModelZoo
import RandomForest
import ZooPlugins
import TestScratch

/// Cross-validation and search on real plugins: thread-count independence, resuming, halving.
@Suite struct SearchTests {
    func data() throws -> PreparedData {
        var g = SyntheticBMI(rows: 600, seed: 11)
        g.missingRate = 0
        var bytes: [UInt8] = []
        try g.generate { bytes += $0 }
        return try DatasetBuilder.prepare(try CSVTable.parse(bytes), options: DataOptions(target: "BMI"))
    }

    func forestSearch(halving: HalvingResource? = nil) throws -> Search {
        let plugin = try builtinPlugins.plugin("forest")
        var space = SearchSpace()
        space.grid = [("trees", ["3", "6"]), ("max_depth", ["none", "4"])]
        return Search(
            plugin: plugin, candidates: space.gridCandidates(), fixed: ["seed=7"], folds: KFold(3), scorer: .rmse, halving: halving)
    }

    func strip(_ s: [FoldScore]) -> [FoldScore] {
        s.map {
            var x = $0; x.fitSeconds = 0; x.scoreSeconds = 0; return x
        }.sorted { ($0.candidate, $0.fold) < ($1.candidate, $1.fold) }
    }

    @Test func sameScoresForOneAndTwoThreads() throws {
        let d = try data(), search = try forestSearch()
        let one = try Parallel.withMaxThreads(1) { try search.run(d) { _ in } }
        let two = try Parallel.withMaxThreads(2) { try search.run(d) { _ in } }
        #expect(strip(one.scores) == strip(two.scores))
        #expect(one.leaderboard.map(\.candidate) == two.leaderboard.map(\.candidate))
        #expect(one.scores.count == 12 && one.best != nil)
    }

    /// A forest grid over `trees` and `max_depth` fits the largest, deepest forest once per fold and
    /// scores its first trees, cut at each depth, as the other candidates: every score equals the one
    /// separate fits give.
    @Test func sharedForestFitsScoreAsSeparateFits() throws {
        let d = try data(), search = try forestSearch()
        let tasks = (0..<search.candidates.count).flatMap { c in (0..<3).map { search.task(0, c, $0, resources: 0, rows: d.trainY.count) } }
        let groups = CrossValidation.prefixGroups(tasks, variant: try search.plugin.variant(for: .regression))
        // One group a fold: trees=3|6 × max_depth=none|4, fitted once as trees=6, max_depth=none.
        #expect(groups.count == 3 && groups.allSatisfy { $0.tasks.count == 4 && Set($0.members) == [3, 6] })
        #expect(groups.allSatisfy { Set($0.depths) == [nil, 4] && $0.fitAssignments.sorted() == ["max_depth=none", "seed=7", "trees=6"] })
        let shared = CrossValidation.run(tasks, plugin: search.plugin, data: d, folds: KFold(3), scorer: .rmse) { _ in }
        let separate = CrossValidation.run(
            tasks, plugin: search.plugin, data: d, folds: KFold(3), scorer: .rmse, shareEnsembles: false
        ) { _ in }
        #expect(strip(shared) == strip(separate))
        #expect(shared.allSatisfy { $0.error == nil && $0.rmse != nil })
    }

    /// A regression forest cut at a depth is the forest a fit with that `max_depth` grows: the same
    /// trees node for node, the same predictions to the bit, with and without feature sampling.
    @Test(arguments: ["1.0", "0.5"])
    func aForestCutAtADepthIsTheShallowerFit(_ maxFeatures: String) throws {
        let (d, _) = try Fixtures.bmi(rows: 400)
        let plugin = try builtinPlugins.plugin("forest")
        func fit(_ depth: String) throws -> RandomForestProbe.Forest {
            var m = try plugin.variant(for: .regression).make(["trees=6", "seed=3", "max_features=\(maxFeatures)", "max_depth=\(depth)"])
            _ = try m.fit(TrainingData(x: d.trainX, y: d.trainY, featureNames: d.schema.encodedNames), context: FitContext())
            return try #require(m as? RandomForestProbe.Forest)
        }
        let deep = try fit("none")
        for depth in [1, 3, 6] {
            let cut = try deep.truncated(maxDepth: depth), fitted = try fit("\(depth)")
            #expect(try cut.exportState() == fitted.exportState())
            #expect(try cut.predict(d.testX) == fitted.predict(d.testX))
            #expect(cut.extras == fitted.extras)
        }
        // Cutting deeper than the trees go changes nothing; a loaded forest has no node values to cut by.
        #expect(try deep.truncated(maxDepth: 10_000).exportState() == deep.exportState())
    }

    @Test(arguments: [LearningTask.regression, .classification])
    func aForestsFirstTreesAreTheSmallerForest(_ task: LearningTask) throws {
        let (d, _) = task == .regression ? try Fixtures.bmi(rows: 300) : try Fixtures.bmiClasses(rows: 300)
        let variant = try builtinPlugins.plugin("forest").variant(for: task)
        func fit(_ trees: Int) throws -> any Model {
            var m = try variant.make(["trees=\(trees)", "seed=5", "max_features=0.5"])
            let data = TrainingData(
                x: d.trainX, y: d.trainY, featureNames: d.schema.encodedNames, classCount: d.schema.classes?.count ?? 0)
            _ = try m.fit(data, context: FitContext())
            return m
        }
        let big = try #require(try fit(7) as? any PrefixEnsemble), small = try fit(3)
        let cut = try big.anyPrefix(3)
        if task == .regression {
            #expect(try cut.exportState() == small.exportState())
            #expect(try cut.predict(d.testX) == small.predict(d.testX))
        } else {
            let a = try #require(cut as? any Classifier), b = try #require(small as? any Classifier)
            #expect(try a.predictProbabilities(d.testX) == b.predictProbabilities(d.testX))
        }
        #expect(throws: ZooError.self) { try big.anyPrefix(8) }
    }

    @Test func linearFoldScoresAreTheFitsOnEachFold() throws {
        let d = try data()
        let plugin = try builtinPlugins.plugin("linear")
        let search = Search(
            plugin: plugin, candidates: [Candidate(names: [], values: [])], fixed: [], folds: KFold(4), scorer: .rmse, halving: nil)
        let out = try search.run(d) { _ in }
        for s in out.scores {
            let (train, validation) = KFold(4).fold(s.fold, of: d.trainY.count)
            var m = try plugin.make()
            _ = try m.fit(
                TrainingData(x: d.trainX.gathering(train), y: train.map { d.trainY[$0] }, featureNames: d.schema.encodedNames),
                context: FitContext())
            let p = try m.predict(d.trainX.gathering(validation))
            let rmse = RegressionMetrics(actual: validation.map { d.trainY[$0] }, predicted: p).rmse
            #expect(abs(rmse - s.rmse!) < 1e-12)
        }
    }

    @Test func resumeSkipsTheFitsAlreadyLogged() throws {
        let d = try data(), search = try forestSearch()
        let path = Scratch.unique("zoo-resume", suffix: ".jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = search.header(d, split: .random, seed: 402, testFraction: 0.2)
        let full = try search.run(d) { _ in }
        // A partial file: the header, five complete lines, and a line torn by Ctrl-C.
        let log = try ResultsLog(path: path, header: header, resume: false)
        for s in full.scores.prefix(5) { log.append(s) }
        log.close()
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        handle.write(Data("{\"candidate\":3,\"fo".utf8))
        try handle.close()
        #expect(throws: ZooError.self) { _ = try ResultsLog(path: path, header: header, resume: false) }  // never silently overwritten
        var other = header
        other.folds = 4
        #expect(throws: ZooError.self) { _ = try ResultsLog(path: path, header: other, resume: true) }
        let resumed = try ResultsLog(path: path, header: header, resume: true)
        #expect(resumed.previous.count == 5)
        let ran = Locked(0)
        let rest = try search.run(d, done: resumed.previous) { s in
            resumed.append(s); ran.withLock { $0 += 1 }
        }
        resumed.close()
        #expect(ran.withLock { $0 } == 7)
        #expect(strip(rest.scores) == strip(full.scores))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 13)  // header + 12 fits, the torn line gone
    }

    @Test func halvingKeepsTheBestThirdWithMoreRows() throws {
        let d = try data()
        let search = try forestSearch(halving: .rows)
        let out = try search.run(d) { _ in }
        let iterations = Dictionary(grouping: out.leaderboard, by: \.iteration)
        #expect(iterations.keys.sorted() == [0, 1])
        #expect(iterations[0]!.count == 4 && iterations[1]!.count == 2)
        #expect(iterations[1]![0].resources == 3 * iterations[0]![0].resources && iterations[1]![0].resources <= d.trainY.count)
        #expect(out.leaderboard.first?.iteration == 1)  // later rounds rank first
        let survivors = Set(iterations[1]!.map(\.candidate))
        #expect(survivors == Set(iterations[0]!.sorted { $0.meanScore < $1.meanScore }.prefix(2).map(\.candidate)))
    }
}
