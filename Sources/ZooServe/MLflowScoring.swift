import Foundation
import ModelZoo

/// MLflow's scoring protocol (`mlflow models serve`): `POST /invocations` with a pandas-style JSON
/// payload or a CSV, answered `{"predictions": [...]}`.
enum MLflowScoring {
    /// The rows of an `/invocations` body as a table for `model`, and the encoder for that table.
    static func parse(body: [UInt8], contentType: String?, model: ServedModel, maxRows: Int) throws -> (
        table: CSVTable, encoder: FeatureEncoder
    ) {
        let type =
            (contentType ?? "application/json").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            ?? ""
        switch type {
        case "text/csv":
            let table: CSVTable
            do { table = try CSVTable.parse(body, source: "request") } catch {
                throw RequestError.bad("cannot read the CSV: \(error)")
            }
            guard table.rowCount <= maxRows else { throw tooMany(table.rowCount, maxRows) }
            do {
                return (table, try FeatureEncoder(schema: model.schema, header: table.header))
            } catch {
                throw RequestError.bad("\(error)")
            }
        case "application/json", "":
            return (try parseJSON(body, model: model, maxRows: maxRows), model.encoder)
        default:
            throw RequestError(status: 415, message: "content type '\(type)' is not supported; use application/json or text/csv")
        }
    }

    static func tooMany(_ n: Int, _ max: Int) -> RequestError {
        RequestError.tooLarge("\(n) rows; this server takes at most \(max) per request (--max-rows)")
    }

    static let formats = ["dataframe_split", "dataframe_records", "instances", "inputs"]

    static func parseJSON(_ body: [UInt8], model: ServedModel, maxRows: Int) throws -> CSVTable {
        let tape: JSONTape
        do { tape = try JSONTape(body) } catch { throw RequestError.bad("\(error)") }
        let root = tape.root
        guard tape.kind(root) == .object else {
            throw RequestError.bad("the request must be a JSON object with one of \(formats.joined(separator: ", "))")
        }
        let present = formats.filter { tape.member(root, $0) != nil }
        guard present.count == 1 else {
            throw RequestError.bad(
                present.isEmpty
                    ? "the request must have one of \(formats.joined(separator: ", "))"
                    : "the request has \(present.joined(separator: " and ")); give exactly one")
        }
        let node = tape.member(root, present[0])!
        let columns = model.schema.columns
        var b = CSVBuilder(names: columns.map(\.name))
        var rows = 0
        switch present[0] {
        case "dataframe_split":
            rows = try split(tape, node, columns, &b, maxRows)
        case "dataframe_records":
            rows = try records(tape, node, columns, &b, maxRows, what: "dataframe_records")
        case "instances":
            rows = try instances(tape, node, columns, &b, maxRows)
        default:  // inputs
            if tape.kind(node) == .object {
                rows = try columnar(tape, node, columns, &b, maxRows)
            } else {
                rows = try instances(tape, node, columns, &b, maxRows)
            }
        }
        return try b.table(rows: rows)
    }

    /// One cell from a JSON value: numbers keep their text, strings are strings, null is missing.
    static func cell(_ tape: JSONTape, _ v: Int, column k: Int, _ c: FeatureColumn, row: Int, _ b: inout CSVBuilder) throws {
        switch tape.kind(v) {
        case .number: b.appendNumberText(k, tape.numberBytes(v))
        case .string: b.appendString(k, tape: tape, node: v)
        case .null: b.appendMissing(k)
        default: throw RequestError.bad("row \(row), column '\(c.name)': expected a number or a string, found \(tape.typeName(v))")
        }
    }

    /// `{"columns": [...], "data": [[...], ...]}` (pandas' split orient; `index` is ignored).
    static func split(_ tape: JSONTape, _ node: Int, _ columns: [FeatureColumn], _ b: inout CSVBuilder, _ maxRows: Int) throws -> Int {
        guard tape.kind(node) == .object else { throw RequestError.bad("dataframe_split must be an object with 'columns' and 'data'") }
        guard let data = tape.member(node, "data"), tape.kind(data) == .array else {
            throw RequestError.bad("dataframe_split has no 'data' array")
        }
        let n = tape.count(data)
        guard n <= maxRows else { throw tooMany(n, maxRows) }
        var names: [String] = []
        if let cols = tape.member(node, "columns") {
            guard tape.kind(cols) == .array else { throw RequestError.bad("dataframe_split 'columns' must be an array") }
            for c in tape.elements(cols) {
                guard tape.kind(c) == .string else { throw RequestError.bad("dataframe_split 'columns' must be strings") }
                names.append(tape.string(c))
            }
        } else {
            names = columns.map(\.name)  // no names: the model's columns in order
        }
        // For each position in a data row, the model column it feeds (-1: not a model column).
        var target = [Int](repeating: -1, count: names.count)
        for (k, c) in columns.enumerated() {
            guard let i = CSVTable.columnIndex(c.name, in: names) else {
                throw RequestError.bad("missing column '\(c.name)'; the request has \(names.joined(separator: ", "))")
            }
            target[i] = k
        }
        var r = 0
        for row in tape.elements(data) {
            guard tape.kind(row) == .array, tape.count(row) == names.count else {
                throw RequestError.bad("row \(r): expected an array of \(names.count) values")
            }
            var position = 0
            for v in tape.elements(row) {
                let k = target[position]
                if k >= 0 { try cell(tape, v, column: k, columns[k], row: r, &b) }
                position += 1
            }
            r += 1
        }
        return n
    }

    /// `[{"col": value, ...}, ...]`: a missing key is a missing value.
    static func records(_ tape: JSONTape, _ node: Int, _ columns: [FeatureColumn], _ b: inout CSVBuilder, _ maxRows: Int, what: String)
        throws -> Int
    {
        guard tape.kind(node) == .array else { throw RequestError.bad("\(what) must be an array of objects") }
        let n = tape.count(node)
        guard n <= maxRows else { throw tooMany(n, maxRows) }
        var r = 0
        for rec in tape.elements(node) {
            guard tape.kind(rec) == .object else {
                throw RequestError.bad("row \(r): expected an object of column values, found \(tape.typeName(rec))")
            }
            let members = tape.members(rec)
            for (k, c) in columns.enumerated() {
                if let m = members.last(where: { tape.stringEquals($0.key, c.name) }) {
                    try cell(tape, m.value, column: k, c, row: r, &b)
                } else if let m = members.last(where: { tape.string($0.key).lowercased() == c.name.lowercased() }) {
                    try cell(tape, m.value, column: k, c, row: r, &b)
                } else {
                    b.appendMissing(k)
                }
            }
            r += 1
        }
        return n
    }

    /// `instances`: records, or rows as arrays in the model's column order.
    static func instances(_ tape: JSONTape, _ node: Int, _ columns: [FeatureColumn], _ b: inout CSVBuilder, _ maxRows: Int) throws -> Int {
        guard tape.kind(node) == .array else { throw RequestError.bad("instances must be an array") }
        let n = tape.count(node)
        guard n <= maxRows else { throw tooMany(n, maxRows) }
        if n == 0 { return 0 }
        if tape.kind(tape.elements(node).first(where: { _ in true })!) == .object {
            return try records(tape, node, columns, &b, maxRows, what: "instances")
        }
        var r = 0
        for row in tape.elements(node) {
            guard tape.kind(row) == .array, tape.count(row) == columns.count else {
                throw RequestError.bad(
                    "row \(r): expected an array of \(columns.count) values (\(columns.map(\.name).joined(separator: ", "))) or an object")
            }
            for (k, v) in tape.elements(row).enumerated() { try cell(tape, v, column: k, columns[k], row: r, &b) }
            r += 1
        }
        return n
    }

    /// `inputs` as `{"col": [values...], ...}`.
    static func columnar(_ tape: JSONTape, _ node: Int, _ columns: [FeatureColumn], _ b: inout CSVBuilder, _ maxRows: Int) throws -> Int {
        var n: Int?
        for (k, c) in columns.enumerated() {
            guard let v = tape.member(node, c.name) else {
                throw RequestError.bad("inputs has no column '\(c.name)'")
            }
            guard tape.kind(v) == .array else { throw RequestError.bad("inputs '\(c.name)' must be an array") }
            let count = tape.count(v)
            guard count <= maxRows else { throw tooMany(count, maxRows) }
            if let n, n != count { throw RequestError.bad("inputs '\(c.name)' has \(count) values, another column has \(n)") }
            n = count
            for (r, e) in tape.elements(v).enumerated() { try cell(tape, e, column: k, c, row: r, &b) }
        }
        return n ?? 0
    }

    /// `{"predictions": [...]}`: one value per row for a single output; with several outputs (a
    /// classifier's label and probabilities), one object per row keyed by output name.
    static func response(_ outputs: [OutputTensor]) -> [UInt8] {
        let rows = outputs.first?.rows ?? 0
        var w = JSONWriter(capacity: 32 + rows * 24)
        w.raw("{\"predictions\":[")
        func value(_ o: OutputTensor, _ r: Int) {
            if o.columns != 1 { w.raw("[") }
            for c in 0..<o.columns {
                if c > 0 { w.raw(",") }
                switch o.values {
                case .fp64(let v): w.number(v[r * o.columns + c])
                case .bytes(let v): w.string(v[r * o.columns + c])
                }
            }
            if o.columns != 1 { w.raw("]") }
        }
        for r in 0..<rows {
            if r > 0 { w.raw(",") }
            if outputs.count == 1 {
                value(outputs[0], r)
            } else {
                w.raw("{")
                for (k, o) in outputs.enumerated() {
                    if k > 0 { w.raw(",") }
                    w.string(o.name)
                    w.raw(":")
                    value(o, r)
                }
                w.raw("}")
            }
        }
        w.raw("]}")
        return w.bytes
    }

    static func error(_ message: String, code: String = "BAD_REQUEST") -> [UInt8] {
        JSONWriter.object(["error_code": code, "message": message])
    }
}
