/// A minimal protocol-buffers encoder: the wire format's four encodings we need (varint, 64-bit,
/// 32-bit, length-delimited), enough to write the ONNX `ModelProto` subset in `ONNXProto.swift`.
///
/// Hand-written instead of apple/swift-protobuf: the subset is about 60 lines of field numbers, it
/// only ever writes (ONNX files are read by onnx and onnxruntime, never by zoo), and it keeps the
/// package free of a code generator and a second dependency. Fields are written in field-number
/// order, as protoc does; repeated numbers are written packed (every proto2 parser accepts both).
public struct ProtobufWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public enum WireType: UInt8 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    public mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | UInt64(type.rawValue))
    }

    public mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// An int32/int64/enum field: negative numbers take ten bytes (two's complement as 64 bits).
    public mutating func int(_ field: Int, _ value: Int64) {
        tag(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    public mutating func double(_ field: Int, _ value: Double) {
        tag(field, .fixed64)
        appendLittleEndian(value.bitPattern)
    }

    public mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        appendLittleEndian(value.bitPattern)
    }

    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// An embedded message: encoded on its own first, since its length comes before it.
    public mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        body(&inner)
        bytes(field, inner.bytes)
    }

    /// A repeated int64 field, packed.
    public mutating func packedInts(_ field: Int, _ values: [Int64]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.varint(UInt64(bitPattern: v)) }
        bytes(field, inner.bytes)
    }

    /// A repeated float field, packed.
    public mutating func packedFloats(_ field: Int, _ values: [Float]) {
        guard !values.isEmpty else { return }
        var inner = ProtobufWriter()
        for v in values { inner.appendLittleEndian(v.bitPattern) }
        bytes(field, inner.bytes)
    }

    mutating func appendLittleEndian<T: FixedWidthInteger>(_ v: T) {
        withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
