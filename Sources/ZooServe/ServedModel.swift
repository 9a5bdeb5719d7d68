import Foundation
import ModelZoo

/// A request that cannot be answered as asked: a status code and a message naming what is wrong.
/// Each protocol renders it in its own error shape.
struct RequestError: Error, CustomStringConvertible {
    var status: Int
    var message: String
    var description: String { message }

    static func bad(_ message: String) -> RequestError { RequestError(status: 400, message: message) }
    static func notFound(_ message: String) -> RequestError { RequestError(status: 404, message: message) }
    static func tooLarge(_ message: String) -> RequestError { RequestError(status: 413, message: message) }
}

/// Tensor data types of the Open Inference Protocol that zoo reads or writes.
enum TensorType: String, CaseIterable {
    case BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES

    /// Bytes per element in binary form (nil for BYTES, which is length-prefixed).
    var width: Int? {
        switch self {
        case .BOOL, .UINT8, .INT8: return 1
        case .UINT16, .INT16, .FP16: return 2
        case .UINT32, .INT32, .FP32: return 4
        case .UINT64, .INT64, .FP64: return 8
        case .BYTES: return nil
        }
    }
}

/// One output of a prediction, shaped as a tensor: `rows` × `columns` values, row-major.
/// Regression models have one (`<target>_pred`, FP64, one column). A classifier adds a label
/// (BYTES, one column) and class probabilities (FP64, one column per class): each protocol writes
/// every output it is given, so a new output needs no change in the encoders.
struct OutputTensor {
    enum Values {
        case fp64([Double])
        case bytes([String])
    }

    var name: String
    var columns: Int
    var values: Values

    var datatype: TensorType {
        switch values {
        case .fp64: return .FP64
        case .bytes: return .BYTES
        }
    }

    var rows: Int {
        switch values {
        case .fp64(let v): return columns == 0 ? 0 : v.count / columns
        case .bytes(let v): return columns == 0 ? 0 : v.count / columns
        }
    }
}

/// What a model outputs, for metadata (`/v2/models/{name}`) and the OpenAPI page.
struct OutputSpec {
    var name: String
    var datatype: TensorType
    /// Columns per row (shape `[-1, columns]`).
    var columns: Int
}

/// The identity of a file on disk: a replaced file (new inode, size or time) is a new version.
struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var mtimeSeconds: Int64
    var mtimeNanos: Int64

    static func of(_ path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(
            device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
            mtimeSeconds: Int64(st.st_mtim.tv_sec), mtimeNanos: Int64(st.st_mtim.tv_nsec))
    }
}

/// A loaded model as the server holds it: immutable, so a request that took it keeps using it
/// while a reload swaps in the next version.
final class ServedModel: Sendable {
    let name: String
    let path: String
    let trained: TrainedModel
    let identity: FileIdentity
    let loadedAt: Date
    /// The encoder for the CSV the request adapters write (header = the schema's column names).
    let encoder: FeatureEncoder

    init(name: String, path: String, trained: TrainedModel, identity: FileIdentity, loadedAt: Date = Date()) throws {
        self.name = name
        self.path = path
        self.trained = trained
        self.identity = identity
        self.loadedAt = loadedAt
        encoder = try FeatureEncoder(schema: trained.schema, header: trained.schema.columns.map(\.name))
    }

    var schema: FeatureSchema { trained.schema }
    var metadata: ModelMetadata { trained.metadata }

    /// The outputs every prediction of this model has, in order.
    /// A regressor: the prediction (FP64). A classifier: the label (BYTES), then one probability per class
    /// (FP64, classes in the file's order), as `zoo predict` writes them.
    var outputs: [OutputSpec] {
        let prediction = "\(schema.target)_pred"
        guard let classes = schema.classes else { return [OutputSpec(name: prediction, datatype: .FP64, columns: 1)] }
        return [
            OutputSpec(name: prediction, datatype: .BYTES, columns: 1),
            OutputSpec(name: "\(schema.target)_proba", datatype: .FP64, columns: classes.count),
        ]
    }

    /// The OIP input type of a feature column.
    static func inputType(_ c: FeatureColumn) -> TensorType { c.kind == .numeric ? .FP64 : .BYTES }

    /// Predicts every row of `table` through `zoo predict`'s own path (FeatureEncoder on CSV cells,
    /// then the model): the same text gives the same double, and the same row the same prediction.
    /// A row that cannot be encoded is a 400 naming its index (from 0) and column.
    func predict(_ table: CSVTable, encoder: FeatureEncoder? = nil) throws -> [OutputTensor] {
        let encoder = encoder ?? self.encoder
        let n = table.rowCount
        guard n > 0 else { return outputs.map { emptyOutput($0) } }
        var mismatches = CaseMismatches()
        let (x, usable) = encoder.encodeAll(table, caseMismatches: &mismatches)
        if usable.count < n {
            var r = 0
            while r < usable.count && usable[r] == r { r += 1 }
            var scratch = [Double](repeating: 0, count: encoder.width), ignored = CaseMismatches()
            let problem = scratch.withUnsafeMutableBufferPointer {
                encoder.encode(table, row: r, into: $0.baseAddress!, caseMismatches: &ignored)
            }
            throw RequestError.bad(Self.message(problem, row: r))
        }
        if trained.task == .classification { return try classify(x) }
        let p = try trained.predict(encoded: x)
        if let bad = p.firstIndex(where: { !$0.isFinite }) {
            throw RequestError.bad("row \(bad): the model produced \(p[bad]) for this row")
        }
        return [OutputTensor(name: outputs[0].name, columns: 1, values: .fp64(p))]
    }

    /// A classifier's label and probabilities for encoded rows.
    private func classify(_ x: Matrix) throws -> [OutputTensor] {
        let c = try trained.classify(encoded: x)
        if let bad = c.probabilities.values.firstIndex(where: { !$0.isFinite }) {
            throw RequestError.bad("row \(bad / max(1, c.classes.count)): the model produced non-finite probabilities for this row")
        }
        let labels = (0..<x.rows).map(c.label)
        return [
            OutputTensor(name: outputs[0].name, columns: 1, values: .bytes(labels)),
            OutputTensor(name: outputs[1].name, columns: c.classes.count, values: .fp64(c.probabilities.values)),
        ]
    }

    private func emptyOutput(_ spec: OutputSpec) -> OutputTensor {
        OutputTensor(name: spec.name, columns: spec.columns, values: spec.datatype == .BYTES ? .bytes([]) : .fp64([]))
    }

    static func message(_ problem: FeatureEncoder.Problem?, row: Int) -> String {
        guard let problem else { return "row \(row): cannot encode this row" }
        if case let .csv(_, column, message) = problem.error(line: row) {
            return "row \(row), column '\(column ?? "?")': \(message)"
        }
        return "row \(row): \(problem.error(line: row))"
    }
}

/// Builds the CSV that a request's rows would be in a file, column by column, so that the rows go
/// through the same reader and encoder as `zoo predict`. Numbers from JSON keep their text; binary
/// numbers are written as the shortest text that reads back to the same double; strings are quoted.
struct CSVBuilder {
    /// The model's columns, in schema order: the CSV header.
    let names: [String]
    private var store: [UInt8] = []
    /// Per column, per row: (start, end) into `store`; start < 0 marks a string (quoted when written).
    private var cells: [[(Int32, Int32)]]

    static let missing: (Int32, Int32) = (0, 0)

    init(names: [String], rowsHint: Int = 0) {
        self.names = names
        cells = names.map { _ in
            var a: [(Int32, Int32)] = []
            a.reserveCapacity(rowsHint)
            return a
        }
        store.reserveCapacity(rowsHint * names.count * 8)
    }

    func count(_ column: Int) -> Int { cells[column].count }

    /// A number's text, written as is (it must be a JSON number).
    mutating func appendNumberText<C: Collection<UInt8>>(_ column: Int, _ text: C) {
        let s = Int32(store.count)
        store.append(contentsOf: text)
        cells[column].append((s + 1, Int32(store.count)))
    }

    mutating func appendDouble(_ column: Int, _ v: Double) {
        let s = Int32(store.count)
        if v.isFinite {
            ShortestDouble.append(v, to: &store)
        } else {
            store.append(contentsOf: (v.isNaN ? "NaN" : (v < 0 ? "-inf" : "inf")).utf8)
        }
        cells[column].append((s + 1, Int32(store.count)))
    }

    mutating func appendInteger<I: BinaryInteger>(_ column: Int, _ v: I) {
        let s = Int32(store.count)
        store.append(contentsOf: String(v).utf8)
        cells[column].append((s + 1, Int32(store.count)))
    }

    /// A string value (unescaped UTF-8 bytes).
    mutating func appendString<C: Collection<UInt8>>(_ column: Int, _ bytes: C) {
        let s = Int32(store.count)
        store.append(contentsOf: bytes)
        cells[column].append((-(s + 1), Int32(store.count)))
    }

    mutating func appendString(_ column: Int, tape: JSONTape, node: Int) {
        let s = Int32(store.count)
        tape.appendUnescaped(node, to: &store)
        cells[column].append((-(s + 1), Int32(store.count)))
    }

    mutating func appendMissing(_ column: Int) { cells[column].append(Self.missing) }

    /// The CSV bytes: header, then one record per row. Every column must have `rows` cells.
    func csv(rows: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(store.count + rows * (names.count + 1) + 64)
        for (k, name) in names.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            quote(Array(name.utf8)[...], into: &out)
        }
        out.append(10)
        // Row-major spans, gathered column by column (one inner array at a time).
        let width = names.count
        var spans = [(Int32, Int32)](repeating: Self.missing, count: rows * width)
        for k in 0..<width {
            let column = cells[k]
            for r in 0..<min(rows, column.count) { spans[r * width + k] = column[r] }
        }
        store.withUnsafeBufferPointer { st in
            spans.withUnsafeBufferPointer { sp in
                for r in 0..<rows {
                    for k in 0..<width {
                        if k > 0 { out.append(UInt8(ascii: ",")) }
                        let (s, e) = sp[r * width + k]
                        if s == 0 { continue }  // missing: empty field
                        if s > 0 {
                            out.append(contentsOf: UnsafeBufferPointer(rebasing: st[Int(s - 1)..<Int(e)]))
                        } else {
                            quote(UnsafeBufferPointer(rebasing: st[Int(-s - 1)..<Int(e)]), into: &out)
                        }
                    }
                    out.append(10)
                }
            }
        }
        return out
    }

    private func quote<C: Collection<UInt8>>(_ bytes: C, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for c in bytes {
            out.append(c)
            if c == UInt8(ascii: "\"") { out.append(c) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The rows as a table read by the CSV reader `zoo predict` uses.
    func table(rows: Int) throws -> CSVTable {
        do {
            return try CSVTable.parse(csv(rows: rows), source: "request")
        } catch {
            throw RequestError.bad("cannot read the rows: \(error)")
        }
    }
}
