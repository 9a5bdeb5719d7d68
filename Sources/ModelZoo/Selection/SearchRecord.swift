/// A search's results as the refit model's file carries them (META `search`): how it searched and
/// the leaderboard, best first. `zoo train --cv` stores its one configuration the same way.
public struct SearchRecord: Sendable, Codable, Equatable {
    /// `grid`, `random`, `grid+halving(rows)`, `cv` (one configuration).
    public var method: String
    public var scoring: String
    public var folds: Int
    /// The searched hyperparameters, in the order given.
    public var parameters: [String]
    /// Settings every candidate shared (`-p`).
    public var fixed: [String]
    public var candidates: Int
    /// Rows whose fits failed (diverged), not stored.
    public var failed: Int
    public var leaderboard: [LeaderboardRow]

    /// At most this many leaderboard rows are stored (the best ones; META stays far below its 1 MiB cap).
    public static let maxRows = 200

    public init(
        method: String, scoring: String, folds: Int, parameters: [String], fixed: [String], candidates: Int,
        leaderboard: [LeaderboardRow]
    ) {
        self.method = method
        self.scoring = scoring
        self.folds = folds
        self.parameters = parameters
        self.fixed = fixed
        self.candidates = candidates
        let ok = leaderboard.filter { $0.error == nil && $0.meanScore.isFinite && $0.foldScores.allSatisfy(\.isFinite) }
        failed = leaderboard.count - ok.count
        self.leaderboard = Array(ok.prefix(Self.maxRows))
    }
}
