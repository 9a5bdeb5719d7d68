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
                throw ZooError.invalidInput(
                    "--threshold needs a two-class classifier; \(model.classes.map { "this one has \($0.count) classes" } ?? "this model predicts numbers")"
                )
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

    /// Encodes a chunk's rows on all cores, predicts them in one call (so a model that parallelises
    /// internally, like the forest, sees large batches), then formats slices of rows in parallel;
    /// returns the output bytes in input order.
    static func predictChunk(
        _ table: CSVTable, model: TrainedModel, encoder: FeatureEncoder, carried: [Int]?,
        options: PredictOptions, summary: inout PredictSummary
    ) throws -> [[UInt8]] {
        let n = table.rowCount
        guard n > 0 else { return [] }
        // 1. Encode; `usable` lists the rows that could be, ascending.
        var (x, usable) = encoder.encodeAll(table, caseMismatches: &summary.caseMismatches)
        let ragged = table.records.ragged
        if !ragged.isEmpty {
            // Line mode kept lines with the wrong field count as empty records: never predict them.
            // The first unusable row: the rows before `usable`'s first gap are all usable.
            var firstGap = 0
            while firstGap < usable.count && usable[firstGap] == firstGap { firstGap += 1 }
            if options.onError == .fail && ragged[0].record <= firstGap {
                let (r, fields) = ragged[0]
                let what =
                    fields < 0
                    ? "the quotes on this line cannot be read (unclosed, or text after a closing quote)"
                    : "expected \(table.columnCount) fields, found \(fields == 0 ? "a blank line" : "\(fields) fields")"
                throw ZooError.csv(
                    line: table.line(r), column: nil, message: "\(what) (--on-error skip gives such lines an empty prediction)")
            }
            if options.onError == .skip { (x, usable) = dropRows(Set(ragged.map(\.record)), x: x, usable: usable) }
        }
        if usable.count < n {
            // The rows left out are the gaps in `usable`: the first (to fail) or the first five (to report).
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
        // 2. Predict every usable row at once.
        let classified = model.task == .classification ? try model.classify(encoded: x, threshold: options.threshold) : nil
        let predictions = try classified?.classIndices.map(Double.init) ?? model.predict(encoded: x)
        let labels = classified?.classes.map { Array(CSVField.quoted($0, delimiter: options.csv.delimiter).utf8) }
        let withProbabilities = options.probabilities
        let sliceRows = max(4096, n / (4 * Parallel.maxThreads) + 1)
        let count = (n + sliceRows - 1) / sliceRows
        var slices = [Slice](repeating: Slice(), count: count)
        // 3. Format.
        let delim = options.csv.delimiter, decimal = options.csv.decimal
        slices.withUnsafeMutableBufferPointer { S in
            Parallel.forEach(count) { k in
                let lo = k * sliceRows, hi = min(n, lo + sliceRows)
                var out: [UInt8] = []
                out.reserveCapacity((hi - lo) * 64)
                // Predictions are in `usable` order: start at the first usable row of this slice.
                var next = 0, end = usable.count
                while next < end { let m = (next + end) / 2; if usable[m] < lo { next = m + 1 } else { end = m } }
                for r in lo..<hi {
                    if options.output == .prediction {
                        // The prediction alone (empty when there is none).
                    } else if let carried {
                        for (j, c) in carried.enumerated() {
                            if j > 0 { out.append(delim) }
                            out.append(contentsOf: CSVField.quoted(table.text(r, c), delimiter: delim).utf8)
                        }
                    } else {
                        out.append(contentsOf: table.recordBytes(r))
                    }
                    if options.output == .row { out.append(delim) }
                    if next < usable.count && usable[next] == r {
                        let p = predictions[next]
                        next += 1
                        guard p.isFinite else {
                            if options.onError == .skip { S[k].overflowed.append(r); out.append(10); continue }
                            S[k].failure = .csv(
                                line: table.line(r), column: nil,
                                message: "the model produced \(p) for this row "
                                    + "(--on-error skip leaves such rows without a prediction)")
                            return
                        }
                        if let labels, let classified {
                            out.append(contentsOf: labels[Int(p)])
                            if withProbabilities {
                                let kc = classified.classes.count
                                for c in 0..<kc {
                                    out.append(delim)
                                    let start = out.count
                                    ShortestDouble.append(
                                        classified.probabilities.values[(next - 1) * kc + c], digits: options.precision,
                                        to: &out)
                                    if decimal != UInt8(ascii: ".") {
                                        for i in start..<out.count where out[i] == UInt8(ascii: ".") { out[i] = decimal }
                                    }
                                }
                            }
                        } else {
                            let start = out.count
                            ShortestDouble.append(p, digits: options.precision, to: &out)  // no String per value
                            if decimal != UInt8(ascii: ".") {
                                for i in start..<out.count where out[i] == UInt8(ascii: ".") { out[i] = decimal }
                            }
                        }
                    } else if labels != nil && withProbabilities {
                        for _ in 0..<(labels?.count ?? 0) { out.append(delim) }
                    }
                    out.append(10)
                }
                S[k].out = out
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
