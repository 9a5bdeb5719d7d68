/// Categories matched to a level only when ignoring case (`male` for `Male`): how many, and the first
/// few distinct ones, so the warning names the column and the values.
public struct CaseMismatches: Sendable, Equatable {
    public struct Example: Sendable, Equatable {
        public var column: String
        public var value: String
        public var level: String
    }

    /// Distinct examples kept (and named in the warning).
    public static let maxExamples = 3

    public private(set) var count = 0
    public private(set) var examples: [Example] = []

    public init() {}

    mutating func record(column: String, value: String, level: String) {
        count += 1
        let example = Example(column: column, value: value, level: level)
        if examples.count < Self.maxExamples, !examples.contains(example) { examples.append(example) }
    }

    /// Adds the mismatches of later rows.
    public mutating func merge(_ later: CaseMismatches) {
        count += later.count
        for e in later.examples where examples.count < Self.maxExamples && !examples.contains(e) { examples.append(e) }
    }

    /// `3 categorical values matched a level only when ignoring case: 'male' for 'Male' in column 'Sex', ...`;
    /// nil when there were none.
    public var warning: String? {
        guard count > 0 else { return nil }
        var shown = examples.map { "'\($0.value.prefix(40))' for '\($0.level.prefix(40))' in column '\($0.column)'" }
        if examples.count == Self.maxExamples { shown.append("...") }
        return "\(count) categorical values matched a level only when ignoring case: \(shown.joined(separator: ", "))"
    }
}
