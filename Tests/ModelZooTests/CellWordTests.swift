import Testing

@testable import ModelZoo

/// A table read for training keeps each cell's number in place of its span (`CellWord`): every way of
/// reading a cell must give what the spans gave.
@Suite struct CellWordTests {
    /// Every accessor, cell by cell, on a boxed copy against the spans.
    func expectSameCells(_ plain: CSVTable, sliced: Slicer = .cores) {
        var boxed = plain
        boxed.boxingNumbers(sliced: sliced)
        #expect(boxed.records.boxed)
        for r in 0..<plain.rowCount {
            for c in 0..<plain.columnCount {
                #expect(boxed.cell(r, c) == plain.cell(r, c), "row \(r) column \(c)")
                #expect(boxed.isEmpty(r, c) == plain.isEmpty(r, c), "row \(r) column \(c)")
                #expect(boxed.text(r, c) == plain.text(r, c), "row \(r) column \(c)")
                let escaped = (boxed.withCells { $0.isEscaped(r, c) }, plain.withCells { $0.isEscaped(r, c) })
                #expect(escaped.0 == escaped.1, "row \(r) column \(c)")
            }
        }
    }

    @Test func quotedEscapedNullAndSpacedCellsReadAsTheirSpans() throws {
        var options = CSVOptions()
        options.nullToken = "\\N"
        let csv = #"""
            id,name,x,note
            1," Ann ",1.5,"said ""hi"""
            2,Bob, -2e-3 ,\N
            3,"C,D","7",
            4,"multi
            line",,"12"
            -0,5.0,nan,1e400
            """#
        let plain = try CSVTable.parse(Array(csv.utf8), options: options)
        #expect(plain.rowCount == 5)
        expectSameCells(plain)
        var boxed = plain
        boxed.boxingNumbers(sliced: .cores)
        #expect(boxed.cell(1, 3) == .missing && boxed.cell(1, 2) == .number(-2e-3) && boxed.text(1, 2) == "-2e-3")
        #expect(boxed.text(0, 3) == #"said "hi""# && boxed.text(0, 1) == " Ann " && boxed.cell(2, 2) == .number(7))
        #expect(boxed.text(3, 1) == "multi\nline" && boxed.cell(3, 3) == .number(12) && boxed.cell(4, 2) == .text)
        expectSameCells(plain, sliced: Slicer(maxParts: 1))
    }

    @Test func decimalCommasAndSemicolons() throws {
        var options = CSVOptions(delimiter: UInt8(ascii: ";"), decimal: UInt8(ascii: ","))
        options.nullToken = "NA"
        let plain = try CSVTable.parse(Array("a;b;c\n1,5;x;NA\n\"2,25\";-3;y\n".utf8), options: options)
        expectSameCells(plain)
        var boxed = plain
        boxed.boxingNumbers(sliced: .cores)
        #expect(boxed.cell(1, 0) == .number(2.25) && boxed.cell(0, 2) == .missing && boxed.text(1, 1) == "-3")
    }

    @Test func spansAtTheLimitsRoundTrip() {
        let top = CellWord.maxRecordBytes - 1
        for (offset, length, escaped) in [(0, 0, false), (top, 0, true), (0, top, false), (top, top, true), (12345, 678, false)] {
            let w = CellWord.span(offset: offset, length: length, escaped: escaped)
            let (lo, hi) = CellWord.split(w)
            #expect(CellWord.join(lo, hi) == w)
            #expect(!CellWord.isNumber(w))
            #expect(CellWord.offset(w) == offset && CellWord.length(w) == length && CellWord.isEscaped(w) == escaped)
            #expect(CellWord.isEmpty(w) == (length == 0))
        }
        for v in [0.0, -0.0, 1.5, -Double.greatestFiniteMagnitude, Double.leastNonzeroMagnitude, 1e308] {
            let w = CellWord.number(v)
            #expect(CellWord.isNumber(w) && !CellWord.isEmpty(w))
            #expect(Double(bitPattern: w).bitPattern == v.bitPattern)
        }
    }

    /// A record too long for a span word leaves the table's spans as they are; cells still read.
    @Test func aRecordOf64MiBKeepsItsSpans() throws {
        var bytes = Array("a,b\n1,".utf8)
        bytes += [UInt8](repeating: UInt8(ascii: "x"), count: CellWord.maxRecordBytes)
        bytes += Array("\n2,y\n".utf8)
        var t = try CSVTable.parse(bytes)
        t.boxingNumbers(sliced: .cores)
        #expect(!t.records.boxed)
        #expect(t.cell(1, 0) == .number(2) && t.text(1, 1) == "y" && t.cell(0, 1) == .text)
    }

    /// Training on a table with a categorical column of numbers and words reads the number cells'
    /// text by scanning their records again: the levels are the texts as written.
    @Test func numberLevelsOfACategoricalColumnKeepTheirText() throws {
        var csv = "size,y\n"
        for i in 0..<60 { csv += "\(["S", "M", "L", "10.0", "XL"][i % 5]),\(Double(i % 5) * 1.5 + Double(i % 7) * 0.01)\n" }
        let data = try DatasetBuilder.prepare(try table(csv), options: DataOptions(target: "y"))
        #expect(data.schema.columns[0].levels == ["10.0", "L", "M", "S", "XL"])
    }
}

/// Training drops the CSV's bytes before it encodes (categories become level words): each training
/// and test row must still be encoded exactly as `zoo predict` encodes that row of the file.
@Suite struct TrainingEncodingTests {
    @Test func trainingEncodesEachRowAsPredictionDoes() throws {
        var csv = "size,x,note,y\n"
        let sizes = ["S", "M", #""L ""big""""#, "10", "", "XL"]
        for i in 0..<90 {
            let x = i % 11 == 0 ? "" : String(Double(i) * 0.5 - 7)
            csv += "\(sizes[i % sizes.count]),\(x),\"n\(i % 3)\",\(Double(i % 7) + Double(i) * 0.01)\n"
        }
        let plain = try table(csv)
        var options = DataOptions(target: "y")
        options.impute = .mean
        options.testFraction = 0.25
        let data = try DatasetBuilder.prepare(plain, options: options)
        #expect(data.schema.columns[0].levels == ["10", #"L "big""#, "M", "S", "XL"])
        let encoder = try FeatureEncoder(schema: data.schema, header: plain.header)
        let (x, rows) = encoder.encodeAll(plain)
        #expect(rows == Array(0..<90))
        for (matrix, fileRows) in [(data.trainX, data.split.train), (data.testX, data.split.test)] {
            for (k, r) in fileRows.enumerated() {
                #expect(Array(matrix.values[(k * x.cols)..<((k + 1) * x.cols)]) == Array(x.values[(r * x.cols)..<((r + 1) * x.cols)]))
            }
        }
    }
}
