import Foundation
import ModelZoo

/// Open Inference Protocol v2 (KServe, Triton) over REST: request parsing (JSON tensors and
/// Triton's binary tensor data extension) and response encoding.
enum OpenInference {
    /// A parsed infer request: the model's rows as a table, and how to answer.
    struct Request {
        var table: CSVTable
        var rows: Int
        var id: String?
        /// Requested outputs (nil: all) and whether each is wanted in binary.
        var outputs: [(name: String, binary: Bool)]?
        /// `binary_data_output` from the request parameters: every output in binary unless it says otherwise.
        var binaryByDefault: Bool
    }

    /// Parses an infer request body. `headerLength` is the `Inference-Header-Content-Length`
    /// header (the JSON part's size when binary tensors follow it).
    static func parse(body: [UInt8], headerLength: Int?, model: ServedModel, maxRows: Int) throws -> Request {
        let jsonBytes: [UInt8]
        var binary: ArraySlice<UInt8> = []
        if let h = headerLength {
            guard h >= 0, h <= body.count else {
                throw RequestError.bad("Inference-Header-Content-Length is \(h) but the body has \(body.count) bytes")
            }
            jsonBytes = Array(body[..<h])
            binary = body[h...]
        } else {
            jsonBytes = body
        }
        let tape: JSONTape
        do { tape = try JSONTape(jsonBytes) } catch { throw RequestError.bad("\(error)") }
        let root = tape.root
        guard tape.kind(root) == .object else { throw RequestError.bad("the request must be a JSON object, found \(tape.typeName(root))") }

        var id: String?
        if let i = tape.member(root, "id") {
            guard tape.kind(i) == .string else { throw RequestError.bad("'id' must be a string") }
            id = tape.string(i)
        }
        var binaryByDefault = false
        if let params = tape.member(root, "parameters") {
            guard tape.kind(params) == .object else { throw RequestError.bad("'parameters' must be an object") }
            if let b = tape.member(params, "binary_data_output") {
                guard let v = tape.bool(b) else { throw RequestError.bad("'binary_data_output' must be a boolean") }
                binaryByDefault = v
            }
        }
        var outputs: [(String, Bool)]?
        if let outs = tape.member(root, "outputs") {
            guard tape.kind(outs) == .array else { throw RequestError.bad("'outputs' must be an array") }
            let known = model.outputs.map(\.name)
            var list: [(String, Bool)] = []
            for o in tape.elements(outs) {
                guard tape.kind(o) == .object, let n = tape.member(o, "name"), tape.kind(n) == .string else {
                    throw RequestError.bad("each requested output must be an object with a 'name'")
                }
                let name = tape.string(n)
                guard known.contains(name) else {
                    throw RequestError.bad("unknown output '\(name)'; the model's outputs are \(known.joined(separator: ", "))")
                }
                var bin = binaryByDefault
                if let p = tape.member(o, "parameters") {
                    guard tape.kind(p) == .object else { throw RequestError.bad("output parameters must be an object") }
                    if let b = tape.member(p, "binary_data") {
                        guard let v = tape.bool(b) else { throw RequestError.bad("'binary_data' must be a boolean") }
                        bin = v
                    }
                }
                list.append((name, bin))
            }
            outputs = list
        }

        guard let inputs = tape.member(root, "inputs") else { throw RequestError.bad("the request has no 'inputs'") }
        guard tape.kind(inputs) == .array else { throw RequestError.bad("'inputs' must be an array") }
        let columns = model.schema.columns
        var builder = CSVBuilder(names: columns.map(\.name))
        var seen = [Bool](repeating: false, count: columns.count)
        var rows: Int?
        var offset = binary.startIndex
        for input in tape.elements(inputs) {
            guard tape.kind(input) == .object else { throw RequestError.bad("each input must be an object") }
            guard let nameNode = tape.member(input, "name"), tape.kind(nameNode) == .string else {
                throw RequestError.bad("an input has no 'name'")
            }
            let name = tape.string(nameNode)
            guard let k = columnIndex(name, columns) else {
                throw RequestError.bad("unknown input '\(name)'; the model's inputs are \(columns.map(\.name).joined(separator: ", "))")
            }
            guard !seen[k] else { throw RequestError.bad("input '\(name)' is given twice") }
            seen[k] = true
            let column = columns[k]
            guard let dtNode = tape.member(input, "datatype"), tape.kind(dtNode) == .string else {
                throw RequestError.bad("input '\(name)' has no 'datatype'")
            }
            let dtName = tape.string(dtNode)
            guard let dt = TensorType(rawValue: dtName) else { throw RequestError.bad("input '\(name)': unknown datatype '\(dtName)'") }
            if column.kind == .numeric {
                guard dt != .BYTES && dt != .BOOL else {
                    throw RequestError.bad(
                        "input '\(name)' is numeric: expected datatype FP64 (or another number type), found \(dt.rawValue)")
                }
            } else {
                guard dt == .BYTES else {
                    throw RequestError.bad("input '\(name)' is categorical: expected datatype BYTES, found \(dt.rawValue)")
                }
            }
            guard let shapeNode = tape.member(input, "shape"), tape.kind(shapeNode) == .array else {
                throw RequestError.bad("input '\(name)' has no 'shape'")
            }
            var shape: [Int] = []
            for d in tape.elements(shapeNode) {
                guard let v = tape.int(d), v >= 0 else { throw RequestError.bad("input '\(name)': shape must be non-negative integers") }
                shape.append(v)
            }
            guard !shape.isEmpty, shape.count <= 2, shape.count == 1 || shape[1] == 1 else {
                throw RequestError.bad("input '\(name)': shape must be [rows] or [rows, 1], found \(shape)")
            }
            let n = shape[0]
            guard n <= maxRows else {
                throw RequestError.tooLarge("\(n) rows; this server takes at most \(maxRows) per request (--max-rows)")
            }
            if let r = rows, r != n { throw RequestError.bad("input '\(name)' has \(n) rows, another input has \(r)") }
            rows = n

            var binarySize: Int?
            if let p = tape.member(input, "parameters") {
                guard tape.kind(p) == .object else { throw RequestError.bad("input '\(name)': parameters must be an object") }
                if let s = tape.member(p, "binary_data_size") {
                    guard let v = tape.int(s), v >= 0 else {
                        throw RequestError.bad("input '\(name)': binary_data_size must be a non-negative integer")
                    }
                    binarySize = v
                }
            }
            if let size = binarySize {
                guard tape.member(input, "data") == nil else {
                    throw RequestError.bad("input '\(name)' has both 'data' and binary_data_size")
                }
                guard offset + size <= binary.endIndex else {
                    throw RequestError.bad("input '\(name)': binary_data_size \(size) runs past the end of the body")
                }
                try readBinary(binary[offset..<(offset + size)], type: dt, rows: n, column: k, name: name, into: &builder)
                offset += size
            } else {
                guard let data = tape.member(input, "data") else {
                    throw RequestError.bad("input '\(name)' has neither 'data' nor binary_data_size")
                }
                try readJSON(tape, data, type: dt, column: k, name: name, into: &builder)
                guard builder.count(k) == n else {
                    throw RequestError.bad("input '\(name)' has \(builder.count(k)) values for shape \(shape)")
                }
            }
        }
        guard offset == binary.endIndex else {
            throw RequestError.bad("\(binary.endIndex - offset) bytes after the tensors that no binary_data_size accounts for")
        }
        if let missing = seen.firstIndex(of: false) {
            throw RequestError.bad(
                "missing input '\(columns[missing].name)'; the model's inputs are \(columns.map(\.name).joined(separator: ", "))")
        }
        let n = rows ?? 0
        return Request(table: try builder.table(rows: n), rows: n, id: id, outputs: outputs, binaryByDefault: binaryByDefault)
    }

    static func columnIndex(_ name: String, _ columns: [FeatureColumn]) -> Int? {
        if let i = columns.firstIndex(where: { $0.name == name }) { return i }
        let lower = name.lowercased()
        let m = columns.indices.filter { columns[$0].name.lowercased() == lower }
        return m.count == 1 ? m[0] : nil
    }

    /// JSON tensor data: flat or nested arrays, row-major. Numbers keep their text; null is a
    /// missing value (imputed when the model was trained with `--impute`).
    static func readJSON(_ tape: JSONTape, _ node: Int, type: TensorType, column k: Int, name: String, into b: inout CSVBuilder) throws {
        switch tape.kind(node) {
        case .array:
            for e in tape.elements(node) { try readJSON(tape, e, type: type, column: k, name: name, into: &b) }
        case .number:
            guard type != .BYTES else { throw RequestError.bad("input '\(name)' is BYTES: expected strings, found a number") }
            b.appendNumberText(k, tape.numberBytes(node))
        case .string:
            guard type == .BYTES else { throw RequestError.bad("input '\(name)' is \(type.rawValue): expected numbers, found a string") }
            b.appendString(k, tape: tape, node: node)
        case .null:
            b.appendMissing(k)
        case .bool, .object:
            throw RequestError.bad("input '\(name)': expected \(type == .BYTES ? "strings" : "numbers"), found \(tape.typeName(node))")
        }
    }

    /// Binary tensor data: little-endian, row-major; BYTES elements are a 4-byte little-endian length and the bytes.
    static func readBinary(_ data: ArraySlice<UInt8>, type: TensorType, rows n: Int, column k: Int, name: String, into b: inout CSVBuilder)
        throws
    {
        if let w = type.width {
            guard data.count == n * w else {
                throw RequestError.bad("input '\(name)': \(data.count) bytes of \(type.rawValue) data for \(n) rows (expected \(n * w))")
            }
            data.withUnsafeBytes { raw in
                for r in 0..<n {
                    let o = r * w
                    switch type {
                    case .FP64:
                        b.appendDouble(k, Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self))))
                    case .FP32:
                        b.appendDouble(
                            k, Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))))
                    case .FP16:
                        #if arch(arm64) || arch(x86_64)
                            b.appendDouble(
                                k, Double(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))))
                        #endif
                    case .INT8: b.appendInteger(k, raw.loadUnaligned(fromByteOffset: o, as: Int8.self))
                    case .UINT8: b.appendInteger(k, raw.loadUnaligned(fromByteOffset: o, as: UInt8.self))
                    case .INT16: b.appendInteger(k, Int16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int16.self)))
                    case .UINT16: b.appendInteger(k, UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)))
                    case .INT32: b.appendInteger(k, Int32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int32.self)))
                    case .UINT32: b.appendInteger(k, UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                    case .INT64: b.appendInteger(k, Int64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: Int64.self)))
                    case .UINT64: b.appendInteger(k, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt64.self)))
                    case .BOOL, .BYTES: break  // refused before
                    }
                }
            }
            return
        }
        var p = data.startIndex
        var count = 0
        while p < data.endIndex {
            guard p + 4 <= data.endIndex else { throw RequestError.bad("input '\(name)': truncated BYTES element length") }
            let len = Int(data[p]) | Int(data[p + 1]) << 8 | Int(data[p + 2]) << 16 | Int(data[p + 3]) << 24
            p += 4
            guard p + len <= data.endIndex else {
                throw RequestError.bad("input '\(name)': a BYTES element runs past its binary_data_size")
            }
            b.appendString(k, data[p..<(p + len)])
            p += len
            count += 1
        }
        guard count == n else { throw RequestError.bad("input '\(name)' has \(count) BYTES elements for \(n) rows") }
    }

    /// The response: JSON, or JSON then binary outputs (`headerLength` set) when any output is binary.
    static func response(model: ServedModel, request: Request, outputs all: [OutputTensor]) -> (body: [UInt8], headerLength: Int?) {
        let chosen: [(OutputTensor, Bool)]
        if let wanted = request.outputs {
            chosen = wanted.compactMap { w in all.first { $0.name == w.name }.map { ($0, w.binary) } }
        } else {
            chosen = all.map { ($0, request.binaryByDefault) }
        }
        var w = JSONWriter(capacity: 128 + request.rows * 24)
        var blobs: [UInt8] = []
        w.raw("{\"model_name\":")
        w.string(model.name)
        w.raw(",\"model_version\":\"1\"")
        if let id = request.id { w.raw(",\"id\":"); w.string(id) }
        w.raw(",\"outputs\":[")
        for (k, (o, binary)) in chosen.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"name\":")
            w.string(o.name)
            w.raw(",\"datatype\":\"")
            w.raw(o.datatype.rawValue)
            w.raw("\",\"shape\":[")
            w.number(o.rows)
            w.raw(",")
            w.number(o.columns)
            w.raw("]")
            if binary {
                let before = blobs.count
                appendBinary(o.values, to: &blobs)
                w.raw(",\"parameters\":{\"binary_data_size\":")
                w.number(blobs.count - before)
                w.raw("}}")
            } else {
                w.raw(",\"data\":[")
                switch o.values {
                case .fp64(let v):
                    for (i, x) in v.enumerated() { if i > 0 { w.raw(",") }; w.number(x) }
                case .bytes(let v):
                    for (i, x) in v.enumerated() { if i > 0 { w.raw(",") }; w.string(x) }
                }
                w.raw("]}")
            }
        }
        w.raw("]}")
        if chosen.contains(where: { $0.1 }) {
            let h = w.bytes.count
            return (w.bytes + blobs, h)
        }
        return (w.bytes, nil)
    }

    static func appendBinary(_ values: OutputTensor.Values, to out: inout [UInt8]) {
        switch values {
        case .fp64(let v):
            out.reserveCapacity(out.count + v.count * 8)
            for x in v {
                let bits = x.bitPattern.littleEndian
                withUnsafeBytes(of: bits) { out.append(contentsOf: $0) }
            }
        case .bytes(let v):
            for s in v {
                let u = Array(s.utf8)
                withUnsafeBytes(of: UInt32(u.count).littleEndian) { out.append(contentsOf: $0) }
                out.append(contentsOf: u)
            }
        }
    }

    /// `GET /v2/models/{name}`: one input per feature column, one output per prediction output.
    static func metadata(_ model: ServedModel) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{\"name\":")
        w.string(model.name)
        w.raw(",\"versions\":[\"1\"],\"platform\":")
        w.string("modelzoo_\(model.metadata.kind)")
        w.raw(",\"inputs\":[")
        for (k, c) in model.schema.columns.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"name\":")
            w.string(c.name)
            w.raw(",\"datatype\":\"")
            w.raw(ServedModel.inputType(c).rawValue)
            w.raw("\",\"shape\":[-1,1]}")
        }
        w.raw("],\"outputs\":[")
        for (k, o) in model.outputs.enumerated() {
            if k > 0 { w.raw(",") }
            w.raw("{\"name\":")
            w.string(o.name)
            w.raw(",\"datatype\":\"")
            w.raw(o.datatype.rawValue)
            w.raw("\",\"shape\":[-1,")
            w.number(o.columns)
            w.raw("]}")
        }
        w.raw("]}")
        return w.bytes
    }

    static func error(_ message: String) -> [UInt8] { JSONWriter.object(["error": message]) }
}
