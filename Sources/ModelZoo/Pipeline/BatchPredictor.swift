import Foundation

/// Streams a CSV through a model: reads a chunk of complete records, then encodes, predicts and
/// formats its rows in parallel slices, and writes the slices in input order. Memory stays bounded
/// by the chunk size however large the input. Output rows keep the input's bytes (or the chosen
/// `columns`), with the prediction appended as the last column.
public enum BatchPredictor {
    public static func run(
        model: TrainedModel, input: InputSource, output: OutputSink, options: PredictOptions,
        progress: ((PredictSummary) -> Void)? = nil
    ) throws -> PredictSummary {
        var summary = PredictSummary()
        let reader = ChunkReader(
            input: input, options: options.csv, chunkSize: options.chunkSize, maxRecordBytes: options.maxRecordBytes,
            maxRows: maxRows(model, options), header: options.headerlessColumns)
        let header = try reader.readHeader()
        let encoder = try FeatureEncoder(schema: model.schema, header: header)
        let predName = options.predictionName ?? "\(model.schema.target)_pred"
        var carried: [Int]?
        if let names = options.columns {
            carried = try names.map { n in
                guard let i = CSVTable.columnIndex(n, in: header) else {
                    throw ZooError.missingColumn(name: n, role: "--columns", available: header)
                }
                return i
            }
        }
        let outNames = options.output == .prediction ? [] : (carried.map { $0.map { header[$0] } } ?? header)
        if outNames.contains(predName) && options.headerlessColumns == nil {
            throw ZooError.invalidInput("the output already has a column '\(predName)'; choose another name with --prediction-name")
        }
        let added = [predName] + probabilityColumns(model, options)
        if let clash = added.dropFirst().first(where: outNames.contains) {
            throw ZooError.invalidInput("the output already has a column '\(clash)'; leave the probabilities out with --no-proba")
        }
        if let t = options.threshold {
            guard model.classes?.count == 2 else {
                let has = model.classes.map { "this one has \($0.count) classes" } ?? "this model predicts numbers"
                throw ZooError.invalidInput("--threshold needs a two-class classifier; \(has)")
            }
            guard t >= 0, t <= 1 else { throw ZooError.invalidInput("--threshold must be in [0, 1], got \(t)") }
        }
        let delim = options.csv.delimiter
        if options.headerlessColumns == nil {
            var head = Array(
                (outNames + added).map { CSVField.quoted($0, delimiter: delim) }
                    .joined(separator: String(UnicodeScalar(delim))).utf8)
            head.append(10)
            try output.write(head)
        }

        // Reading and scanning the next chunk (sequential by nature: quotes) overlaps with encoding,
        // predicting and formatting this one on the other cores; writing the previous one too.
        let pipeline = Pipeline(reader), writer = BackgroundSink(output)
        defer { pipeline.stop() }
        do {
            while let table = try pipeline.next() {
                try writer.write(
                    parts: try predictChunk(table, model: model, encoder: encoder, carried: carried, options: options, summary: &summary))
                summary.inputBytes = pipeline.bytesConsumed
                progress?(summary)
            }
            try writer.finish()
        } catch {
            try? writer.finish()  // the caller may abandon `output` only once nothing writes to it
            throw error
        }
        summary.inputBytes = pipeline.bytesConsumed
        return summary
    }

    /// Rows per chunk so that its encoded matrix, predictions and probabilities (8 bytes a value)
    /// stay within `options.maxMatrixBytes`.
    static func maxRows(_ model: TrainedModel, _ options: PredictOptions) -> Int {
        let perRow = 8 * (model.schema.encodedWidth + 2 * (model.classes?.count ?? 0) + 2)
        return max(1, options.maxMatrixBytes / perRow)
    }

    /// The probability columns a classifier's output adds (none for a regressor or with `--no-proba`).
    public static func probabilityColumns(_ model: TrainedModel, _ options: PredictOptions) -> [String] {
        guard options.probabilities, let classes = model.classes else { return [] }
        return classes.map { "\(model.schema.target)_proba_\($0)" }
    }

    /// One slice of a chunk, formatted by one worker.
    struct Slice {
        var out: [UInt8] = []
        var failure: ZooError?
        /// Rows whose prediction overflowed, left empty under `--on-error skip`.
        var overflowed: [Int] = []
    }

    /// A chunk's predictions: for each usable row (`usable`, ascending table rows) a value, or a
    /// class index with the labels as output bytes and the probabilities.
    struct ChunkPredictions {
        var usable: [Int]
        var values: [Double]
        var classified: ClassPredictions?
        var labels: LabelBytes?

        init(model: TrainedModel, x: Matrix, usable: [Int], options: PredictOptions) throws {
            self.usable = usable
            classified = model.task == .classification ? try model.classify(encoded: x, threshold: options.threshold) : nil
            values = try classified?.classIndices.map(Double.init) ?? model.predict(encoded: x)
            labels = classified.map { LabelBytes($0.classes, delimiter: options.csv.delimiter) }
        }
    }

    /// Class labels as output bytes (quoted where the CSV needs it), one after another in one array,
    /// so writing a row's label copies bytes without retaining an array of its own.
    struct LabelBytes {
        let bytes: [UInt8]
        /// Label c is `bytes[starts[c] ..< starts[c + 1]]`.
        let starts: [Int]

        init(_ classes: [String], delimiter: UInt8) {
            var bytes: [UInt8] = [], starts = [0]
            for c in classes {
                bytes += Array(CSVField.quoted(c, delimiter: delimiter).utf8)
                starts.append(bytes.count)
            }
            (self.bytes, self.starts) = (bytes, starts)
        }

        @inline(__always)
        func append(_ c: Int, to out: inout [UInt8]) {
            for k in starts[c]..<starts[c + 1] { out.append(bytes[k]) }
        }
    }

    /// Encodes a chunk's rows on all cores, predicts them in one call (so a model that parallelises
    /// internally, like the forest, sees large batches), then formats slices of rows in parallel;
    /// returns the output bytes in input order.
    static func predictChunk(
        _ table: CSVTable, model: TrainedModel, encoder: FeatureEncoder, carried: [Int]?,
        options: PredictOptions, summary: inout PredictSummary
    ) throws -> [[UInt8]] {
        let n = table.rowCount
        guard n > 0 else { return [] }
        var (x, usable) = encoder.encodeAll(table, caseMismatches: &summary.caseMismatches)
        if !table.records.ragged.isEmpty { (x, usable) = try leaveOutRaggedLines(table, x: x, usable: usable, options: options) }
        if usable.count < n { try accountForUnusableRows(table, usable: usable, encoder: encoder, options: options, summary: &summary) }
        let predictions = try ChunkPredictions(model: model, x: x, usable: usable, options: options)
        // Slices of at least 256 KiB of input (4,096 rows made a 4 MB chunk of wide rows one slice).
        let sliceRows = max((256 << 10) / max(1, table.bytes.count / n), n / (4 * Parallel.maxThreads) + 1)
        let count = (n + sliceRows - 1) / sliceRows
        var slices = [Slice](repeating: Slice(), count: count)
        slices.withUnsafeMutableBufferPointer { S in
            Parallel.forEach(count) { k in
                S[k] = formatRows(table, k * sliceRows..<min(n, (k + 1) * sliceRows), predictions, carried: carried, options: options)
            }
        }
        if let f = slices.compactMap(\.failure).first { throw f }
        for r in slices.flatMap(\.overflowed) {
            summary.skipped += 1
            if summary.firstSkippedLines.count < 5 { summary.firstSkippedLines.append(table.line(r)) }
        }
        summary.rows += n
        return slices.map(\.out)
    }

    /// Line mode keeps lines with the wrong field count as empty records: they are never predicted.
    /// Fails on the first such line (when no unusable row comes before it), or leaves them out.
    static func leaveOutRaggedLines(_ table: CSVTable, x: Matrix, usable: [Int], options: PredictOptions) throws -> (Matrix, [Int]) {
        let ragged = table.records.ragged
        // The first unusable row: the rows before `usable`'s first gap are all usable.
        var firstGap = 0
        while firstGap < usable.count && usable[firstGap] == firstGap { firstGap += 1 }
        if options.onError == .fail && ragged[0].record <= firstGap {
            let (r, fields) = ragged[0]
            let what =
                fields < 0
                ? "the quotes on this line cannot be read (unclosed, or text after a closing quote)"
                : "expected \(table.columnCount) fields, found \(fields == 0 ? "a blank line" : "\(fields) fields")"
            throw ZooError.csv(line: table.line(r), column: nil, message: "\(what) (--on-error skip gives such lines an empty prediction)")
        }
        return options.onError == .skip ? dropRows(Set(ragged.map(\.record)), x: x, usable: usable) : (x, usable)
    }

    /// The rows left out of `usable` (its gaps): the first is an error naming its line and column,
    /// or under `--on-error skip` they are counted and the first five lines kept for the warning.
    static func accountForUnusableRows(
        _ table: CSVTable, usable: [Int], encoder: FeatureEncoder, options: PredictOptions, summary: inout PredictSummary
    ) throws {
        let n = table.rowCount
        var skipped: [Int] = []
        let wanted = options.onError == .fail ? 1 : 5
        var k = 0
        for r in 0..<n {
            if k < usable.count && usable[k] == r { k += 1 } else { skipped.append(r) }
            if skipped.count == wanted { break }
        }
        if options.onError == .fail {
            let r = skipped[0]
            var scratch = [Double](repeating: 0, count: encoder.width), ignored = CaseMismatches()
            let problem = scratch.withUnsafeMutableBufferPointer {
                encoder.encode(table, row: r, into: $0.baseAddress!, caseMismatches: &ignored)
            }
            let error = problem?.error(line: table.line(r)) ?? .csv(line: table.line(r), column: nil, message: "cannot encode this row")
            if case let .csv(line, column, message) = error {
                throw ZooError.csv(
                    line: line, column: column, message: message + " (--on-error skip leaves such rows without a prediction)")
            }
            throw error
        }
        summary.skipped += n - usable.count
        for r in skipped where summary.firstSkippedLines.count < 5 { summary.firstSkippedLines.append(table.line(r)) }
    }

    /// The output lines of `rows`: the carried input (its bytes, chosen columns, or nothing), then
    /// the prediction (a label and probabilities for a classifier), empty where there is none.
    static func formatRows(
        _ table: CSVTable, _ rows: Range<Int>, _ predictions: ChunkPredictions, carried: [Int]?, options: PredictOptions
    ) -> Slice {
        var slice = Slice()
        var out: [UInt8] = []
        out.reserveCapacity(rows.count * 64)
        let delim = options.csv.delimiter, usable = predictions.usable
        // Bound once for the slice: bound per row, each binding was a retain of the arrays inside
        // (4% of a classifier's zoo predict).
        let labels = predictions.labels, classified = predictions.classified
        let probabilities = classified?.probabilities.values ?? [], classCount = classified?.classes.count ?? 0
        // Predictions are in `usable` order: start at the first usable row of this slice.
        var next = 0, end = usable.count
        while next < end { let m = (next + end) / 2; if usable[m] < rows.lowerBound { next = m + 1 } else { end = m } }
        for r in rows {
            if options.output == .prediction {
                // The prediction alone (empty when there is none).
            } else if let carried {
                appendFields(table, row: r, columns: carried, delimiter: delim, to: &out)
            } else {
                table.withRecordBytes(r) { out.append(contentsOf: $0) }
            }
            if options.output == .row { out.append(delim) }
            if next < usable.count && usable[next] == r {
                let p = predictions.values[next]
                next += 1
                guard p.isFinite else {
                    if options.onError == .skip { slice.overflowed.append(r); out.append(10); continue }
                    slice.failure = .csv(
                        line: table.line(r), column: nil,
                        message: "the model produced \(p) for this row (--on-error skip leaves such rows without a prediction)")
                    return slice
                }
                if let labels {
                    labels.append(Int(p), to: &out)
                    if options.probabilities {
                        for c in 0..<classCount {
                            out.append(delim)
                            appendNumber(probabilities[(next - 1) * classCount + c], options, to: &out)
                        }
                    }
                } else {
                    appendNumber(p, options, to: &out)
                }
            } else if labels != nil, options.probabilities {
                for _ in 0..<classCount { out.append(delim) }
            }
            out.append(10)
        }
        slice.out = out
        return slice
    }

    /// Appends row `r`'s cells in `columns` as output fields: a cell's bytes as they are when they are
    /// plain ASCII that needs no quotes (most cells), else `CSVField.quoted` of its text.
    static func appendFields(_ table: CSVTable, row r: Int, columns: [Int], delimiter: UInt8, to out: inout [UInt8]) {
        table.withCells { cells in
            for (j, c) in columns.enumerated() {
                if j > 0 { out.append(delimiter) }
                let plain =
                    !cells.isEscaped(r, c)
                    && cells.withBytes(r, c) { b in
                        guard !b.contains(where: { $0 >= 0x80 || $0 == delimiter || $0 == 34 || $0 == 10 || $0 == 13 }) else {
                            return false
                        }
                        out.append(contentsOf: b)
                        return true
                    }
                if !plain { out.append(contentsOf: CSVField.quoted(table.text(r, c), delimiter: delimiter).utf8) }
            }
        }
    }

    /// The shortest text of `v` (or `--precision` digits) with the CSV's decimal mark, without a String.
    @inline(__always) static func appendNumber(_ v: Double, _ options: PredictOptions, to out: inout [UInt8]) {
        let start = out.count
        ShortestDouble.append(v, digits: options.precision, to: &out)
        if options.csv.decimal != UInt8(ascii: ".") {
            for i in start..<out.count where out[i] == UInt8(ascii: ".") { out[i] = options.csv.decimal }
        }
    }

    /// `x` and `usable` without the rows in `drop` (table row indices).
    static func dropRows(_ drop: Set<Int>, x: Matrix, usable: [Int]) -> (Matrix, [Int]) {
        var values: [Double] = [], rows: [Int] = []
        values.reserveCapacity(x.values.count)
        for (k, r) in usable.enumerated() where !drop.contains(r) {
            values.append(contentsOf: x.values[(k * x.cols)..<((k + 1) * x.cols)])
            rows.append(r)
        }
        return (Matrix(rows: rows.count, cols: x.cols, values: values), rows)
    }
}
