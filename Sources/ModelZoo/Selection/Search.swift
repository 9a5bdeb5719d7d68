import Foundation

/// A hyperparameter search on the training split: candidates × folds fitted in parallel, each fold
/// fit logged as it completes, optionally successive halving; then the leaderboard.
public struct Search: Sendable {
    public var plugin: Plugin
    public var candidates: [Candidate]
    /// `key=value` settings every candidate shares (`-p`).
    public var fixed: [String]
    public var folds: KFold
    public var scorer: Scorer
    public var halving: HalvingResource?

    public init(plugin: Plugin, candidates: [Candidate], fixed: [String], folds: KFold, scorer: Scorer, halving: HalvingResource?) {
        self.plugin = plugin
        self.candidates = candidates
        self.fixed = fixed
        self.folds = folds
        self.scorer = scorer
        self.halving = halving
    }

    /// What a results file must match to be resumed.
    public func header(_ data: PreparedData, split: SplitStrategy, seed: UInt64, testFraction: Double) -> SearchHeader {
        SearchHeader(
            kind: plugin.kind, target: data.schema.target, data: data.fingerprint,
            split: "\(split.description) seed=\(seed) test_fraction=\(testFraction)", folds: folds.k, scoring: scorer.name,
            fixed: fixed, candidates: candidates, halving: halving?.description)
    }

    public struct Outcome: Sendable {
        public var scores: [FoldScore]
        public var leaderboard: [LeaderboardRow]
        /// The best row of the last iteration (nil when every candidate failed).
        public var best: LeaderboardRow?
    }

    /// Runs the search on `data`'s training split. Fits already in `done` (a resumed results file)
    /// are not run again; `completed` sees each new one (serialised).
    public func run(_ data: PreparedData, done: [FoldScore] = [], completed: @escaping @Sendable (FoldScore) -> Void) throws -> Outcome {
        let n = data.trainY.count
        guard n >= folds.k * 2 else {
            throw ZooError.insufficientData("\(n) training rows cannot make \(folds.k) folds of at least 2 rows")
        }
        if let groups = folds.groupCount(n), groups < folds.k {
            throw ZooError.insufficientData("the training split has \(groups) groups: \(folds.k) grouped folds need at least \(folds.k)")
        }
        let known = Dictionary(done.map { ($0.key, $0) }) { a, _ in a }
        var scores: [FoldScore] = []
        var alive = Array(candidates.indices)
        let plan: HalvingSchedule? = halving.map { self.schedule(for: $0, rows: n) }
        let steps: [Int] = plan?.resources ?? [0]
        for (iteration, resources) in steps.enumerated() {
            let tasks: [FoldTask] = alive.flatMap { c in (0..<folds.k).map { task(iteration, c, $0, resources: resources, rows: n) } }
            let todo = tasks.filter { known[$0.key] == nil }
            let fresh = CrossValidation.run(todo, plugin: plugin, data: data, folds: folds, scorer: scorer, completed: completed)
            var byKey = known
            for f in fresh { byKey[f.key] = f }
            let iterationScores: [FoldScore] = tasks.map { byKey[$0.key]! }
            scores += iterationScores
            guard let plan, iteration + 1 < plan.resources.count else { break }
            let ranked = Leaderboard.rows(iterationScores, candidates: candidates, scorer: scorer)
            alive = ranked.prefix(plan.survivors(alive.count)).map { $0.candidate }.sorted()
        }
        let board = Leaderboard.rows(scores, candidates: candidates, scorer: scorer)
        return Outcome(scores: scores, leaderboard: board, best: board.first { $0.error == nil && !$0.meanScore.isNaN })
    }

    /// How many fits the search makes on `rows` training rows (halving shrinks the later iterations).
    public func plannedFits(rows: Int) -> Int {
        guard let halving else { return candidates.count * folds.k }
        let plan = schedule(for: halving, rows: rows)
        var alive = candidates.count, total = 0
        for _ in plan.resources { total += alive * folds.k; alive = plan.survivors(alive) }
        return total
    }

    func schedule(for resource: HalvingResource, rows: Int) -> HalvingSchedule {
        switch resource {
        case .rows: return HalvingSchedule(candidates: candidates.count, maxResources: rows, minResources: 2 * folds.k)
        case .parameter(_, let max): return HalvingSchedule(candidates: candidates.count, maxResources: max, minResources: 1)
        }
    }

    /// The fixed settings, less the halving resource's (the schedule sets it).
    var fixedSettings: [String] {
        guard case .parameter(let name, _)? = halving else { return fixed }
        let names = [name] + (plugin.parameters.first { $0.name == name }?.aliases ?? [])
        return fixed.filter { item in !names.contains { item.hasPrefix($0 + "=") } }
    }

    func task(_ iteration: Int, _ c: Int, _ fold: Int, resources: Int, rows: Int) -> FoldTask {
        var assignments = fixedSettings + candidates[c].assignments
        var useRows = rows
        switch halving {
        case .rows?: useRows = resources
        case .parameter(let name, _)?: assignments.append("\(name)=\(resources)")
        case nil: break
        }
        return FoldTask(
            key: FoldKey(iteration: iteration, candidate: c, fold: fold), assignments: assignments,
            params: candidates[c].description, rows: useRows, resources: halving == nil ? rows : resources)
    }

    /// The refit's settings for the best candidate: fixed, then the candidate's (halving's resource at its maximum).
    public func refitAssignments(_ best: LeaderboardRow) -> [String] {
        var a = fixedSettings + candidates[best.candidate].assignments
        if case .parameter(let name, let max)? = halving { a.append("\(name)=\(max)") }
        return a
    }
}
