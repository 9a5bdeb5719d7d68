import Foundation
import ModelZoo
import ZooPlugins

/// Structure-aware mutation of valid models: the fuzz input is a small program of edits to one of
/// the base models (the shipped small models and a small forest), applied to its META values and
/// tensor elements, and the result is re-framed by the writer with valid checksums, so every input
/// reaches the semantic checks behind the framing.
///
/// Input: byte 0 picks the base; then ops of `opcode, operands...` until the bytes run out.
public enum FuzzModel {
    /// The base models: `models/*.nnm` under 64 KiB and a 3-tree forest trained here.
    public static let bases: [NNMFile] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("models")
        var out: [NNMFile] = []
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where name.hasSuffix(".nnm") {
            let path = dir.appendingPathComponent(name).path
            guard (FileBytes.size(of: path) ?? .max) < 64 << 10, let f = try? NNMFile.read(path: path) else { continue }
            out.append(f)
        }
        var g = SyntheticBMI(rows: 120, seed: 5)
        g.missingRate = 0
        var csv: [UInt8] = []
        if (try? g.generate({ csv += $0 })) != nil, let table = try? CSVTable.parse(csv) {
            var options = DataOptions(target: "BMI")
            options.impute = .mean
            if let data = try? DatasetBuilder.prepare(table, options: options), let plugin = try? builtinPlugins.plugin("forest"),
                let r = try? Trainer.train(plugin: plugin, parameters: ["trees=3", "max_depth=6"], data: data, options: options),
                let f = try? r.model.file()
            {
                out.append(f)
            }
        }
        return out
    }()

    /// Seeds for the fuzzer's corpus: one per base model, with no edits and with one of each op.
    public static var seeds: [[UInt8]] {
        bases.indices.flatMap { b in [[2, UInt8(b)], [2, UInt8(b), 0, 3, 0, 4], [2, UInt8(b), 1, 2, 0, 0, 5], [2, UInt8(b), 4, 1, 1]] }
    }

    static let hostileJSON: [JSONValue] = [
        .int(0), .int(-1), .int(1), .int(2), .int(Int.max), .int(Int.min), .double(1e300), .double(-1e300), .double(5e-324),
        .double(1e308), .double(-1e308), .double(0.5), .double(2.5), .double(1e18), .double(5e7), .string(""),
        .string("\u{1B}[2J\u{1B}]0;x\u{7}"), .string("Male"), .string(String(repeating: "w", count: 5000)), .bool(true), .null,
        .array([]), .object([:]), .array((0..<300).map { .int($0) }), .array([.double(1e308), .double(5e-324)]),
        (0..<63).reduce(JSONValue.int(1)) { v, _ in .array([v]) }, .object(["kind": .string("numeric")]),
        .array([.string("b"), .string("a")]),
    ]

    static let hostileDoubles: [Double] = [
        0, -0.0, 1, -1, 1e300, -1e300, 5e-324, 1e308, -1e308, 0.5, 1e18, 1e18 + 128, .nan,
        .infinity, -.infinity, 3, 100, 1e-300,
    ]

    static func hostileInteger(_ k: UInt8, count: Int) -> UInt64 {
        let table: [UInt64] = [
            0, 1, 2, 3, 7, 8, 255, 256, 65535, 65536, UInt64(UInt32.max), UInt64(Int32.max), UInt64(max(0, count - 1)),
            UInt64(count), UInt64(count + 1), 1 << 22, 10_000, 10_001,
        ]
        return table[Int(k) % table.count]
    }

    enum Step { case key(String), index(Int) }

    /// Every value's path in the tree, containers included, in a stable order.
    static func paths(_ v: JSONValue, _ prefix: [Step] = [], into out: inout [[Step]]) {
        out.append(prefix)
        guard out.count < 20_000 else { return }
        switch v {
        case .object(let o): for k in o.keys.sorted() { paths(o[k]!, prefix + [.key(k)], into: &out) }
        case .array(let a): for (i, e) in a.enumerated() { paths(e, prefix + [.index(i)], into: &out) }
        default: break
        }
    }

    static func update(_ v: inout JSONValue, _ path: ArraySlice<Step>, _ f: (inout JSONValue) -> Void) {
        guard let first = path.first else { return f(&v) }
        switch (first, v) {
        case (.key(let k), .object(var o)):
            guard var child = o[k] else { return }
            update(&child, path.dropFirst(), f)
            o[k] = child
            v = .object(o)
        case (.index(let i), .array(var a)):
            guard i < a.count else { return }
            update(&a[i], path.dropFirst(), f)
            v = .array(a)
        default: return
        }
    }

    /// Applies the edit program in `input` to a base model; nil when the edits make no encodable file.
    public static func mutate(_ input: [UInt8]) -> [UInt8]? {
        guard !bases.isEmpty else { return nil }
        var it = input.makeIterator()
        func next() -> UInt8 { it.next() ?? 0 }
        func u16() -> Int { Int(next()) | Int(next()) << 8 }
        func u24() -> Int { u16() | Int(next()) << 16 }
        let base = bases[Int(input.first ?? 0) % bases.count]
        _ = it.next()
        guard let (metaBytes, _) = try? NNMFile.parts(try base.encode()), var meta = try? JSONValue.parse(metaBytes) else { return nil }
        var tensors = base.tensors.tensors
        var ops = 0
        while let op = it.next(), ops < 64 {
            ops += 1
            switch op % 7 {
            case 0, 5:  // a META value (or container) replaced by a hostile value
                var all: [[Step]] = []
                paths(meta, into: &all)
                let path = all[u16() % all.count]
                let value = hostileJSON[Int(next()) % hostileJSON.count]
                update(&meta, path[...]) { $0 = value }
            case 1:  // a tensor element set to a hostile number
                guard !tensors.isEmpty else { continue }
                let t = Int(next()) % tensors.count, k = next()
                tensors[t] = setElement(tensors[t], index: u24(), k: k)
            case 2:  // one raw byte of a tensor
                guard !tensors.isEmpty else { continue }
                let t = Int(next()) % tensors.count
                var b = tensors[t].bytes
                let at = u24(), value = next()
                if !b.isEmpty { b[at % b.count] = value }
                tensors[t] = Tensor(name: tensors[t].name, dtype: tensors[t].dtype, shape: tensors[t].shape, bytes: b)
            case 3:  // two elements swapped (sortedness, tree structure)
                guard !tensors.isEmpty else { continue }
                let t = Int(next()) % tensors.count, w = tensors[t].dtype.size
                let n = tensors[t].bytes.count / w
                let i = u24(), j = u24()
                guard n > 1 else { continue }
                var b = tensors[t].bytes
                for k in 0..<w { b.swapAt(i % n * w + k, j % n * w + k) }
                tensors[t] = Tensor(name: tensors[t].name, dtype: tensors[t].dtype, shape: tensors[t].shape, bytes: b)
            case 4:  // a rank-1 tensor one element shorter or longer, or a tensor dropped
                guard !tensors.isEmpty else { continue }
                let t = Int(next()) % tensors.count, how = next() % 3
                let x = tensors[t]
                if how == 2 { tensors.remove(at: t); continue }
                guard x.shape.count == 1 else { continue }
                if how == 0, x.shape[0] > 0 {
                    tensors[t] = Tensor(name: x.name, dtype: x.dtype, shape: [x.shape[0] - 1], bytes: Array(x.bytes.dropLast(x.dtype.size)))
                } else if x.shape[0] > 0 {
                    tensors[t] = Tensor(
                        name: x.name, dtype: x.dtype, shape: [x.shape[0] + 1], bytes: x.bytes + x.bytes.suffix(x.dtype.size))
                }
            default:  // a new key with a hostile value in some object
                var all: [[Step]] = []
                paths(meta, into: &all)
                let path = all[u16() % all.count]
                let key = ["impute", "levels", "scaler", "history", "x", "kind", "trees", "hidden", "feature_importances"][Int(next()) % 9]
                let value = hostileJSON[Int(next()) % hostileJSON.count]
                update(&meta, path[...]) { v in if case .object(var o) = v { o[key] = value; v = .object(o) } }
            }
        }
        guard let bundle = try? TensorBundle(tensors),
            let (_, raw) = try? NNMFile.parts(try NNMFile(metadata: base.metadata, tensors: bundle).encode())
        else { return nil }
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        guard let metaOut = try? enc.encode(meta) else { return nil }
        return try? NNMFile.assemble(meta: Array(metaOut), rawTensors: raw)
    }

    static func setElement(_ x: Tensor, index: Int, k: UInt8) -> Tensor {
        let n = x.count
        guard n > 0 else { return x }
        let i = index % n, w = x.dtype.size
        var b = x.bytes
        let bits: UInt64
        switch x.dtype {
        case .f64: bits = hostileDoubles[Int(k) % hostileDoubles.count].bitPattern
        case .f32: bits = UInt64(Float(hostileDoubles[Int(k) % hostileDoubles.count]).bitPattern)
        default: bits = hostileInteger(k, count: n)
        }
        for j in 0..<w { b[i * w + j] = UInt8(truncatingIfNeeded: bits >> (8 * j)) }
        return Tensor(name: x.name, dtype: x.dtype, shape: x.shape, bytes: b)
    }
}
