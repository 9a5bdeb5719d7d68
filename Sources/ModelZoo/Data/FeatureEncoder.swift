/// Turns CSV rows into encoded, scaled feature rows for one schema: columns matched by name (any
/// order, extra columns ignored), numbers scaled, categories one-hot. Training and prediction
/// both go through this one path, so they cannot disagree.
public struct FeatureEncoder: Sendable {
    public let schema: FeatureSchema
    /// The CSV column of each schema column.
    public let csvColumns: [Int]
    /// Flat per-column plan, so the row loop touches plain numbers only (no struct copies, no retains).
    private let plan: [Step]
    /// Every categorical level's UTF-8 bytes, back to back; a step's levels are `levelBytes[levelStart[i]..<levelStart[i+1]]`.
    private let levelBytes: [UInt8]
    private let levelStarts: [Int]

    struct Step: Sendable {
        var csvColumn: Int
        var offset: Int
        var numeric: Bool
        var center: Double
        var scale: Double
        /// Raw value (numeric) or level index (categorical) for a missing field; NaN when missing is an error.
        var impute: Double
        /// Categorical: first index into `levelStarts`, and the level count.
        var firstLevel: Int
        var levelCount: Int
    }

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
                let why =
                    ["nan", "inf", "-inf", "+inf", "infinity", "-infinity"].contains(lower)
                    ? "found '\(t)': NaN and infinity are not accepted" : "expected a number, found '\(t.prefix(40))'"
                return .csv(line: line, column: c, message: why)
            case let .unknownLevel(c, t, known):
                return .csv(
                    line: line, column: c, message: "unknown category '\(t.prefix(40))'; the model knows \(known.joined(separator: ", "))")
            }
        }
    }

    /// Maps the schema onto a CSV header. Throws `ZooError.missingColumn` for a feature the header lacks.
    public init(schema: FeatureSchema, header: [String]) throws {
        self.schema = schema
        var cols: [Int] = []
        var plan: [Step] = []
        var bytes: [UInt8] = []
        var starts: [Int] = [0]
        var offset = 0
        for c in schema.columns {
            guard let i = CSVTable.columnIndex(c.name, in: header) else {
                throw ZooError.missingColumn(name: c.name, role: "feature", available: header)
            }
            cols.append(i)
            let scaler = c.scaler ?? .identity
            let levels = c.levels ?? []
            plan.append(
                Step(
                    csvColumn: i, offset: offset, numeric: c.kind == .numeric, center: scaler.center, scale: scaler.scale,
                    impute: c.impute ?? .nan, firstLevel: starts.count - 1, levelCount: c.kind == .numeric ? 0 : levels.count))
            if c.kind == .categorical {
                for l in levels { bytes += Array(l.utf8); starts.append(bytes.count) }
            }
            offset += c.width
        }
        csvColumns = cols
        width = offset
        self.plan = plan
        levelBytes = bytes
        levelStarts = starts
    }

    /// Encoded columns per row (stored: the schema computes it by walking its columns).
    public let width: Int

    /// Encodes row `row` of `table` into `out[0..<width]`. Returns the first problem instead, if any.
    /// `caseMismatches` records categories matched only case-insensitively (`male` for `Male`).
    public func encode(_ table: CSVTable, row: Int, into out: UnsafeMutablePointer<Double>, caseMismatches: inout CaseMismatches)
        -> Problem?
    {
        var problem: Problem?
        _ = encodeRows(table, row, row + 1, into: out, caseMismatches: &caseMismatches) { _, p in
            problem = p; return false
        }
        return problem
    }

    /// Encodes rows `lo..<hi`, usable rows packed one after another into `out`; calls `problem` for
    /// each row that cannot be encoded (return false to stop). Returns the number of rows written.
    public func encodeRows(
        _ table: CSVTable, _ lo: Int, _ hi: Int, into out: UnsafeMutablePointer<Double>, caseMismatches: inout CaseMismatches,
        problem: (Int, Problem) -> Bool
    ) -> Int {
        encodeRows(table, rows: lo..<hi, into: out, caseMismatches: &caseMismatches, problem: problem)
    }

    /// Encodes every row of `table` in row slices on all cores, leaving out rows that cannot be encoded
    /// (see `encodeRows` for why). Returns the encoded rows in table order and their row indices.
    public func encodeAll(_ table: CSVTable) -> (x: Matrix, rows: [Int]) {
        var mismatches = CaseMismatches()
        return encodeAll(table, caseMismatches: &mismatches)
    }

    /// `encodeAll`, also counting categories matched only ignoring case.
    public func encodeAll(_ table: CSVTable, caseMismatches: inout CaseMismatches) -> (x: Matrix, rows: [Int]) {
        let w = width, n = table.rowCount
        guard n > 0 else { return (Matrix(rows: 0, cols: w), []) }
        // No inputs (schemas have at least one, so not reached): every row encodes to nothing.
        guard w > 0 else { return (Matrix(rows: n, cols: 0), Array(0..<n)) }
        // Every slice writes its rows into the one matrix, at its first row: no per-slice arrays
        // joined afterwards (that copy was 7% of zoo bench's ingest + encode on BMI). Every value
        // below the final row count is written before it is read.
        var values = [Double](unsafeUninitializedCapacity: n * w) { _, initialized in initialized = n * w }
        let slices = values.withUnsafeMutableBufferPointer { X in
            let base = X.baseAddress!
            return Slicer.cores(n, cellsPerRow: table.columnCount) {
                lo, hi -> (lo: Int, hi: Int, written: Int, left: [Int], mismatches: CaseMismatches) in
                var mismatches = CaseMismatches(), left: [Int] = []
                let written = encodeRows(table, lo, hi, into: base + lo * w, caseMismatches: &mismatches) { r, _ in
                    left.append(r); return true
                }
                return (lo, hi, written, left, mismatches)
            }
        }
        var rows: [Int] = []
        rows.reserveCapacity(n)
        var filled = 0
        values.withUnsafeMutableBufferPointer { X in
            for s in slices {
                caseMismatches.merge(s.mismatches)
                // A slice that left rows out closes the gap before the next one's rows.
                if filled != s.lo && s.written > 0 {
                    UnsafeMutableRawPointer(X.baseAddress! + filled * w).copyMemory(
                        from: X.baseAddress! + s.lo * w, byteCount: s.written * w * MemoryLayout<Double>.stride)
                }
                var k = 0  // `left` is ascending
                for r in s.lo..<s.hi { if k < s.left.count && s.left[k] == r { k += 1 } else { rows.append(r) } }
                filled += s.written
            }
        }
        values.removeLast((n - filled) * w)
        return (Matrix(rows: filled, cols: w, values: values), rows)
    }

    /// Encodes the listed rows, in the listed order, as `encodeRows(_:_:_:into:caseMismatches:problem:)`.
    func encodeRows<Rows: Sequence<Int>>(
        _ table: CSVTable, rows: Rows, into out: UnsafeMutablePointer<Double>, caseMismatches: inout CaseMismatches,
        problem: (Int, Problem) -> Bool
    ) -> Int {
        table.withCells { cells in
            plan.withUnsafeBufferPointer { plan in
                levelBytes.withUnsafeBufferPointer { lb in
                    levelStarts.withUnsafeBufferPointer { ls in
                        var written = 0
                        for r in rows {
                            let target = out + written * width
                            if encodeRow(cells, plan, lb, ls, row: r, into: target) {
                                written += 1
                            } else if let p = encodeSlow(table, row: r, into: target, caseMismatches: &caseMismatches) {
                                if !problem(r, p) { break }
                            } else {
                                written += 1
                            }
                        }
                        return written
                    }
                }
            }
        }
    }

    /// The fast path: encodes one row from bytes, exact category matches only. False sends the row
    /// to `encodeSlow` (a problem, or a category that matches only ignoring case).
    @inline(__always)
    private func encodeRow(
        _ cells: CSVTable.Cells, _ plan: UnsafeBufferPointer<Step>, _ lb: UnsafeBufferPointer<UInt8>,
        _ ls: UnsafeBufferPointer<Int>, row: Int, into out: UnsafeMutablePointer<Double>
    ) -> Bool {
        for k in 0..<plan.count {
            let step = plan[k]
            if step.numeric {
                switch cells.cell(row, step.csvColumn) {
                case .number(let v): out[step.offset] = (v - step.center) / step.scale
                case .missing:
                    guard !step.impute.isNaN else { return false }
                    out[step.offset] = (step.impute - step.center) / step.scale
                case .text: return false
                }
            } else {
                var hit = cells.level(row, step.csvColumn) ?? exactLevel(cells, step, lb, ls, row: row) ?? -1
                if hit < 0 {
                    if cells.isEmpty(row, step.csvColumn) {
                        guard step.impute >= 0, step.impute < Double(step.levelCount) else { return false }  // compared before Int(...): NaN and 1e300 never reach it
                        hit = Int(step.impute)
                    } else {
                        return false
                    }
                }
                if step.levelCount == 2 {
                    out[step.offset] = hit == 1 ? 1 : 0
                } else {
                    for j in 0..<step.levelCount { out[step.offset + j] = j == hit ? 1 : 0 }
                }
            }
        }
        return true
    }

    /// The level whose bytes the cell's are, if one is (case-sensitive; the slow path tries the rest).
    /// The cell's span is found once, not once a level: a boxed number cell's span is a scan of its record.
    @inline(__always)
    private func exactLevel(
        _ cells: CSVTable.Cells, _ step: Step, _ lb: UnsafeBufferPointer<UInt8>, _ ls: UnsafeBufferPointer<Int>, row: Int
    ) -> Int? {
        let s = cells.span(row, step.csvColumn)
        guard !s.escaped else { return nil }
        let n = s.end - s.start, cell = cells.bytes + s.start
        levels: for j in 0..<step.levelCount {
            let a = ls[step.firstLevel + j]
            guard ls[step.firstLevel + j + 1] - a == n else { continue }
            for k in 0..<n where cell[k] != lb[a + k] { continue levels }
            return j
        }
        return nil
    }

    /// Replaces every present cell of the categorical columns, in every row, by its level
    /// (`CellWord.level`), and lets the table's bytes go: training encodes the rest from the words
    /// alone. A cell with no level (there is none in a training table, whose levels are its
    /// columns' texts) keeps its word and, its text gone, fails to encode as an unknown category.
    func replacingTextWithLevels(_ table: inout CSVTable, sliced: Slicer) {
        guard table.records.boxed, !table.textDropped else { return }
        // The schema's categorical columns (their plan steps share the schema's indices).
        let categorical = plan.indices.filter { !plan[$0].numeric }, m = categorical.count
        var levels = [Int32](repeating: -1, count: m == 0 ? 0 : table.rowCount * m)
        levels.withUnsafeMutableBufferPointer { L in
            table.withCells { cells in
                levelBytes.withUnsafeBufferPointer { lb in
                    levelStarts.withUnsafeBufferPointer { ls in
                        _ = sliced(table.rowCount) { lo, hi -> Bool in
                            for r in lo..<hi {
                                for (k, i) in categorical.enumerated() where !cells.isEmpty(r, plan[i].csvColumn) {
                                    let found = exactLevel(cells, plan[i], lb, ls, row: r) ?? slowLevel(table, column: i, row: r)
                                    L[r * m + k] = Int32(found ?? -1)
                                }
                            }
                            return true
                        }
                    }
                }
            }
        }
        table.bytes = []
        table.records.dropCellText(levels: levels, columns: categorical.map { plan[$0].csvColumn })
        table.textDropped = true
    }

    /// The level of a cell of schema column `column` that is not byte for byte one (escaped quotes, case): by its text.
    @inline(never)
    private func slowLevel(_ table: CSVTable, column: Int, row: Int) -> Int? {
        schema.columns[column].levelIndex(table.text(row, csvColumns[column]))?.index
    }

    /// The slow path, with strings: case-insensitive category matches (counted) and the exact problem.
    private func encodeSlow(_ table: CSVTable, row: Int, into out: UnsafeMutablePointer<Double>, caseMismatches: inout CaseMismatches)
        -> Problem?
    {
        var offset = 0
        var mismatches = CaseMismatches()
        for (k, column) in schema.columns.enumerated() {
            let col = csvColumns[k]
            defer { offset += column.width }
            switch column.kind {
            case .numeric:
                let scaler = column.scaler ?? .identity
                switch table.cell(row, col) {
                case .number(let v): out[offset] = scaler.apply(v)
                case .missing:
                    guard let m = column.impute else { return .missing(column: column.name) }
                    out[offset] = scaler.apply(m)
                case .text: return .notANumber(column: column.name, text: table.text(row, col))
                }
            case .categorical:
                let levels = column.levels ?? []
                var hit: Int
                if table.isEmpty(row, col) {
                    guard let m = column.impute, m >= 0, m < Double(levels.count) else { return .missing(column: column.name) }
                    hit = Int(m)
                } else {
                    let text = table.text(row, col)
                    guard let found = column.levelIndex(text) else {
                        return .unknownLevel(column: column.name, text: text, known: levels)
                    }
                    hit = found.index
                    if !found.exact { mismatches.record(column: column.name, value: text, level: levels[found.index]) }
                }
                if levels.count == 2 {
                    out[offset] = hit == 1 ? 1 : 0
                } else {
                    for j in 0..<levels.count { out[offset + j] = j == hit ? 1 : 0 }
                }
            }
        }
        caseMismatches.merge(mismatches)
        return nil
    }
}
