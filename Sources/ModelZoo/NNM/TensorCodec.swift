/// The raw (pre-compression) layout of the `TNSR` section: a table, then the tensors' bytes in order.
enum TensorCodec {
    static func encode(_ tensors: [Tensor]) -> [UInt8] {
        var w = ByteWriter()
        w.u32(UInt32(tensors.count))
        var encodings: [NNMFormat.Encoding] = []
        for t in tensors {
            let name = Array(t.name.utf8)
            precondition(!name.isEmpty && name.count <= NNMFormat.maxNameLength && t.shape.count <= NNMFormat.maxRank)
            w.u16(UInt16(name.count))
            w.raw(name)
            w.u8(t.dtype.rawValue)
            // Shuffling multi-byte elements groups their similar high bytes; worth it past a few elements.
            let enc: NNMFormat.Encoding = (t.dtype.size > 1 && t.count >= 16) ? .shuffled : .plain
            encodings.append(enc)
            w.u8(enc.rawValue)
            w.u8(UInt8(t.shape.count))
            for d in t.shape { w.u64(UInt64(d)) }
            w.u64(UInt64(t.bytes.count))
        }
        for (t, enc) in zip(tensors, encodings) {
            w.raw(enc == .shuffled ? shuffle(t.bytes, width: t.dtype.size) : t.bytes)
        }
        return w.bytes
    }

    /// Decodes untrusted bytes: counts, names, ranks and shapes are checked before anything is sized
    /// by them, and the data must exactly fill the rest of the payload.
    static func decode(_ raw: UnsafeRawBufferPointer) throws -> [Tensor] {
        var r = ByteReader(raw)
        let count = Int(try r.u32("tensor count"))
        guard count <= NNMFormat.maxTensors else {
            throw NNMError.tooLarge(what: "tensor count", size: UInt64(count), cap: UInt64(NNMFormat.maxTensors))
        }
        // Each table entry takes at least 13 bytes: refuse counts the payload cannot hold before reserving.
        guard count * 13 <= r.remaining else { throw NNMError.truncated("tensor table of \(count) entries") }
        struct Entry { var name: String; var dtype: DType; var enc: NNMFormat.Encoding; var shape: [Int]; var length: Int }
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var total = 0
        for i in 0..<count {
            let nameLength = Int(try r.u16("tensor \(i) name length"))
            guard nameLength >= 1, nameLength <= NNMFormat.maxNameLength else {
                throw NNMError.corrupt("tensor \(i): name length \(nameLength) out of range 1...\(NNMFormat.maxNameLength)")
            }
            let nameBytes = try r.bytes(nameLength, "tensor \(i) name")
            guard let name = String(validating: nameBytes.bindMemory(to: UInt8.self), as: UTF8.self) else {
                throw NNMError.corrupt("tensor \(i): name is not UTF-8")
            }
            let code = try r.u8("tensor '\(name)' dtype")
            guard let dtype = DType(rawValue: code) else { throw NNMError.corrupt("tensor '\(name)': unknown dtype code \(code)") }
            let encCode = try r.u8("tensor '\(name)' encoding")
            guard let enc = NNMFormat.Encoding(rawValue: encCode) else {
                throw NNMError.corrupt("tensor '\(name)': unknown encoding \(encCode)")
            }
            let rank = Int(try r.u8("tensor '\(name)' rank"))
            guard rank <= NNMFormat.maxRank else { throw NNMError.corrupt("tensor '\(name)': rank \(rank) over \(NNMFormat.maxRank)") }
            var shape: [Int] = []
            var elements: UInt64 = 1
            for k in 0..<rank {
                let d = try r.u64("tensor '\(name)' dimension \(k)")
                let (m, overflow) = elements.multipliedReportingOverflow(by: d)
                guard d <= UInt64(Int32.max), !overflow, m <= NNMFormat.maxTensorPayload else {
                    throw NNMError.corrupt("tensor '\(name)': shape too large")
                }
                elements = m
                shape.append(Int(d))
            }
            let length = try r.u64("tensor '\(name)' byte length")
            guard length == elements * UInt64(dtype.size) else {
                throw NNMError.corrupt(
                    "tensor '\(name)': \(length) bytes for shape \(shape) of \(dtype) (needs \(elements * UInt64(dtype.size)))")
            }
            total += Int(length)
            guard total <= raw.count else { throw NNMError.truncated("tensor '\(name)' data ends past the payload") }
            entries.append(Entry(name: name, dtype: dtype, enc: enc, shape: shape, length: Int(length)))
        }
        guard total == r.remaining else {
            throw total < r.remaining
                ? NNMError.corrupt("\(r.remaining - total) unexplained bytes after the tensor data")
                : NNMError.truncated("tensor data needs \(total) bytes, \(r.remaining) left")
        }
        var out: [Tensor] = []
        out.reserveCapacity(count)
        for e in entries {
            let raw = try r.bytes(e.length, "tensor '\(e.name)' data")
            out.append(
                Tensor(
                    name: e.name, dtype: e.dtype, shape: e.shape,
                    bytes: e.enc == .shuffled ? unshuffle(raw, width: e.dtype.size) : Array(raw)))
        }
        return out
    }

    static func shuffle(_ b: [UInt8], width: Int) -> [UInt8] {
        let n = b.count / width
        return [UInt8](unsafeUninitializedCapacity: b.count) { out, initialized in
            b.withUnsafeBufferPointer { src in
                for k in 0..<width { for i in 0..<n { out[k * n + i] = src[i * width + k] } }
            }
            initialized = b.count
        }
    }

    static func unshuffle(_ src: UnsafeRawBufferPointer, width: Int) -> [UInt8] {
        let n = src.count / width
        return [UInt8](unsafeUninitializedCapacity: src.count) { out, initialized in
            for k in 0..<width { for i in 0..<n { out[i * width + k] = src[k * n + i] } }
            initialized = src.count
        }
    }
}
