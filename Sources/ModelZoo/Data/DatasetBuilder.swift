import Foundation

/// What to do with training rows that miss a feature value.
public enum ImputeStrategy: String, Sendable, CaseIterable, Codable {
    /// Drop the row (default).
    case drop
    /// Fill numeric features with the training mean, categorical ones with the most frequent level.
    case mean
}

/// How training data is read, split and scaled.
public struct DataOptions: Sendable {
    public var target: String
    /// Feature columns by name; nil means every column but the target.
    public var features: [String]?
    public var scaler: AffineScaler.Kind = .minmax
    public var impute: ImputeStrategy = .drop
    /// Fraction of usable rows held out for test metrics (0 keeps every row for training).
    public var testFraction = 0.2
    public var seed: UInt64 = 402
    /// A text column with more distinct values than this is refused as a feature (it looks like an id).
    public var maxLevels = 1000

    public init(target: String, features: [String]? = nil) {
        self.target = target
        self.features = features
    }
}

/// Training data after reading, cleaning, splitting, encoding and scaling the features.
public struct PreparedData: Sendable {
    /// Feature schema with fitted scalers (target scaler still identity: the trainer picks it per plugin).
    public var schema: FeatureSchema
    public var trainX: Matrix
    public var trainY: [Double]
    public var testX: Matrix
    public var testY: [Double]
    public var rows: RowCounts
    /// Things the user should know (e.g. a category matched only case-insensitively).
    public var warnings: [String]
}

/// Builds `PreparedData` from a CSV table.
///
/// Every pass over the rows runs in slices on all cores, reading cells in place (no `String` per
/// cell), and gives the same result as a row-by-row pass: errors name the first bad row in file
/// order, and values reach the scalers in training-row order.
public enum DatasetBuilder {
    public static func prepare(_ table: CSVTable, options: DataOptions) throws -> PreparedData {
        try prepare(table, options: options, sliced: .cores)
    }

    /// `prepare` with the row passes cut by `sliced` (tests compare one slice with many).
    static func prepare(_ table: CSVTable, options: DataOptions, sliced: Slicer) throws -> PreparedData {
        // Each cell is parsed once here; the census, the scalers' fit and the encoder read the doubles.
        let table = table.rowCount > 0 ? table.parsingNumbersOnce(sliced: sliced) : table
        guard let targetCol = table.columnIndex(options.target) else {
            throw ZooError.missingColumn(name: options.target, role: "target", available: table.header)
        }
        let featureCols = try featureColumns(table, options, target: targetCol)
        guard table.rowCount > 0 else { throw ZooError.insufficientData("the file has a header but no data rows") }
        var rows = RowCounts()
        rows.read = table.rowCount
        let y = try targetValues(table, targetCol, sliced: sliced)
        rows.droppedMissingTarget = y.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        var columns: [FeatureColumn] = [], warnings: [String] = []
        for c in featureCols {
            let (column, warning) = try inferColumn(table, c, maxLevels: options.maxLevels, sliced: sliced)
            columns.append(column)
            if let warning { warnings.append(warning) }
        }
        let usable = try usableRows(table, y: y, featureCols: featureCols, impute: options.impute, counts: &rows, sliced: sliced)
        let split = DataSplit(rows: usable, testFraction: options.testFraction, seed: options.seed)
        rows.train = split.train.count
        rows.test = split.test.count
        let slot = split.slots(rowCount: table.rowCount)
        for (k, c) in featureCols.enumerated() where columns[k].kind == .numeric {
            fitNumeric(&columns[k], table, c, slot: slot, trainCount: split.train.count, options: options, sliced: sliced)
        }
        if options.impute == .mean {
            for (k, c) in featureCols.enumerated() where columns[k].kind == .categorical {
                imputeMostFrequent(&columns[k], table, c, trainRows: split.train)
            }
        }
        let schema = FeatureSchema(columns: columns, target: table.header[targetCol], targetScaler: .identity)
        let encoder = try FeatureEncoder(schema: schema, header: table.header)
        var caseMismatches = CaseMismatches()
        let (trainX, testX) = try encode(table, slot: slot, train: split.train.count, test: split.test.count, encoder,
                                         sliced: sliced, &caseMismatches)
        if let warning = caseMismatches.warning { warnings.append(warning) }
        return PreparedData(schema: schema, trainX: trainX, trainY: split.train.map { y[$0] },
                            testX: testX, testY: split.test.map { y[$0] }, rows: rows, warnings: warnings)
    }

    /// The feature columns' indices: those named in `options.features`, or every column but the target.
    static func featureColumns(_ table: CSVTable, _ options: DataOptions, target: Int) throws -> [Int] {
        guard let names = options.features else {
            let all = table.header.indices.filter { $0 != target }
            guard !all.isEmpty else {
                throw ZooError.insufficientData("no feature columns: the file has only the target '\(table.header[target])'")
            }
            return all
        }
        var cols: [Int] = []
        for n in names {
            guard let i = table.columnIndex(n) else { throw ZooError.missingColumn(name: n, role: "feature", available: table.header) }
            guard i != target else { throw ZooError.invalidInput("'\(n)' is the target; it cannot also be a feature") }
            guard !cols.contains(i) else { throw ZooError.invalidInput("feature '\(n)' is listed twice") }
            cols.append(i)
        }
        guard !cols.isEmpty else { throw ZooError.insufficientData("no feature columns given") }
        return cols
    }

    /// Rows with a target, minus (with `--impute drop`) those missing a feature; counts what was dropped or imputed.
    static func usableRows(_ table: CSVTable, y: [Double], featureCols: [Int], impute: ImputeStrategy, counts: inout RowCounts,
                           sliced: Slicer) throws -> [Int] {
        let n = table.rowCount
        var missingFeature = [Bool](repeating: false, count: n)
        missingFeature.withUnsafeMutableBufferPointer { M in
            table.withCells { cells in
                _ = sliced(n) { lo, hi -> Bool in
                    for r in lo..<hi { M[r] = featureCols.contains { cells.isEmpty(r, $0) } }
                    return true
                }
            }
        }
        var usable: [Int] = []
        usable.reserveCapacity(n)
        for r in 0..<n where !y[r].isNaN {
            if missingFeature[r] {
                if impute == .drop { counts.droppedMissingFeatures += 1; continue }
                counts.imputed += 1
            }
            usable.append(r)
        }
        guard usable.count >= 2 else {
            throw ZooError.insufficientData("only \(usable.count) usable rows after dropping \(counts.droppedMissingTarget) without a "
                                            + "target and \(counts.droppedMissingFeatures) with missing features")
        }
        return usable
    }

    /// Fits a numeric column's scaler (and, with `--impute mean`, its mean) on the training rows only,
    /// values in training-row order; missing values do not shape either.
    static func fitNumeric(_ column: inout FeatureColumn, _ table: CSVTable, _ c: Int, slot: [Int32], trainCount: Int,
                           options: DataOptions, sliced: Slicer) {
        var values = [Double](repeating: .nan, count: trainCount)
        values.withUnsafeMutableBufferPointer { V in
            table.withCells { cells in
                _ = sliced(table.rowCount) { lo, hi -> Bool in
                    for r in lo..<hi where slot[r] >= 0 {
                        if case .number(let v) = cells.cell(r, c) { V[Int(slot[r])] = v }
                    }
                    return true
                }
            }
        }
        values.removeAll { $0.isNaN }
        column.scaler = AffineScaler.fit(options.scaler, values)
        if options.impute == .mean, !values.isEmpty {
            column.impute = values.reduce(0, +) / Double(values.count)
        }
    }

    /// The most frequent level among the training rows, as the categorical column's imputation index.
    static func imputeMostFrequent(_ column: inout FeatureColumn, _ table: CSVTable, _ c: Int, trainRows: [Int]) {
        var counts = [Int](repeating: 0, count: column.levels?.count ?? 0)
        for r in trainRows where !table.isEmpty(r, c) {
            if let i = column.levelIndex(table.text(r, c)) { counts[i.index] += 1 }
        }
        column.impute = Double(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
    }

    /// Encodes every file row with a slot into its training or test matrix row, reading the file in
    /// order in slices on all cores; the first row (in file order) that cannot be encoded is the error.
    static func encode(_ table: CSVTable, slot: [Int32], train: Int, test: Int, _ encoder: FeatureEncoder, sliced: Slicer,
                       _ caseMismatches: inout CaseMismatches) throws -> (train: Matrix, test: Matrix) {
        let w = encoder.width
        var trainValues = [Double](repeating: 0, count: train * w), testValues = [Double](repeating: 0, count: test * w)
        let outcomes = trainValues.withUnsafeMutableBufferPointer { TR in
            testValues.withUnsafeMutableBufferPointer { TE in
                slot.withUnsafeBufferPointer { S in
                    sliced(slot.count) { lo, hi -> (mismatches: CaseMismatches, problem: (row: Int, FeatureEncoder.Problem)?) in
                        // Blocks of rows encoded into a small buffer (cache-resident), then scattered.
                        let block = 512
                        var rows = [Int](), buffer = [Double](repeating: 0, count: block * max(w, 1))
                        rows.reserveCapacity(block)
                        var mismatches = CaseMismatches()
                        var problem: (row: Int, FeatureEncoder.Problem)?
                        var start = lo
                        while start < hi && problem == nil {
                            let end = min(hi, start + block)
                            rows.removeAll(keepingCapacity: true)
                            for r in start..<end where S[r] != -1 { rows.append(r) }
                            buffer.withUnsafeMutableBufferPointer { B in
                                let written = encoder.encodeRows(table, rows: rows, into: B.baseAddress!, caseMismatches: &mismatches) { r, p in
                                    problem = (r, p)
                                    return false
                                }
                                for k in 0..<written {
                                    let s = Int(S[rows[k]])
                                    let to = s >= 0 ? TR.baseAddress! + s * w : TE.baseAddress! + (-2 - s) * w
                                    to.update(from: B.baseAddress! + k * w, count: w)
                                }
                            }
                            start = end
                        }
                        return (mismatches, problem)
                    }
                }
            }
        }
        if let (r, p) = outcomes.lazy.compactMap({ $0.problem }).first { throw p.error(line: table.line(r)) }
        for o in outcomes { caseMismatches.merge(o.mismatches) }
        return (Matrix(rows: train, cols: w, values: trainValues), Matrix(rows: test, cols: w, values: testValues))
    }

    /// The target's values (NaN where missing). A target column of text is refused as categorical, a
    /// mostly numeric one with text names the first bad value (see `ColumnCensus.kind`).
    static func targetValues(_ table: CSVTable, _ c: Int, sliced: Slicer) throws -> [Double] {
        let census = ColumnCensus.take(table, c, sliced: sliced)
        if try census.kind(table, c) == .categorical, let r = census.firstText {
            throw ZooError.csv(line: table.line(r), column: table.header[c], message: "the target column is categorical (text such as "
                + "'\(table.text(r, c).prefix(40))'): choose a numeric column with --target; classification is not supported yet")
        }
        var y = [Double](repeating: .nan, count: table.rowCount)
        y.withUnsafeMutableBufferPointer { Y in
            table.withCells { cells in
                _ = sliced(table.rowCount) { lo, hi -> Bool in
                    for r in lo..<hi { if case .number(let v) = cells.cell(r, c) { Y[r] = v } }
                    return true
                }
            }
        }
        return y
    }

    /// Numeric when every present value is a number, categorical when text dominates (see
    /// `ColumnCensus.kind` for what is refused), with the distinct trimmed texts as sorted levels and a
    /// warning when they look like identifiers (more than 20, and more than half the values).
    static func inferColumn(_ table: CSVTable, _ c: Int, maxLevels: Int, sliced: Slicer) throws -> (FeatureColumn, warning: String?) {
        let name = table.header[c]
        let n = table.rowCount
        let census = ColumnCensus.take(table, c, sliced: sliced)
        guard census.present > 0 else { throw ZooError.insufficientData("feature column '\(name)' has no values") }
        if try census.kind(table, c) == .numeric { return (FeatureColumn(name: name, kind: .numeric), nil) }
        // Distinct texts per slice by their bytes (no String per cell), then merged as Strings.
        let tooMany = ZooError.invalidInput("column '\(name)' has more than \(maxLevels) distinct text values; it looks like an identifier or free text. Leave it out with --features")
        let perSlice = table.withCells { cells in
            sliced(n) { lo, hi -> [String]? in
                var seen = DistinctBytes()
                for r in lo..<hi where !cells.isEmpty(r, c) {
                    if cells.isEscaped(r, c) {
                        seen.insert(Array(table.text(r, c).utf8))
                    } else {
                        cells.withBytes(r, c) { seen.insert($0) }
                    }
                    if seen.count > maxLevels { return nil }
                }
                return seen.strings
            }
        }
        var levels = Set<String>()
        for slice in perSlice {
            guard let slice else { throw tooMany }
            levels.formUnion(slice)
            if levels.count > maxLevels { throw tooMany }
        }
        let column = FeatureColumn(name: name, kind: .categorical, levels: levels.sorted())
        return (column, manyLevelsWarning(column, values: census.present))
    }

    /// A warning for a categorical column with more than 20 levels that are more than half its values.
    static func manyLevelsWarning(_ column: FeatureColumn, values: Int) -> String? {
        let levels = column.levels?.count ?? 0
        guard levels > 20, levels * 2 > values else { return nil }
        return "column '\(column.name)' has \(NumberText.grouped(levels)) distinct values in \(NumberText.grouped(values)) rows "
            + "(one input each); if it is an identifier or free text, leave it out with --features"
    }
}

/// A set of byte strings that looks a cell up without allocating: the last hit first (columns
/// repeat their few levels), then a hash of the bytes.
struct DistinctBytes {
    private var items: [[UInt8]] = []
    private var byHash: [UInt64: [Int]] = [:]
    private var last = -1

    var count: Int { items.count }
    /// Each distinct byte string as text (invalid UTF-8 repaired, so two can become equal).
    var strings: [String] { items.map { String(decoding: $0, as: UTF8.self) } }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) {
        if last >= 0, items[last].elementsEqual(bytes) { return }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        if let candidates = byHash[h], let i = candidates.first(where: { items[$0].elementsEqual(bytes) }) {
            last = i
            return
        }
        byHash[h, default: []].append(items.count)
        last = items.count
        items.append(Array(bytes))
    }

    mutating func insert(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { insert($0) } }
}
