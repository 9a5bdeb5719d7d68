/// Element types a tensor may hold. Raw values are the on-disk codes.
public enum DType: UInt8, Sendable, Codable, CustomStringConvertible, CaseIterable {
    case f64 = 1, f32 = 2, i32 = 3, u8 = 4, u16 = 5, u32 = 6

    public var size: Int {
        switch self {
        case .f64: return 8
        case .f32, .i32, .u32: return 4
        case .u16: return 2
        case .u8: return 1
        }
    }

    public var description: String {
        switch self {
        case .f64: return "f64"
        case .f32: return "f32"
        case .i32: return "i32"
        case .u8: return "u8"
        case .u16: return "u16"
        case .u32: return "u32"
        }
    }
}

/// A named, typed, shaped array of little-endian bytes.
public struct Tensor: Sendable, Equatable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// Little-endian element bytes, `shape.product × dtype.size` of them.
    public let bytes: [UInt8]

    public var count: Int { shape.reduce(1, *) }

    /// Builds a tensor from raw bytes (`bytes.count` must match the shape).
    public init(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) {
        precondition(shape.reduce(1, *) * dtype.size == bytes.count, "tensor \(name): byte count does not match shape")
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    public init(_ name: String, _ values: [Double], shape: [Int]? = nil) {
        self.init(name: name, dtype: .f64, shape: shape ?? [values.count], bytes: Tensor.pack(values))
    }
    public init(_ name: String, _ values: [Float], shape: [Int]? = nil) {
        self.init(name: name, dtype: .f32, shape: shape ?? [values.count], bytes: Tensor.pack(values))
    }
    public init(_ name: String, _ values: [Int32], shape: [Int]? = nil) {
        self.init(name: name, dtype: .i32, shape: shape ?? [values.count], bytes: Tensor.pack(values))
    }
    public init(_ name: String, _ values: [UInt32], shape: [Int]? = nil) {
        self.init(name: name, dtype: .u32, shape: shape ?? [values.count], bytes: Tensor.pack(values))
    }
    public init(_ name: String, _ values: [UInt16], shape: [Int]? = nil) {
        self.init(name: name, dtype: .u16, shape: shape ?? [values.count], bytes: Tensor.pack(values))
    }
    public init(_ name: String, _ values: [UInt8], shape: [Int]? = nil) {
        self.init(name: name, dtype: .u8, shape: shape ?? [values.count], bytes: values)
    }

    /// Copies `values` to bytes; the platforms Swift targets here are little-endian, as the format is.
    static func pack<T>(_ values: [T]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    /// The elements as numbers whatever the dtype (every dtype's values are exact as doubles), for
    /// dumping a tensor.
    public var numbers: [Double] {
        switch dtype {
        case .f64: return unpack(Double.self)
        case .f32: return unpack(Float.self).map(Double.init)
        case .i32: return unpack(Int32.self).map(Double.init)
        case .u8: return bytes.map(Double.init)
        case .u16: return unpack(UInt16.self).map(Double.init)
        case .u32: return unpack(UInt32.self).map(Double.init)
        }
    }

    /// The elements as `T` (caller checked the dtype), one allocation.
    func unpack<T>(_: T.Type) -> [T] {
        let n = count
        return [T](unsafeUninitializedCapacity: n) { buf, initialized in
            bytes.withUnsafeBytes { src in
                UnsafeMutableRawBufferPointer(buf).copyMemory(from: src)
            }
            initialized = n
        }
    }
}

/// The tensors of one model file, looked up by name with strict checks (MLX `verify:` style).
public struct TensorBundle: Sendable, Equatable {
    public private(set) var tensors: [Tensor]
    private var index: [String: Int]
    /// Names read so far, when tracking (see `tracked()`).
    private var reads: Locked<Set<String>>?

    public static func == (a: TensorBundle, b: TensorBundle) -> Bool { a.tensors == b.tensors }

    /// A copy that records which tensors are read, for `verifyAllRead()`.
    public func tracked() -> TensorBundle {
        var copy = self
        copy.reads = Locked([])
        return copy
    }

    /// Throws `NNMError.unusedTensors` naming every tensor not read since `tracked()`: a file with a
    /// stray tensor is not the model its loader understood.
    public func verifyAllRead() throws {
        guard let reads else { return }
        let read = reads.withLock { $0 }
        let unused = names.filter { !read.contains($0) }
        if !unused.isEmpty { throw NNMError.unusedTensors(unused) }
    }

    public init(_ tensors: [Tensor]) throws {
        self.tensors = tensors
        index = [:]
        for (i, t) in tensors.enumerated() {
            guard index.updateValue(i, forKey: t.name) == nil else {
                throw NNMError.corrupt("duplicate tensor name '\(t.name)'")
            }
        }
    }

    public var names: [String] { tensors.map(\.name) }

    public func contains(_ name: String) -> Bool { index[name] != nil }

    /// The tensor called `name`, or `NNMError.missingTensor`.
    public func tensor(_ name: String) throws -> Tensor {
        guard let i = index[name] else { throw NNMError.missingTensor(name) }
        reads?.withLock { _ = $0.insert(name) }
        return tensors[i]
    }

    /// The tensor's shape, checked against `expected` when given (a `-1` matches any extent).
    public func shape(_ name: String, dtype: DType, expected: [Int]? = nil) throws -> [Int] {
        let t = try tensor(name)
        guard t.dtype == dtype else { throw NNMError.dtypeMismatch(tensor: name, expected: dtype, found: t.dtype) }
        if let expected {
            let ok = expected.count == t.shape.count && zip(expected, t.shape).allSatisfy { $0 == -1 || $0 == $1 }
            guard ok else { throw NNMError.shapeMismatch(tensor: name, expected: expected, found: t.shape) }
        }
        return t.shape
    }

    /// Doubles of `name`, checked for dtype, shape and finiteness.
    public func doubles(_ name: String, shape expected: [Int]? = nil) throws -> [Double] {
        _ = try shape(name, dtype: .f64, expected: expected)
        let v = try tensor(name).unpack(Double.self)
        if let bad = v.firstIndex(where: { !$0.isFinite }) {
            throw NNMError.invalidValue(tensor: name, reason: "element \(bad) is \(v[bad]), weights must be finite")
        }
        return v
    }

    public func int32s(_ name: String, shape expected: [Int]? = nil) throws -> [Int32] {
        _ = try shape(name, dtype: .i32, expected: expected)
        return try tensor(name).unpack(Int32.self)
    }

    public func uint32s(_ name: String, shape expected: [Int]? = nil) throws -> [UInt32] {
        _ = try shape(name, dtype: .u32, expected: expected)
        return try tensor(name).unpack(UInt32.self)
    }

    public func uint16s(_ name: String, shape expected: [Int]? = nil) throws -> [UInt16] {
        _ = try shape(name, dtype: .u16, expected: expected)
        return try tensor(name).unpack(UInt16.self)
    }

    public func uint8s(_ name: String, shape expected: [Int]? = nil) throws -> [UInt8] {
        _ = try shape(name, dtype: .u8, expected: expected)
        return try tensor(name).bytes
    }

    public func floats(_ name: String, shape expected: [Int]? = nil) throws -> [Float] {
        _ = try shape(name, dtype: .f32, expected: expected)
        let v = try tensor(name).unpack(Float.self)
        if let bad = v.firstIndex(where: { !$0.isFinite }) {
            throw NNMError.invalidValue(tensor: name, reason: "element \(bad) is \(v[bad]), values must be finite")
        }
        return v
    }
}

extension TensorBundle {
    /// A 1-D index column stored in the narrowest unsigned type that fits (u8, u16 or u32),
    /// widened to `UInt32`; `count` elements expected.
    public func indices(_ name: String, count: Int) throws -> [UInt32] {
        let t = try tensor(name)
        guard t.shape == [count] else { throw NNMError.shapeMismatch(tensor: name, expected: [count], found: t.shape) }
        switch t.dtype {
        case .u8: return t.bytes.map { UInt32($0) }
        case .u16:
            // One pass from the little-endian bytes.
            return [UInt32](unsafeUninitializedCapacity: count) { out, initialized in
                t.bytes.withUnsafeBytes { raw in
                    for i in 0..<count { out[i] = UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                }
                initialized = count
            }
        case .u32: return try uint32s(name)
        default: throw NNMError.dtypeMismatch(tensor: name, expected: .u32, found: t.dtype)
        }
    }
}

extension Tensor {
    /// An index column in the narrowest unsigned type that holds `maxValue`.
    public static func indices(_ name: String, _ values: [UInt32], maxValue: UInt32) -> Tensor {
        if maxValue <= UInt32(UInt8.max) { return Tensor(name, values.map { UInt8($0) }) }
        if maxValue <= UInt32(UInt16.max) { return Tensor(name, values.map { UInt16($0) }) }
        return Tensor(name, values)
    }
}
