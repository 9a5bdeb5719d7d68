/// How rows are dealt between the training and test splits (and cross-validation folds).
public enum SplitStrategy: Sendable, Equatable, Codable {
    /// A seeded shuffle of the usable rows.
    case random
    /// Each stratum of `column` keeps its share of the test split: the column's levels, or for a
    /// numeric column `bins` quantile bins (rows with the value missing form one more stratum).
    case stratify(column: String, bins: Int)
    /// Rows sharing a value of `column` all go to one side (a group never straddles the split).
    case group(column: String)

    public static let defaultBins = 5

    enum CodingKeys: String, CodingKey { case strategy, column, bins }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        switch try c.decode(String.self, forKey: .strategy) {
        case "random": self = .random
        case "stratify":
            self = .stratify(
                column: try c.decode(String.self, forKey: .column),
                bins: try c.decodeIfPresent(Int.self, forKey: .bins) ?? Self.defaultBins)
        case "group": self = .group(column: try c.decode(String.self, forKey: .column))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .strategy, in: c, debugDescription: "unknown split strategy '\(other)'")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .random: try c.encode("random", forKey: .strategy)
        case .stratify(let column, let bins):
            try c.encode("stratify", forKey: .strategy)
            try c.encode(column, forKey: .column)
            try c.encode(bins, forKey: .bins)
        case .group(let column):
            try c.encode("group", forKey: .strategy)
            try c.encode(column, forKey: .column)
        }
    }

    /// `random`, `stratify=BMI (5 bins)`, `group=household`.
    public var description: String {
        switch self {
        case .random: return "random"
        case .stratify(let column, let bins): return "stratify=\(column) (\(bins) bins)"
        case .group(let column): return "group=\(column)"
        }
    }

    /// The column the strategy reads, if any.
    public var column: String? {
        switch self {
        case .random: return nil
        case .stratify(let c, _), .group(let c): return c
        }
    }
}

/// Per-row keys a split strategy deals by: stratum or group ids for the usable rows.
enum SplitKeys {
    /// Stratum ids for `rows`: sorted levels of a text column, or quantile bins (by rank, ties kept
    /// together) of a numeric one; a missing value is a stratum of its own. `texts` is the column's
    /// `ColumnTexts` (read while the table had its bytes) when it holds any text.
    static func strata(_ table: CSVTable, column c: Int, rows: [Int], bins: Int, texts: ColumnTexts? = nil) -> [Int] {
        let values = rows.map { table.cell($0, c) }
        let isNumeric = !values.contains { $0 == .text }
        guard isNumeric else { return (texts ?? ColumnTexts(table, column: c)).levelIds(rows: rows) }
        var present: [(v: Double, k: Int)] = []
        for (k, v) in values.enumerated() { if case .number(let x) = v { present.append((x, k)) } }
        present.sort { $0.v != $1.v ? $0.v < $1.v : $0.k < $1.k }
        var ids = [Int](repeating: bins, count: rows.count)
        var i = 0
        while i < present.count {
            var j = i
            while j < present.count && present[j].v == present[i].v { j += 1 }
            let bin = min(bins - 1, i * bins / max(present.count, 1))
            for t in i..<j { ids[present[t].k] = bin }
            i = j
        }
        return ids
    }
}

/// A column's cells as ids of their distinct trimmed texts, read in every row while the table has
/// its bytes: a training table lets them go before it deals its rows by this column. A String is
/// made per distinct cell text, not per row.
struct ColumnTexts {
    /// Each row's index into `texts`.
    private let ids: [Int32]
    private let texts: [String]

    init(_ table: borrowing CSVTable, column c: Int) {
        // After `replaceTextWithLevels` every text would read as empty: one group, silently.
        precondition(!table.textDropped, "a column's texts are read before the table lets its bytes go")
        var seen = DistinctBytes()
        ids = table.withCells { cells in (0..<table.rowCount).map { Int32(seen.insert(cells, table, row: $0, column: c)) } }
        texts = (0..<seen.count).map { seen.string($0).trimmingCharacters(in: .whitespaces) }
    }

    /// Ids of the distinct texts over `rows`, numbered in the sorted order of the texts they hold
    /// (the empty text is one too).
    func levelIds(rows: [Int]) -> [Int] {
        var present = [Bool](repeating: false, count: texts.count)
        for r in rows { present[Int(ids[r])] = true }
        let sorted = Set(texts.indices.filter { present[$0] }.map { texts[$0] }).sorted()
        let index = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, $0) })
        let idOf = texts.map { index[$0] }
        return rows.map { idOf[Int(ids[$0])]! }
    }
}
