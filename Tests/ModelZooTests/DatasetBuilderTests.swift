import Testing
@testable import ModelZoo

@Suite struct DatasetBuilderTests {
    @Test func bundledBMIFile() throws {
        let t = try CSVTable.read(path: TestData.bmiPath)
        #expect(t.header == ["Sex", "Age", "Height(Inches)", "Weight(Pounds)", "BMI"])
        #expect(t.rowCount == 25_000)
        let d = try DatasetBuilder.prepare(t, options: DataOptions(target: "BMI"))
        #expect(d.rows.read == 25_000)
        #expect(d.rows.droppedMissingTarget == 50)
        #expect(d.rows.droppedMissingFeatures == 0)
        #expect(d.rows.train + d.rows.test == 24_950)
        #expect(d.rows.test == 4_990)  // ceil(0.2 × 24,950), as scikit-learn's train_test_split
        #expect(d.schema.columns.map(\.name) == ["Sex", "Age", "Height(Inches)", "Weight(Pounds)"])
        #expect(d.schema.columns[0].levels == ["Female", "Male"])
        #expect(d.schema.encodedNames == ["Sex=Male", "Age", "Height(Inches)", "Weight(Pounds)"])
        // MinMax on the training rows: every scaled numeric value of the training split is in [0, 1].
        for r in 0..<d.trainX.rows { for c in 1..<4 { #expect(d.trainX[r, c] >= 0 && d.trainX[r, c] <= 1) } }
        // The binary Sex column is one 0/1 indicator of Male.
        for r in 0..<d.trainX.rows { #expect(d.trainX[r, 0] == 0 || d.trainX[r, 0] == 1) }
    }

    @Test func sameSeedSameSplitDifferentSeedDifferentSplit() throws {
        let t = try TestData.synthetic(rows: 200)
        let a = try DatasetBuilder.prepare(t, options: DataOptions(target: "BMI"))
        let b = try DatasetBuilder.prepare(t, options: DataOptions(target: "BMI"))
        var o = DataOptions(target: "BMI")
        o.seed = 403
        let c = try DatasetBuilder.prepare(t, options: o)
        #expect(a.testY == b.testY)
        #expect(a.testY != c.testY)
    }

    @Test func missingFeaturesDroppedOrImputed() throws {
        let csv = "x,g,y\n1,a,10\n,b,20\n3,,30\n4,a,\n5,b,50\n6,a,60\n7,a,70\n"
        let t = try CSVTable.parse(Array(csv.utf8))
        var o = DataOptions(target: "y")
        o.testFraction = 0
        let dropped = try DatasetBuilder.prepare(t, options: o)
        #expect(dropped.rows.droppedMissingTarget == 1)
        #expect(dropped.rows.droppedMissingFeatures == 2)
        #expect(dropped.rows.train == 4)
        o.impute = .mean
        let imputed = try DatasetBuilder.prepare(t, options: o)
        #expect(imputed.rows.imputed == 2)
        #expect(imputed.rows.train == 6)
        let x = imputed.schema.columns[0]
        #expect(x.impute == (1 + 3 + 5 + 6 + 7) / 5.0)
        #expect(imputed.schema.columns[1].impute == 0)  // "a" is the most frequent level
        // The most frequent level counted from the cells' bytes: here the second level, quoted or not.
        let quoted = "x,g,y\n1,b,10\n2,\"b\",20\n3,a,30\n4,,40\n5,\"c\",50\n6,b,60\n"
        let q = try DatasetBuilder.prepare(try CSVTable.parse(Array(quoted.utf8)), options: o)
        #expect(q.schema.columns[1].levels == ["a", "b", "c"] && q.schema.columns[1].impute == 1)
    }

    @Test func badNumberNamesLineColumnAndText() throws {
        var csv = "h,y\n"
        for i in 0..<30 { csv += "\(i),\(i)\n" }
        csv += "abc,1\n"
        let t = try CSVTable.parse(Array(csv.utf8))
        #expect(throws: ZooError.csv(line: 32, column: "h", message: "expected a number, found 'abc'")) {
            try DatasetBuilder.prepare(t, options: DataOptions(target: "y"))
        }
        let nan = try CSVTable.parse(Array("h,y\n1,2\n2,3\nNaN,4\n3,4\n4,5\n5,6\n6,7\n7,8\n8,9\n9,9\n10,1\n".utf8))
        #expect(throws: ZooError.csv(line: 4, column: "h", message: "found 'NaN': NaN and infinity are not accepted")) {
            try DatasetBuilder.prepare(nan, options: DataOptions(target: "y"))
        }
    }

    @Test func missingTargetOrFeatureColumn() throws {
        let t = try CSVTable.parse(Array("a,b\n1,2\n".utf8))
        #expect(throws: ZooError.missingColumn(name: "BMI", role: "target", available: ["a", "b"])) {
            try DatasetBuilder.prepare(t, options: DataOptions(target: "BMI"))
        }
        #expect(throws: ZooError.missingColumn(name: "c", role: "feature", available: ["a", "b"])) {
            try DatasetBuilder.prepare(t, options: DataOptions(target: "b", features: ["c"]))
        }
    }

    @Test func textTargetIsAnError() throws {
        let t = try CSVTable.parse(Array("a,b\n1,2\n2,x\n".utf8))
        #expect(throws: ZooError.csv(line: 3, column: "b", message: "expected a number, found 'x'")) {
            try DatasetBuilder.prepare(t, options: DataOptions(target: "b"))
        }
    }

    @Test func predictionEncoderMatchesByNameAndCase() throws {
        let t = try TestData.synthetic(rows: 100)
        let d = try DatasetBuilder.prepare(t, options: DataOptions(target: "BMI"))
        // Reordered columns, an extra column, lower-case category.
        let other = try CSVTable.parse(Array("extra,Weight(Pounds),Height(Inches),Age,Sex\nz,120,68,30,male\nz,120,68,30,Unknown\n".utf8))
        let enc = try FeatureEncoder(schema: d.schema, header: other.header)
        var out = [Double](repeating: 0, count: enc.width)
        var mismatches = CaseMismatches()
        let p = out.withUnsafeMutableBufferPointer { enc.encode(other, row: 0, into: $0.baseAddress!, caseMismatches: &mismatches) }
        #expect(p == nil)
        #expect(mismatches.count == 1)
        #expect(out[0] == 1)
        let q = out.withUnsafeMutableBufferPointer { enc.encode(other, row: 1, into: $0.baseAddress!, caseMismatches: &mismatches) }
        #expect(q == .unknownLevel(column: "Sex", text: "Unknown", known: ["Female", "Male"]))
    }
}

/// The row passes run in slices on all cores; cut in one slice or in many they must give the same
/// data, and errors must name the row a sequential pass meets first.
@Suite struct DatasetBuilderSlicingTests {
    static let one = Slicer(maxParts: 1), many = Slicer(maxParts: 7)

    /// 120,000 rows: a three-level category (one level quoted with doubled quotes), gaps in every column.
    static func messy(badTargetAt: [Int] = [], badNumberAt: [Int] = []) throws -> CSVTable {
        var g = SplitMix64(seed: 11)
        var text = "x,color,z,y\n"
        for r in 0..<120_000 {
            let x = g.below(40) == 0 ? "" : String(g.uniform() * 100)
            let color = ["red", "\"blue \"\"dark\"\"\"", "green", ""][g.below(4) == 0 ? 3 : g.below(3)]
            let z = badNumberAt.contains(r) ? "oops\(r)" : String(g.below(1000))
            let y = badTargetAt.contains(r) ? "bad\(r)" : (g.below(50) == 0 ? "" : String(g.uniform()))
            text += "\(x),\(color),\(z),\(y)\n"
        }
        return try CSVTable.parse(Array(text.utf8))
    }

    @Test(arguments: [ImputeStrategy.drop, .mean])
    func oneSliceEqualsMany(_ impute: ImputeStrategy) throws {
        let t = try Self.messy()
        var o = DataOptions(target: "y")
        o.impute = impute
        o.scaler = .standard
        let a = try DatasetBuilder.prepare(t, options: o, sliced: Self.one)
        let b = try DatasetBuilder.prepare(t, options: o, sliced: Self.many)
        #expect(a.schema == b.schema)
        #expect(a.schema.columns[1].levels == ["blue \"dark\"", "green", "red"])
        #expect(a.rows == b.rows)
        #expect(a.rows.droppedMissingTarget > 0 && (impute == .drop ? a.rows.droppedMissingFeatures > 0 : a.rows.imputed > 0))
        #expect(a.trainX == b.trainX && a.testX == b.testX)
        #expect(a.trainY == b.trainY && a.testY == b.testY)
    }

    /// `prepare` deals its rows after the text went (cells hold numbers and level words), `split`
    /// with the text there: both deal the same rows, by every strategy, and a grouped split's
    /// training groups are the same.
    @Test(arguments: [
        SplitStrategy.random, .stratify(column: "color", bins: 5), .stratify(column: "z", bins: 4), .group(column: "color"),
    ])
    func preparedSplitIsTheSplitOfTheText(_ strategy: SplitStrategy) throws {
        let t = try Self.messy()
        var o = DataOptions(target: "y")
        o.split = strategy
        let prepared = try DatasetBuilder.prepare(t, options: o, sliced: Self.many)
        let (split, rows) = try DatasetBuilder.split(t, options: o)
        #expect(prepared.split == split && prepared.rows == rows)
        #expect(prepared.split.test.count > 15_000)
        if case .group = strategy {
            #expect(prepared.groups == ColumnTexts(t, column: t.columnIndex("color")!).levelIds(rows: split.train))
        }
    }

    /// A text target is read as level words: each row's class is the one its text names.
    @Test func aTextTargetPreparedIsEachRowsLabel() throws {
        let t = try Self.messy()
        var o = DataOptions(target: "color")
        o.impute = .mean
        let prepared = try DatasetBuilder.prepare(t, options: o, sliced: Self.many)
        let classes = try #require(prepared.schema.classes)
        #expect(classes == ["blue \"dark\"", "green", "red"])
        let rows = prepared.split.train + prepared.split.test
        #expect(zip(rows, prepared.trainY + prepared.testY).allSatisfy { classes[Int($1)] == t.text($0, 1) })
    }

    /// The row probe holds training rows only (64 of them), though the rows are dealt after the
    /// bytes go, at any test fraction.
    @Test(arguments: [0.0, 0.2, 0.97])
    func theRowProbeHoldsTrainingRowsOnly(_ fraction: Double) throws {
        let t = try Self.messy()
        var o = DataOptions(target: "y")
        o.testFraction = fraction
        let p = try DatasetBuilder.prepare(t, options: o, sliced: Self.many)
        let train = Set(p.split.train.map { DataFingerprint.rowHash(t, $0) })
        let test = Set(p.split.test.map { DataFingerprint.rowHash(t, $0) })
        #expect(Set(p.rowProbe).count == 64)
        #expect(p.rowProbe.allSatisfy { train.contains($0) && !test.contains($0) })
    }

    /// A text target's classes and each row's class, read as bytes in slices, are those of the
    /// row-by-row Strings: quoted labels unescaped, canonically equal spellings one class.
    @Test func aTextTargetReadInSlicesGivesEachRowItsLabel() throws {
        let t = try Self.messy()
        let c = t.columnIndex("color")!
        for s in [Self.one, Self.many] {
            let (y, classes) = try DatasetBuilder.targetValues(t, c, task: nil, sliced: s)
            #expect(classes == ["blue \"dark\"", "green", "red"])
            for r in stride(from: 0, to: t.rowCount, by: 7) {
                #expect(t.isEmpty(r, c) ? y[r].isNaN : classes?[Int(y[r])] == t.text(r, c), "row \(r)")
            }
        }
        let cafe = try CSVTable.parse(Array("x,y\n1,caf\u{E9}\n2,tea\n3,cafe\u{301}\n4,tea\n".utf8))
        let (y, classes) = try DatasetBuilder.targetValues(cafe, 1, task: nil, sliced: Self.many)
        #expect(classes == ["caf\u{E9}", "tea"] && y == [0, 1, 0, 1])
    }

    /// Min-max scalers fitted for all columns in one pass over the rows equal the column-by-column
    /// fit over the gathered training values, in one slice or many.
    @Test func minMaxInOnePassEqualsTheColumnByColumnFit() throws {
        let t = try Self.messy()
        let o = DataOptions(target: "y")
        #expect(o.scaler == .minmax && o.impute == .drop)
        let a = try DatasetBuilder.prepare(t, options: o, sliced: Self.many)
        #expect(try DatasetBuilder.prepare(t, options: o, sliced: Self.one).schema == a.schema)
        let slot = a.split.slots(rowCount: t.rowCount)
        for name in ["x", "z"] {
            var column = FeatureColumn(name: name, kind: .numeric)
            try DatasetBuilder.fitNumeric(
                &column, t, t.columnIndex(name)!, slot: slot, trainCount: a.split.train.count, options: o, sliced: Self.one)
            let fitted = try #require(a.schema.columns.first { $0.name == name }?.scaler)
            #expect(fitted == column.scaler && fitted.kind == .minmax && fitted.scale > 1)
        }
    }

    @Test func errorsNameTheFirstBadRow() throws {
        // Line = row + 2 (the header is line 1).
        let t = try Self.messy(badTargetAt: [70_001, 20_001, 110_001])
        for s in [Self.one, Self.many] {
            #expect(throws: ZooError.csv(line: 20_003, column: "y", message: "expected a number, found 'bad20001'")) {
                try DatasetBuilder.prepare(t, options: DataOptions(target: "y"), sliced: s)
            }
        }
        // One text among numbers: a bad value, not a category.
        let u = try Self.messy(badNumberAt: [99_999, 40_000])
        for s in [Self.one, Self.many] {
            #expect(throws: ZooError.csv(line: 40_002, column: "z", message: "expected a number, found 'oops40000'")) {
                try DatasetBuilder.prepare(u, options: DataOptions(target: "y"), sliced: s)
            }
        }
    }
}
