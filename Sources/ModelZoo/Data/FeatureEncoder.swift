/// Turns CSV rows into encoded, scaled feature rows for one schema: columns matched by name (any
/// order, extra columns ignored), numbers scaled, categories one-hot. Training and prediction
/// both go through this one path, so they cannot disagree.
public struct FeatureEncoder: Sendable {
    public let schema: FeatureSchema
    /// The CSV column of each schema column.
    public let csvColumns: [Int]
    private let levelBytes: [[[UInt8]]]
    private let offsets: [Int]

    /// Why a row could not be encoded.
    public enum Problem: Equatable, Sendable {
        case missing(column: String)
        case notANumber(column: String, text: String)
        case unknownLevel(column: String, text: String, known: [String])

        /// The error for this problem at `line`.
        public func error(line: Int) -> ZooError {
            switch self {
            case .missing(let c):
                return .csv(line: line, column: c, message: "missing value")
            case let .notANumber(c, t):
                let lower = t.lowercased()
                let why = ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lower)
                    ? "found '\(t)': NaN and infinity are not accepted" : "expected a number, found '\(t.prefix(40))'"
                return .csv(line: line, column: c, message: why)
            case let .unknownLevel(c, t, known):
                return .csv(line: line, column: c, message: "unknown category '\(t.prefix(40))'; the model knows \(known.joined(separator: ", "))")
            }
        }
    }

    /// Maps the schema onto a CSV header. Throws `ZooError.missingColumn` for a feature the header lacks.
    public init(schema: FeatureSchema, header: [String]) throws {
        self.schema = schema
        let lookup = CSVTable(header: header, bytes: [], records: CSVRecords(columns: header.count, reserve: 0))
        var cols: [Int] = []
        for c in schema.columns {
            guard let i = lookup.columnIndex(c.name) else {
                throw ZooError.missingColumn(name: c.name, role: "feature", available: header)
            }
            cols.append(i)
        }
        csvColumns = cols
        levelBytes = schema.columns.map { ($0.levels ?? []).map { Array($0.utf8) } }
        var o: [Int] = []
        var acc = 0
        for c in schema.columns { o.append(acc); acc += c.width }
        offsets = o
    }

    public var width: Int { schema.encodedWidth }

    /// Encodes row `row` of `table` into `out[0..<width]`. Returns the first problem instead, if any.
    /// `caseMismatches` counts categories matched only case-insensitively (`male` for `Male`).
    public func encode(_ table: CSVTable, row: Int, into out: UnsafeMutablePointer<Double>, caseMismatches: inout Int) -> Problem? {
        for (k, column) in schema.columns.enumerated() {
            let col = csvColumns[k]
            let o = offsets[k]
            switch column.kind {
            case .numeric:
                let scaler = column.scaler ?? .identity
                switch table.cell(row, col) {
                case .number(let v): out[o] = scaler.apply(v)
                case .missing:
                    guard let m = column.impute else { return .missing(column: column.name) }
                    out[o] = scaler.apply(m)
                case .text: return .notANumber(column: column.name, text: table.text(row, col))
                }
            case .categorical:
                let levels = levelBytes[k]
                var hit = -1
                for (j, lb) in levels.enumerated() where table.cellEquals(row, col, lb) { hit = j; break }
                if hit < 0 {
                    if table.isEmpty(row, col) {
                        guard let m = column.impute, m >= 0, Int(m) < levels.count else { return .missing(column: column.name) }
                        hit = Int(m)
                    } else {
                        let text = table.text(row, col)
                        guard let found = column.levelIndex(text) else {
                            return .unknownLevel(column: column.name, text: text, known: column.levels ?? [])
                        }
                        hit = found.index
                        if !found.exact { caseMismatches += 1 }
                    }
                }
                if levels.count == 2 {
                    out[o] = hit == 1 ? 1 : 0
                } else {
                    for j in 0..<levels.count { out[o + j] = j == hit ? 1 : 0 }
                }
            }
        }
        return nil
    }
}
