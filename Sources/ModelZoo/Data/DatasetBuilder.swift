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
public enum DatasetBuilder {
    public static func prepare(_ table: CSVTable, options: DataOptions) throws -> PreparedData {
        guard let targetCol = table.columnIndex(options.target) else {
            throw ZooError.missingColumn(name: options.target, role: "target", available: table.header)
        }
        let targetName = table.header[targetCol]
        var featureCols: [Int] = []
        if let names = options.features {
            for n in names {
                guard let i = table.columnIndex(n) else { throw ZooError.missingColumn(name: n, role: "feature", available: table.header) }
                guard i != targetCol else { throw ZooError.invalidInput("'\(n)' is the target; it cannot also be a feature") }
                guard !featureCols.contains(i) else { throw ZooError.invalidInput("feature '\(n)' is listed twice") }
                featureCols.append(i)
            }
        } else {
            featureCols = table.header.indices.filter { $0 != targetCol }
        }
        guard !featureCols.isEmpty else { throw ZooError.insufficientData("no feature columns: the file has only the target '\(targetName)'") }
        guard table.rowCount > 0 else { throw ZooError.insufficientData("the file has a header but no data rows") }

        var rows = RowCounts()
        rows.read = table.rowCount

        // Target: numeric; missing → dropped.
        var y = [Double](repeating: .nan, count: table.rowCount)
        for r in 0..<table.rowCount {
            switch table.cell(r, targetCol) {
            case .number(let v): y[r] = v
            case .missing: rows.droppedMissingTarget += 1
            case .text:
                throw FeatureEncoder.Problem.notANumber(column: targetName, text: table.text(r, targetCol)).error(line: table.line(r))
            }
        }

        // Column kinds, and which rows miss a feature.
        var columns: [FeatureColumn] = []
        for c in featureCols { columns.append(try inferColumn(table, c, maxLevels: options.maxLevels)) }
        var usable: [Int] = []
        usable.reserveCapacity(table.rowCount)
        for r in 0..<table.rowCount where !y[r].isNaN {
            let missing = featureCols.contains { table.isEmpty(r, $0) }
            if missing {
                if options.impute == .drop { rows.droppedMissingFeatures += 1; continue }
                rows.imputed += 1
            }
            usable.append(r)
        }
        guard usable.count >= 2 else {
            throw ZooError.insufficientData("only \(usable.count) usable rows after dropping \(rows.droppedMissingTarget) without a target and \(rows.droppedMissingFeatures) with missing features")
        }

        // Split.
        var rng = SplitMix64(seed: options.seed)
        var order = usable
        rng.shuffle(&order)
        var nTest = Int((Double(order.count) * options.testFraction).rounded(.up))
        if options.testFraction > 0 { nTest = min(max(nTest, 1), order.count - 1) } else { nTest = 0 }
        let testRows = Array(order[..<nTest])
        let trainRows = Array(order[nTest...])
        rows.train = trainRows.count
        rows.test = testRows.count

        // Fit scalers and imputation on the training rows only.
        for (k, c) in featureCols.enumerated() where columns[k].kind == .numeric {
            var values: [Double] = []
            values.reserveCapacity(trainRows.count)
            for r in trainRows { if case .number(let v) = table.cell(r, c) { values.append(v) } }
            columns[k].scaler = AffineScaler.fit(options.scaler, values)
            if options.impute == .mean, !values.isEmpty {
                columns[k].impute = values.reduce(0, +) / Double(values.count)
            }
        }
        if options.impute == .mean {
            for (k, c) in featureCols.enumerated() where columns[k].kind == .categorical {
                let levels = columns[k].levels ?? []
                var counts = [Int](repeating: 0, count: levels.count)
                for r in trainRows where !table.isEmpty(r, c) {
                    if let i = columns[k].levelIndex(table.text(r, c)) { counts[i.index] += 1 }
                }
                columns[k].impute = Double(counts.indices.max { counts[$0] < counts[$1] } ?? 0)
            }
        }
        let schema = FeatureSchema(columns: columns, target: targetName, targetScaler: .identity)
        let encoder = try FeatureEncoder(schema: schema, header: table.header)
        var warnings: [String] = []
        var caseMismatches = 0
        let trainX = try encode(table, trainRows, encoder, &caseMismatches)
        let testX = try encode(table, testRows, encoder, &caseMismatches)
        if caseMismatches > 0 {
            warnings.append("\(caseMismatches) categorical values matched a level only when ignoring case")
        }
        return PreparedData(schema: schema, trainX: trainX, trainY: trainRows.map { y[$0] },
                            testX: testX, testY: testRows.map { y[$0] }, rows: rows, warnings: warnings)
    }

    static func encode(_ table: CSVTable, _ rows: [Int], _ encoder: FeatureEncoder, _ caseMismatches: inout Int) throws -> Matrix {
        let w = encoder.width
        var values = [Double](repeating: 0, count: rows.count * w)
        try values.withUnsafeMutableBufferPointer { buf in
            for (i, r) in rows.enumerated() {
                if let problem = encoder.encode(table, row: r, into: buf.baseAddress! + i * w, caseMismatches: &caseMismatches) {
                    throw problem.error(line: table.line(r))
                }
            }
        }
        return Matrix(rows: rows.count, cols: w, values: values)
    }

    /// Numeric when (nearly) every present value is a number — then any text is an error naming its line;
    /// categorical when most values are text, with the distinct trimmed texts as sorted levels.
    static func inferColumn(_ table: CSVTable, _ c: Int, maxLevels: Int) throws -> FeatureColumn {
        let name = table.header[c]
        var numbers = 0, texts = 0
        var firstText: Int?
        for r in 0..<table.rowCount {
            switch table.cell(r, c) {
            case .number: numbers += 1
            case .text: texts += 1; if firstText == nil { firstText = r }
            case .missing: break
            }
        }
        guard numbers + texts > 0 else { throw ZooError.insufficientData("feature column '\(name)' has no values") }
        if texts == 0 { return FeatureColumn(name: name, kind: .numeric) }
        if numbers * 10 >= (numbers + texts) * 9, let r = firstText {
            // Mostly numbers: the text is a bad value, not a category.
            throw FeatureEncoder.Problem.notANumber(column: name, text: table.text(r, c)).error(line: table.line(r))
        }
        var levels = Set<String>()
        for r in 0..<table.rowCount where !table.isEmpty(r, c) {
            levels.insert(table.text(r, c))
            if levels.count > maxLevels {
                throw ZooError.invalidInput("column '\(name)' has more than \(maxLevels) distinct text values; it looks like an identifier or free text. Leave it out with --features")
            }
        }
        return FeatureColumn(name: name, kind: .categorical, levels: levels.sorted())
    }
}
