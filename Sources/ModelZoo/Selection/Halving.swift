/// What successive halving gives survivors more of: training rows, or a hyperparameter such as
/// `trees` or `epochs` (scikit-learn's `resource`).
public enum HalvingResource: Sendable, Equatable {
    case rows
    case parameter(String, max: Int)

    public var description: String {
        switch self {
        case .rows: return "rows"
        case .parameter(let name, let max): return "\(name) up to \(max)"
        }
    }
}

/// scikit-learn's HalvingGridSearchCV schedule with `min_resources='exhaust'`: iteration i runs
/// `ceil(n / factor^i)` candidates on `r0 · factor^i` resources, r0 chosen so the last iteration
/// gets (nearly) all of them.
public struct HalvingSchedule: Sendable, Equatable {
    public var factor: Int
    public var resources: [Int]

    public init(candidates: Int, maxResources: Int, minResources: Int, factor: Int = 3) {
        self.factor = factor
        var needed = 1, p = factor  // 1 + floor(log_factor(candidates)), as scikit-learn's n_required_iterations_
        while p <= candidates { needed += 1; p *= factor }
        var possible = 1, r = minResources
        while r * factor <= maxResources { r *= factor; possible += 1 }
        let iterations = max(1, min(needed, possible))
        var power = 1
        for _ in 1..<iterations { power *= factor }
        let r0 = max(minResources, maxResources / power)
        var out: [Int] = [], value = r0
        for _ in 0..<iterations { out.append(min(value, maxResources)); value *= factor }
        resources = out
    }

    /// Candidates kept after an iteration with `n` of them (at least one).
    public func survivors(_ n: Int) -> Int { max(1, (n + factor - 1) / factor) }
}
