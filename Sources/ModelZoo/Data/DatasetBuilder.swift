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
    /// Fraction of usable rows held out for test metrics (0 keeps every row for training, in file order).
    public var testFraction = 0.2
    public var seed: UInt64 = 402
    /// How rows are dealt between training and test (random, stratified, grouped).
    public var split: SplitStrategy = .random
    /// The command line that asked for this training run (recorded in the file).
    public var commandLine: [String]?
    /// A text column with more distinct values than this is refused as a feature (it looks like an id).
    public var maxLevels = 1000
    /// What preparing the data and fitting may plan to allocate.
    public var memory = MemoryBudget.detect()
    /// Regression or classification; nil decides from the target (text: classification; numbers:
    /// regression, except at most 10 distinct whole numbers with 30 rows each on average, which are
    /// refused as ambiguous).
    public var task: LearningTask?
    /// Classification: hold out the same fraction of every class (scikit-learn's `stratify=y`).
    public var stratify = true

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
    /// The data as read (content hash, rows, columns).
    public var fingerprint: DataFingerprint
    /// File row indices of the training and test rows, in the order of `trainX` and `testX`.
    public var split: DataSplit
    /// Hashes of a sample of training rows as read (see `DataFingerprint.rowProbe`).
    public var rowProbe: [UInt64] = []
    /// With a grouped split, each training row's group id (cross-validation keeps groups whole).
    public var groups: [Int]?
    /// Things the user should know (e.g. a category matched only case-insensitively).
    public var warnings: [String]
}

/// Builds `PreparedData` from a CSV table.
///
/// Every pass over the rows runs in slices on all cores, reading cells in place (no `String` per
/// cell), and gives the same result as a row-by-row pass: errors name the first bad row in file
/// order, and values reach the scalers in training-row order.
public enum DatasetBuilder {
    public static func prepare(_ table: consuming CSVTable, options: DataOptions) throws -> PreparedData {
        try prepare(consume table, options: options, sliced: .cores)
    }

    /// What preparing `table` holds at its peak, at the least: the CSV bytes and cell spans already
    /// read (each span becomes its cell's number in place), and the encoded rows with one input per
    /// feature column (one-hot columns add more, checked once the width is known). Checked before
    /// any of it is allocated, so a file too large for the memory limit is refused with the numbers
    /// instead of being killed by the allocator halfway.
    static func preparationBytes(_ table: CSVTable) -> Int {
        let cells = MemoryBudget.product(table.rowCount, table.columnCount)
        let spans = MemoryBudget.product(cells, 8) &+ MemoryBudget.product(table.rowCount, 16)
        return [
            table.bytes.count, spans, MemoryBudget.product(table.rowCount, max(1, table.columnCount - 1), 8),
        ]
        .reduce(0) { $0 > Int.max - $1 ? .max : $0 + $1 }
    }

    /// `prepare` with the row passes cut by `sliced` (tests compare one slice with many).
    ///
    /// What needs the CSV's bytes (the columns' kinds and levels, the target's classes, a split
    /// column's texts, the fingerprint and the row probe's candidates) is read first; then every
    /// text cell becomes its level's word and the bytes go, before the per-row arrays and the
    /// matrix are allocated. `zoo train linear` on 10,000,000 BMI rows (400 MB): peak RSS 1.21 GB with
    /// the bytes kept until the encoding, 0.94 GB now (0.92 GB when read, then while encoding: the
    /// cells, the matrix, the split and the targets), against 1.5x the file plus the matrix, 0.92 GB.
    static func prepare(_ table: consuming CSVTable, options: DataOptions, sliced: Slicer) throws -> PreparedData {
        try options.memory.check(
            preparationBytes(table),
            for: "preparing \(table.rowCount) rows × \(table.columnCount) columns (\(table.bytes.count) bytes of CSV) for training")
        table.compactingLines()
        // Each cell is parsed once here; the census, the scalers' fit and the encoder read the numbers.
        table.boxingNumbers(sliced: sliced)
        guard let targetCol = table.columnIndex(options.target) else {
            throw ZooError.missingColumn(name: options.target, role: "target", available: table.header)
        }
        let featureCols = try featureColumns(table, options, target: targetCol)
        guard table.rowCount > 0 else { throw ZooError.insufficientData("the file has a header but no data rows") }
        var rows = RowCounts()
        rows.read = table.rowCount
        let census = ColumnCensus.take(table, columns: [targetCol] + featureCols, sliced: sliced)
        let textClasses = try textTargetClasses(table, targetCol, task: options.task, sliced: sliced, census: census[0])
        var columns: [FeatureColumn] = [], warnings: [String] = []
        for (k, c) in featureCols.enumerated() {
            let (column, warning) = try inferColumn(table, c, maxLevels: options.maxLevels, sliced: sliced, census: census[k + 1])
            columns.append(column)
            if let warning { warnings.append(warning) }
        }
        let splitTexts = try splitColumnTexts(table, options)
        let fingerprint = DataFingerprint(table)
        let probe = DataFingerprint.RowProbeCandidates(table, testFraction: options.testFraction)
        try replaceTextWithLevels(&table, columns, target: textClasses.map { (targetCol, $0) }, sliced: sliced)
        let (y, classes) = try targetValues(
            table, targetCol, task: options.task, sliced: sliced, census: census[0], textClasses: textClasses)
        rows.droppedMissingTarget = y.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        let usable = try usableRows(table, y: y, featureCols: featureCols, impute: options.impute, counts: &rows, sliced: sliced)
        let split = try deal(
            table, usable: consume usable, options: options, classOf: classes != nil && options.stratify ? y : nil, texts: splitTexts)
        rows.train = split.train.count
        rows.test = split.test.count
        let (trainY, testY) = (split.train.map { y[$0] }, split.test.map { y[$0] })
        let slot = split.slots(rowCount: table.rowCount)
        if options.scaler == .standard || options.impute == .mean {
            for (k, c) in featureCols.enumerated() where columns[k].kind == .numeric {
                try fitNumeric(&columns[k], table, c, slot: slot, trainCount: split.train.count, options: options, sliced: sliced)
            }
        } else {
            try fitMinMax(&columns, table, featureCols, slot: slot, kind: options.scaler, sliced: sliced)
        }
        if options.impute == .mean {
            for (k, c) in featureCols.enumerated() where columns[k].kind == .categorical {
                imputeMostFrequent(&columns[k], table, c, trainRows: split.train)
            }
        }
        let schema = FeatureSchema(columns: columns, target: table.header[targetCol], targetScaler: .identity, classes: classes)
        try checkHeaderFits(schema)
        let encoder = try FeatureEncoder(schema: schema, header: table.header)
        let rowsKept = split.train.count + split.test.count
        try options.memory.check(
            MemoryBudget.product(rowsKept, encoder.width, 8),
            for: "the encoded data (\(rowsKept) rows × \(encoder.width) inputs)")
        var groups: [Int]?
        if case .group = options.split, let splitTexts { groups = splitTexts.levelIds(rows: split.train) }
        let rowProbe = probe.probe { slot[$0] >= 0 }
        var caseMismatches = CaseMismatches()
        let (trainX, testX) = try encode(
            table, slot: slot, train: split.train.count, test: split.test.count, encoder,
            sliced: sliced, &caseMismatches)
        if let warning = caseMismatches.warning { warnings.append(warning) }
        return PreparedData(
            schema: schema, trainX: trainX, trainY: trainY, testX: testX, testY: testY, rows: rows, fingerprint: fingerprint,
            split: split, rowProbe: rowProbe, groups: groups, warnings: warnings)
    }

    /// Every present cell of the categorical feature `columns` and of a text target (its column and
    /// classes) replaced by its level's word, in every row; the table's bytes let go.
    static func replaceTextWithLevels(
        _ table: inout CSVTable, _ columns: [FeatureColumn], target: (column: Int, classes: [String])?, sliced: Slicer
    ) throws {
        var text = columns.filter { $0.kind == .categorical }
        if let target { text.append(FeatureColumn(name: table.header[target.column], kind: .categorical, levels: target.classes)) }
        let encoder = try FeatureEncoder(schema: FeatureSchema(columns: text, target: "", targetScaler: .identity), header: table.header)
        encoder.replacingTextWithLevels(&table, sliced: sliced)
    }

    /// The texts of the split strategy's column, read while the table has its bytes: a group
    /// column's always, a stratifying column's when it holds any text (numbers are binned later).
    static func splitColumnTexts(_ table: CSVTable, _ options: DataOptions) throws -> ColumnTexts? {
        switch options.split {
        case .random: return nil
        case .group(let name): return ColumnTexts(table, column: try splitColumn(table, name))
        case .stratify(let name, _):
            guard options.testFraction > 0 else { return nil }
            let c = try splitColumn(table, name)
            let hasText = table.withCells { cells in (0..<table.rowCount).contains { cells.cell($0, c) == .text } }
            return hasText ? ColumnTexts(table, column: c) : nil
        }
    }

    static func splitColumn(_ table: CSVTable, _ name: String) throws -> Int {
        guard let c = table.columnIndex(name) else { throw ZooError.missingColumn(name: name, role: "split", available: table.header) }
        return c
    }

    /// The split `prepare` makes with `options`, without encoding anything: the usable rows (those
    /// with a target and, with `--impute drop`, every feature) dealt by the options' strategy.
    /// With `target` nil every row counts as having one (and every column but `options.features`' is ignored).
    public static func split(_ table: CSVTable, options: DataOptions, hasTarget: Bool = true) throws -> (split: DataSplit, rows: RowCounts)
    {
        var rows = RowCounts()
        rows.read = table.rowCount
        guard table.rowCount > 0 else { throw ZooError.insufficientData("the file has a header but no data rows") }
        let y: [Double], featureCols: [Int]
        var classes: [String]?
        if hasTarget {
            guard let targetCol = table.columnIndex(options.target) else {
                throw ZooError.missingColumn(name: options.target, role: "target", available: table.header)
            }
            featureCols = try featureColumns(table, options, target: targetCol)
            (y, classes) = try targetValues(table, targetCol, task: options.task, sliced: .cores)
            rows.droppedMissingTarget = y.reduce(0) { $0 + ($1.isNaN ? 1 : 0) }
        } else {
            featureCols = try featureColumns(table, options, target: -1)
            y = [Double](repeating: 0, count: table.rowCount)
        }
        let usable = try usableRows(table, y: y, featureCols: featureCols, impute: options.impute, counts: &rows, sliced: .cores)
        let split = try deal(
            table, usable: usable, options: options, classOf: classes != nil && options.stratify ? y : nil,
            texts: try splitColumnTexts(table, options))
        rows.train = split.train.count
        rows.test = split.test.count
        return (split, rows)
    }

    /// How `usable` rows are dealt between training and test; `classOf` (classification, class index
    /// per file row) stratifies a random split by class; `texts` is the split column's
    /// (`splitColumnTexts`).
    static func deal(
        _ table: CSVTable, usable: consuming [Int], options: DataOptions, classOf: [Double]? = nil, texts: ColumnTexts?
    ) throws -> DataSplit {
        // Nothing held out: the rows in file order, so a file `zoo split` wrote trains (and cross-validates)
        // on exactly the rows, in exactly the order, that the split of the original file gives.
        guard options.testFraction > 0 else { return DataSplit(train: usable, test: []) }
        switch options.split {
        case .random:
            guard let classOf else { return DataSplit(rows: consume usable, testFraction: options.testFraction, seed: options.seed) }
            return DataSplit.stratified(
                rows: usable, strata: usable.map { Int(classOf[$0]) }, testFraction: options.testFraction,
                seed: options.seed)
        case .stratify(let name, let bins):
            let strata = SplitKeys.strata(table, column: try splitColumn(table, name), rows: usable, bins: bins, texts: texts)
            return DataSplit.stratified(rows: usable, strata: strata, testFraction: options.testFraction, seed: options.seed)
        case .group(let name):
            let texts = try texts ?? ColumnTexts(table, column: splitColumn(table, name))
            let groups = texts.levelIds(rows: usable)
            return try DataSplit.grouped(rows: usable, groups: groups, testFraction: options.testFraction, seed: options.seed)
        }
    }

    /// A model file's header holds the schema: refuse before training what could not be saved after it.
    static func checkHeaderFits(_ schema: FeatureSchema) throws {
        let bytes = (try? JSONEncoder().encode(schema).count) ?? 0
        let room = Int(NNMFormat.maxMetaSize) - (64 << 10)  // the rest of META: metrics, layers, hyperparameters
        guard bytes > room else { return }
        throw ZooError.invalidInput(
            "\(schema.columns.count) feature columns need \(NumberText.bytes(bytes)) of model header, over the "
                + "\(NumberText.bytes(room)) a model file holds for them; choose fewer columns with --features")
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
    static func usableRows(
        _ table: CSVTable, y: [Double], featureCols: [Int], impute: ImputeStrategy, counts: inout RowCounts,
        sliced: Slicer
    ) throws -> [Int] {
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
            throw ZooError.insufficientData(
                "only \(usable.count) usable rows after dropping \(counts.droppedMissingTarget) without a "
                    + "target and \(counts.droppedMissingFeatures) with missing features")
        }
        return usable
    }

    /// Fits a numeric column's scaler (and, with `--impute mean`, its mean) on the training rows only,
    /// values in training-row order; missing values do not shape either.
    static func fitNumeric(
        _ column: inout FeatureColumn, _ table: CSVTable, _ c: Int, slot: [Int32], trainCount: Int,
        options: DataOptions, sliced: Slicer
    ) throws {
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
        let scaler = AffineScaler.fit(options.scaler, values)
        if let lo = values.min(), let hi = values.max() { try checkScaledRange(column.name, lo, hi, scaler) }
        column.scaler = scaler
        if options.impute == .mean, !values.isEmpty {
            column.impute = values.reduce(0, +) / Double(values.count)
        }
    }

    /// `fitNumeric` for scalers that do not depend on the values' order (min-max, none) and no mean
    /// imputation: every numeric column's training minimum and maximum in one pass over the rows, in
    /// slices (a pass a column read the cell words a row apart: 10% of `zoo train linear` on 160,000
    /// wide rows).
    static func fitMinMax(
        _ columns: inout [FeatureColumn], _ table: CSVTable, _ featureCols: [Int], slot: [Int32], kind: AffineScaler.Kind,
        sliced: Slicer
    ) throws {
        let numeric = columns.indices.filter { columns[$0].kind == .numeric }, csv = numeric.map { featureCols[$0] }
        let parts = table.withCells { cells in
            sliced(table.rowCount) { lo, hi -> [(lo: Double, hi: Double)] in
                var m = [(lo: Double, hi: Double)](repeating: (.infinity, -.infinity), count: csv.count)
                for r in lo..<hi where slot[r] >= 0 {
                    for (j, c) in csv.enumerated() {
                        if case .number(let v) = cells.cell(r, c) { m[j] = (min(m[j].lo, v), max(m[j].hi, v)) }
                    }
                }
                return m
            }
        }
        for (j, k) in numeric.enumerated() {
            let lo = parts.map { $0[j].lo }.min() ?? .infinity, hi = parts.map { $0[j].hi }.max() ?? -.infinity
            let scaler = kind == .minmax ? AffineScaler.minmax(lo: lo, hi: hi) : .identity
            if lo.isFinite { try checkScaledRange(columns[k].name, lo, hi, scaler) }
            columns[k].scaler = scaler
        }
    }

    /// Refuses a column whose values from `lo` to `hi` overflow once scaled.
    static func checkScaledRange(_ name: String, _ lo: Double, _ hi: Double, _ scaler: AffineScaler) throws {
        guard !(scaler.apply(lo).isFinite && scaler.apply(hi).isFinite) else { return }
        throw ZooError.invalidInput(
            "column '\(name)': values from \(lo) to \(hi) span more than a double can hold once scaled; rescale the column")
    }

    /// The most frequent level among the training rows, as the categorical column's imputation index.
    static func imputeMostFrequent(_ column: inout FeatureColumn, _ table: CSVTable, _ c: Int, trainRows: [Int]) {
        var counts = [Int](repeating: 0, count: column.levels?.count ?? 0)
        let levels = column
        var levelOf = TextValues<Int?>()
        table.withCells { cells in
            for r in trainRows where !cells.isEmpty(r, c) {
                let level = cells.level(r, c) ?? levelOf.value(cells, table, row: r, column: c, { levels.levelIndex($0)?.index })
                if let i = level { counts[i] += 1 }
            }
        }
        column.impute = Double(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
    }

    /// Encodes every file row with a slot into its training or test matrix row, reading the file in
    /// order in slices on all cores; the first row (in file order) that cannot be encoded is the error.
    static func encode(
        _ table: CSVTable, slot: [Int32], train: Int, test: Int, _ encoder: FeatureEncoder, sliced: Slicer,
        _ caseMismatches: inout CaseMismatches
    ) throws -> (train: Matrix, test: Matrix) {
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
                                let written = encoder.encodeRows(table, rows: rows, into: B.baseAddress!, caseMismatches: &mismatches) {
                                    r, p in
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

    /// The target's values (NaN where missing): numbers for regression, class indices into the
    /// returned labels for classification. A text target is categorical; a numeric one is regression
    /// unless `task` says classification, and a target of a few distinct whole numbers must be told
    /// which. A mostly numeric target with text names the first bad value (see `ColumnCensus.kind`).
    static func targetValues(_ table: CSVTable, _ c: Int, task: LearningTask?, sliced: Slicer, census: ColumnCensus? = nil) throws
        -> (y: [Double], classes: [String]?)
    {
        let census = census ?? ColumnCensus.take(table, c, sliced: sliced)
        let textClasses = try textTargetClasses(table, c, task: task, sliced: sliced, census: census)
        return try targetValues(table, c, task: task, sliced: sliced, census: census, textClasses: textClasses)
    }

    /// A text target's classes, in `ClassLabels` order; nil for a numeric target. Reads the cells'
    /// text: called while the table has its bytes.
    static func textTargetClasses(_ table: CSVTable, _ c: Int, task: LearningTask?, sliced: Slicer, census: ColumnCensus) throws
        -> [String]?
    {
        let name = table.header[c]
        guard try census.kind(table, c) == .categorical else { return nil }
        if task == .regression, let r = census.firstText {
            throw ZooError.csv(
                line: table.line(r), column: name,
                message: "the target column is categorical (text such as "
                    + "'\(table.text(r, c).prefix(40))'): --task regress needs a numeric target; leave --task out to fit a classifier")
        }
        // One class per distinct trimmed text, in `ClassLabels` order. Cells are read as bytes in
        // slices, a String made once per distinct text a slice (a String a row, on one core, was 8% of
        // `zoo train linear` on a million-row three-class table).
        let max = FeatureSchema.maxTrainingClasses
        let tooMany = ZooError.invalidInput(
            "the target '\(name)' has more than \(max) distinct texts; a classifier takes at most \(max) classes (is it an identifier?)")
        let distinct = try distinctTexts(table, c, atMost: max, sliced: sliced, orElse: tooMany)
        guard distinct.count >= 2 else {
            throw ZooError.insufficientData(
                "the target '\(name)' has \(distinct.count) distinct value; a classifier needs at least two classes")
        }
        return ClassLabels.sorted(distinct)
    }

    /// `targetValues` once a text target's classes are known (`textClasses`): its cells may be level
    /// words by then (`replaceTextWithLevels`), or still text.
    static func targetValues(
        _ table: CSVTable, _ c: Int, task: LearningTask?, sliced: Slicer, census: ColumnCensus, textClasses: [String]?
    ) throws -> (y: [Double], classes: [String]?) {
        let name = table.header[c]
        var y = [Double](repeating: .nan, count: table.rowCount)
        guard let classes = textClasses else {
            y.withUnsafeMutableBufferPointer { Y in
                table.withCells { cells in
                    _ = sliced(table.rowCount) { lo, hi -> Bool in
                        for r in lo..<hi { if case .number(let v) = cells.cell(r, c) { Y[r] = v } }
                        return true
                    }
                }
            }
            if let r = y.indices.first(where: { abs(y[$0]) > maxTargetMagnitude }) {
                throw ZooError.csv(
                    line: table.line(r), column: name,
                    message: "target value \(y[r]) is too large to fit: "
                        + "squared errors would overflow; rescale the target (e.g. to millions) below 1e150")
            }
            if task == .regression { return (y, nil) }
            var distinct = Set<Double>()
            for v in y where !v.isNaN {
                distinct.insert(v)
                if distinct.count > FeatureSchema.maxTrainingClasses { break }
            }
            if task == nil {
                // Few distinct whole numbers, each repeated many times (30 rows a value on average):
                // class codes as likely as counts.
                let present = y.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
                let whole = distinct.allSatisfy { $0 == $0.rounded() }
                guard whole, distinct.count >= 2, distinct.count <= 10, present >= 30 * distinct.count else { return (y, nil) }
                let shown = distinct.sorted().prefix(5).map(ClassLabels.label).joined(separator: ", ")
                throw ZooError.invalidInput(
                    "the target '\(name)' holds only \(distinct.count) distinct whole numbers (\(shown)"
                        + "\(distinct.count > 5 ? ", ..." : "")): say what to predict with --task classify (one class each) "
                        + "or --task regress (a number)"
                )
            }
            guard distinct.count <= FeatureSchema.maxTrainingClasses else {
                throw ZooError.invalidInput(
                    "the target '\(name)' has more than \(FeatureSchema.maxTrainingClasses) distinct values; a classifier takes at most "
                        + "\(FeatureSchema.maxTrainingClasses) classes (--task regress?)")
            }
            guard distinct.count >= 2 else {
                throw ZooError.insufficientData(
                    "the target '\(name)' has \(distinct.count) distinct value; a classifier needs at least two classes")
            }
            let byLabel = Dictionary(distinct.map { (ClassLabels.label($0), $0) }, uniquingKeysWith: { a, _ in a })
            let classes = ClassLabels.sorted(Set(byLabel.keys))
            let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { (byLabel[$1]!, Double($0)) })
            for r in y.indices where !y[r].isNaN { y[r] = index[y[r]]! }
            return (y, classes)
        }
        let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Double($0)) })
        y.withUnsafeMutableBufferPointer { Y in
            table.withCells { cells in
                _ = sliced(table.rowCount) { lo, hi -> Bool in
                    var classOf = TextValues<Double>()
                    for r in lo..<hi where !cells.isEmpty(r, c) {
                        Y[r] = cells.level(r, c).map(Double.init) ?? classOf.value(cells, table, row: r, column: c, { index[$0]! })
                    }
                    return true
                }
            }
        }
        return (y, classes)
    }

    /// Beyond this a squared error (and a forest's sums of squares) overflows a double.
    static let maxTargetMagnitude = 1e150

    /// Numeric when every present value is a number, categorical when text dominates (see
    /// `ColumnCensus.kind` for what is refused), with the distinct trimmed texts as sorted levels and a
    /// warning when they look like identifiers (more than 20, and more than half the values).
    static func inferColumn(_ table: CSVTable, _ c: Int, maxLevels: Int, sliced: Slicer, census: ColumnCensus) throws
        -> (FeatureColumn, warning: String?)
    {
        let name = table.header[c]
        guard census.present > 0 else { throw ZooError.insufficientData("feature column '\(name)' has no values") }
        if try census.kind(table, c) == .numeric { return (FeatureColumn(name: name, kind: .numeric), nil) }
        let tooMany = ZooError.invalidInput(
            "column '\(name)' has more than \(maxLevels) distinct text values; it looks like an identifier or free text. "
                + "Leave it out with --features"
        )
        let levels = try distinctTexts(table, c, atMost: maxLevels, sliced: sliced, orElse: tooMany)
        let column = FeatureColumn(name: name, kind: .categorical, levels: levels.sorted())
        return (column, manyLevelsWarning(column, values: census.present))
    }

    /// The distinct texts of column `c`'s present cells: per slice by their bytes (no String per
    /// cell), then merged as Strings (canonically equal spellings are one). `tooMany` once there are
    /// more than `max`, as soon as a slice finds that many.
    static func distinctTexts(_ table: CSVTable, _ c: Int, atMost max: Int, sliced: Slicer, orElse tooMany: ZooError) throws
        -> Set<String>
    {
        let perSlice = table.withCells { cells in
            sliced(table.rowCount) { lo, hi -> [String]? in
                var seen = DistinctBytes()
                for r in lo..<hi where !cells.isEmpty(r, c) {
                    seen.insert(cells, table, row: r, column: c)
                    if seen.count > max { return nil }
                }
                return seen.strings
            }
        }
        var distinct = Set<String>()
        for slice in perSlice {
            guard let slice else { throw tooMany }
            distinct.formUnion(slice)
            if distinct.count > max { throw tooMany }
        }
        return distinct
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
    var strings: [String] { items.indices.map(string) }
    /// Distinct byte string `id` as text.
    func string(_ id: Int) -> String { String(decoding: items[id], as: UTF8.self) }

    /// Adds `bytes` if new; returns their number (0, 1, ... in order of first insertion).
    @discardableResult
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if last >= 0, Self.equal(items[last], bytes) { return last }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        if let candidates = byHash[h], let i = candidates.first(where: { Self.equal(items[$0], bytes) }) {
            last = i
            return i
        }
        byHash[h, default: []].append(items.count)
        last = items.count
        items.append(Array(bytes))
        return last
    }

    @discardableResult
    mutating func insert(_ bytes: [UInt8]) -> Int { bytes.withUnsafeBufferPointer { insert($0) } }

    /// Adds row `r`'s cell in column `c` (present) by its text's bytes: in place, or unescaped.
    @discardableResult
    mutating func insert(_ cells: CSVTable.Cells, _ table: CSVTable, row r: Int, column c: Int) -> Int {
        cells.isEscaped(r, c) ? insert(Array(table.text(r, c).utf8)) : cells.withBytes(r, c) { insert($0) }
    }

    /// Byte equality by memcmp: the generic `elementsEqual` went byte by byte (2.5% of
    /// `zoo train linear` on 160,000 wide rows, for one categorical column compared every row).
    static func equal(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { a in b.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, b.count) == 0 }
    }
}

/// Each distinct cell text's value, made once from its String (a column repeats a few texts; a
/// String and a lookup a row were 8% of `zoo train` and of `zoo compare` on a million-row table).
/// Equal Strings from different bytes (canonically equal spellings) get equal values.
struct TextValues<Value> {
    private var seen = DistinctBytes()
    private var values: [Value] = []

    /// The value of row `r`'s present cell in column `c`: `make(text)` the first time its text is met.
    mutating func value(_ cells: CSVTable.Cells, _ table: CSVTable, row r: Int, column c: Int, _ make: (String) -> Value) -> Value {
        let id = seen.insert(cells, table, row: r, column: c)
        if id == values.count { values.append(make(seen.string(id))) }
        return values[id]
    }
}
