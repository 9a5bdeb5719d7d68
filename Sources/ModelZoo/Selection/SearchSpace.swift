/// One hyperparameter setting of a search: values as typed (`hidden=16,8`), in the order the
/// searched names were given.
public struct Candidate: Sendable, Equatable, Codable {
    public var names: [String]
    public var values: [String]

    public init(names: [String], values: [String]) {
        self.names = names
        self.values = values
    }

    /// `key=value` assignments for `Plugin.make`.
    public var assignments: [String] { zip(names, values).map { "\($0)=\($1)" } }
    /// `hidden=16,8 learning_rate=0.01`.
    public var description: String { assignments.joined(separator: " ") }
}

/// How one hyperparameter is drawn in a random search.
public enum Distribution: Sendable, Equatable {
    case uniform(Double, Double)
    case logUniform(Double, Double)
    /// Integers lo...hi, each equally likely.
    case int(Int, Int)
    case choice([String])

    /// `uniform:0:1`, `loguniform:1e-4:1e-1`, `int:50:300`, `choice:relu|tanh`.
    public static func parse(_ text: String) throws -> Distribution {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let bad = ZooError.invalidInput("distribution '\(text)' is not uniform:LO:HI, loguniform:LO:HI, int:LO:HI or choice:A|B|C")
        guard parts.count == 2 else { throw bad }
        if parts[0] == "choice" { return .choice(parts[1].split(separator: "|", omittingEmptySubsequences: false).map(String.init)) }
        let bounds = parts[1].split(separator: ":").map(String.init)
        guard bounds.count == 2 else { throw bad }
        switch parts[0] {
        case "int":
            guard let lo = Int(bounds[0]), let hi = Int(bounds[1]), lo <= hi else { throw bad }
            return .int(lo, hi)
        case "uniform", "loguniform":
            guard let lo = Double(bounds[0]), let hi = Double(bounds[1]), lo.isFinite, hi.isFinite, lo <= hi else { throw bad }
            if parts[0] == "uniform" { return .uniform(lo, hi) }
            guard lo > 0 else { throw ZooError.invalidInput("loguniform needs bounds above 0, got '\(text)'") }
            return .logUniform(lo, hi)
        default: throw bad
        }
    }

    /// One value as text, drawn from `rng`.
    func sample(_ rng: inout SplitMix64) -> String {
        switch self {
        case .uniform(let lo, let hi): return "\(lo + (hi - lo) * rng.uniform())"
        case .logUniform(let lo, let hi): return "\(exp(log(lo) + (log(hi) - log(lo)) * rng.uniform()))"
        case .int(let lo, let hi): return "\(lo + rng.below(hi - lo + 1))"
        case .choice(let values): return values[rng.below(values.count)]
        }
    }
}

/// The candidates of a search: the grid's every combination (first parameter slowest, as
/// `itertools.product`), or `count` random draws (draw i from its own seeded stream, so a draw does
/// not depend on the others); grid lists count as choices in a random search.
public struct SearchSpace: Sendable {
    public var grid: [(name: String, values: [String])] = []
    public var distributions: [(name: String, distribution: Distribution)] = []

    public init() {}

    /// Parses `--grid name=a|b|c` and `--dist name=loguniform:lo:hi`, names resolved (aliases
    /// included) and every grid value checked against `plugin`'s parameter specs (the regressor's
    /// or the classifier's, whichever the search fits: the classifier of `linear` has `C`).
    public init(grid: [String], distributions: [String], plugin: PluginVariant) throws {
        var seen = Set<String>()
        func name(_ item: String, _ flag: String) throws -> (String, String) {
            guard let eq = item.firstIndex(of: "=") else { throw ZooError.invalidInput("\(flag) '\(item)' is not name=values") }
            let key = item[..<eq].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
            guard let spec = plugin.parameters.first(where: { $0.name == key || $0.aliases.contains(key) }) else {
                throw ZooError.unknownParameter(kind: plugin.kind, key: key, known: plugin.parameters.map(\.name))
            }
            guard seen.insert(spec.name).inserted else { throw ZooError.invalidInput("'\(spec.name)' is searched twice") }
            return (spec.name, String(item[item.index(after: eq)...]))
        }
        for item in grid {
            let (n, text) = try name(item, "--grid")
            let values = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            for v in values { _ = try plugin.make(["\(n)=\(v)"]) }
            self.grid.append((n, values))
        }
        for item in distributions {
            let (n, text) = try name(item, "--dist")
            self.distributions.append((n, try Distribution.parse(text)))
        }
    }

    public var names: [String] { grid.map(\.name) + distributions.map(\.name) }

    /// Every combination of the grid.
    public func gridCandidates() -> [Candidate] {
        var out = [[String]()]
        for (_, values) in grid { out = out.flatMap { prefix in values.map { prefix + [$0] } } }
        return out.map { Candidate(names: grid.map(\.name), values: $0) }
    }

    /// `count` random candidates drawn with `seed`.
    public func randomCandidates(_ count: Int, seed: UInt64) -> [Candidate] {
        let all = grid.map { ($0.name, Distribution.choice($0.values)) } + distributions.map { ($0.name, $0.distribution) }
        let base = SplitMix64(seed: seed)
        return (0..<count).map { i in
            var rng = base.split(UInt64(i))
            return Candidate(names: all.map(\.0), values: all.map { $0.1.sample(&rng) })
        }
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
