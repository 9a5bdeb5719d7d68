/// The subset of ONNX's protobuf messages (onnx/onnx.in.proto, proto2) that `zoo export` writes,
/// with their field numbers. Only what the exporter needs; each type encodes itself.
public enum ONNX {
    /// TensorProto.DataType values.
    public enum DataType: Int64, Sendable {
        case float = 1, int64 = 7, string = 8, bool = 9, double = 11
    }

    /// A constant tensor (an initializer or an attribute value).
    public struct Tensor: Sendable {
        public var name: String
        public var dims: [Int64]
        public var dataType: DataType
        /// Little-endian element bytes (numbers).
        public var raw: [UInt8] = []
        /// Strings (dataType .string).
        public var strings: [String] = []

        public static func doubles(_ name: String, _ values: [Double], dims: [Int64]? = nil) -> Tensor {
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { raw.append(contentsOf: $0) } }
            return Tensor(name: name, dims: dims ?? [Int64(values.count)], dataType: .double, raw: raw)
        }

        public static func int64s(_ name: String, _ values: [Int64], dims: [Int64]? = nil) -> Tensor {
            var raw: [UInt8] = []
            raw.reserveCapacity(values.count * 8)
            for v in values { withUnsafeBytes(of: v.littleEndian) { raw.append(contentsOf: $0) } }
            return Tensor(name: name, dims: dims ?? [Int64(values.count)], dataType: .int64, raw: raw)
        }

        func encode(_ w: inout ProtobufWriter) {
            w.packedInts(1, dims)
            w.int(2, dataType.rawValue)
            for s in strings { w.string(6, s) }
            w.string(8, name)
            if dataType != .string { w.bytes(9, raw) }
        }
    }

    /// A node attribute (AttributeProto); `type` (field 20) is always written, as the checker wants.
    public enum Attribute: Sendable {
        case float(Float)
        case int(Int64)
        case string(String)
        case tensor(Tensor)
        case floats([Float])
        case ints([Int64])
        case strings([String])

        func encode(_ w: inout ProtobufWriter, name: String) {
            w.string(1, name)
            let type: Int64
            switch self {
            case .float(let f): w.float(2, f); type = 1
            case .int(let i): w.int(3, i); type = 2
            case .string(let s): w.string(4, s); type = 3
            case .tensor(let t): w.message(5) { t.encode(&$0) }; type = 4
            case .floats(let f): w.packedFloats(7, f); type = 6
            case .ints(let i): w.packedInts(8, i); type = 7
            case .strings(let s): for x in s { w.string(9, x) }; type = 8
            }
            w.int(20, type)
        }
    }

    public struct Node: Sendable {
        public var opType: String
        public var domain: String
        public var name: String
        public var inputs: [String]
        public var outputs: [String]
        /// In the order given (attribute order carries no meaning).
        public var attributes: [(String, Attribute)]

        func encode(_ w: inout ProtobufWriter) {
            for i in inputs { w.string(1, i) }
            for o in outputs { w.string(2, o) }
            w.string(3, name)
            w.string(4, opType)
            for (n, a) in attributes { w.message(5) { a.encode(&$0, name: n) } }
            if !domain.isEmpty { w.string(7, domain) }
        }
    }

    /// A graph input or output: name, element type and shape (nil dims are symbolic: `dim_param`).
    public struct ValueInfo: Sendable {
        public var name: String
        public var elementType: DataType
        public var shape: [Dim]
        public var docString: String?

        public enum Dim: Sendable { case fixed(Int64), symbolic(String) }

        func encode(_ w: inout ProtobufWriter) {
            w.string(1, name)
            w.message(2) { type in  // TypeProto
                type.message(1) { tensor in  // TypeProto.Tensor
                    tensor.int(1, elementType.rawValue)
                    tensor.message(2) { shapeProto in  // TensorShapeProto
                        for d in shape {
                            shapeProto.message(1) { dim in
                                switch d {
                                case .fixed(let v): dim.int(1, v)
                                case .symbolic(let s): dim.string(2, s)
                                }
                            }
                        }
                    }
                }
            }
            if let docString { w.string(3, docString) }
        }
    }

    public struct Graph: Sendable {
        public var name: String
        public var nodes: [Node] = []
        public var initializers: [Tensor] = []
        public var inputs: [ValueInfo] = []
        public var outputs: [ValueInfo] = []
        public var docString = ""

        func encode(_ w: inout ProtobufWriter) {
            for n in nodes { w.message(1) { n.encode(&$0) } }
            w.string(2, name)
            for t in initializers { w.message(5) { t.encode(&$0) } }
            if !docString.isEmpty { w.string(10, docString) }
            for i in inputs { w.message(11) { i.encode(&$0) } }
            for o in outputs { w.message(12) { o.encode(&$0) } }
        }
    }

    public struct Model: Sendable {
        public var irVersion: Int64
        public var producerName: String
        public var producerVersion: String
        public var docString: String
        public var graph: Graph
        /// (domain, version); "" is the default domain ai.onnx.
        public var opsets: [(String, Int64)]
        public var metadata: [(String, String)]

        /// The serialized ModelProto.
        public func encode() -> [UInt8] {
            var w = ProtobufWriter()
            w.int(1, irVersion)
            w.string(2, producerName)
            w.string(3, producerVersion)
            if !docString.isEmpty { w.string(6, docString) }
            w.message(7) { graph.encode(&$0) }
            for (domain, version) in opsets {
                w.message(8) { o in
                    if !domain.isEmpty { o.string(1, domain) }
                    o.int(2, version)
                }
            }
            for (k, v) in metadata {
                w.message(14) { e in
                    e.string(1, k)
                    e.string(2, v)
                }
            }
            return w.bytes
        }
    }
}
