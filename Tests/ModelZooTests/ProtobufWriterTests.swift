import Testing
@testable import ModelZoo

/// The hand-written protobuf encoder against the wire format's documented examples.
@Suite struct ProtobufWriterTests {
    @Test func varintsAsInTheEncodingGuide() {
        var w = ProtobufWriter()
        w.int(1, 150)  // the guide's example: 08 96 01
        #expect(w.bytes == [0x08, 0x96, 0x01])
        w = ProtobufWriter()
        w.int(2, 300)
        #expect(w.bytes == [0x10, 0xAC, 0x02])
        w = ProtobufWriter()
        w.int(1, 0)
        #expect(w.bytes == [0x08, 0x00])
    }

    @Test func negativeIntsTakeTenBytes() {
        var w = ProtobufWriter()
        w.int(1, -1)
        #expect(w.bytes == [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    @Test func stringsAndMessagesAreLengthDelimited() {
        var w = ProtobufWriter()
        w.string(2, "testing")  // 12 07 74 65 73 74 69 6e 67
        #expect(w.bytes == [0x12, 0x07] + Array("testing".utf8))
        w = ProtobufWriter()
        w.message(3) { $0.int(1, 150) }  // 1a 03 08 96 01
        #expect(w.bytes == [0x1A, 0x03, 0x08, 0x96, 0x01])
        w = ProtobufWriter()
        w.string(1, "")
        #expect(w.bytes == [0x0A, 0x00])
    }

    @Test func fixedWidthNumbersAreLittleEndian() {
        var w = ProtobufWriter()
        w.double(10, 1.0)
        #expect(w.bytes == [0x51, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
        w = ProtobufWriter()
        w.float(2, 1.0)
        #expect(w.bytes == [0x15, 0, 0, 0x80, 0x3F])
    }

    @Test func repeatedNumbersArePacked() {
        var w = ProtobufWriter()
        w.packedInts(4, [3, 270, 86942])  // the guide's packed example: 22 06 03 8E 02 9E A7 05
        #expect(w.bytes == [0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05])
        w = ProtobufWriter()
        w.packedInts(4, [])
        #expect(w.bytes.isEmpty)
        w.packedFloats(7, [1, 2])
        #expect(w.bytes == [0x3A, 0x08, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40])
    }

    @Test func longLengthsUseMultiByteVarints() {
        var w = ProtobufWriter()
        w.bytes(9, [UInt8](repeating: 7, count: 200))
        #expect(Array(w.bytes.prefix(3)) == [0x4A, 0xC8, 0x01])
        #expect(w.bytes.count == 203)
    }

    @Test func modelProtoFieldsInOrder() {
        var g = ONNX.Graph(name: "g")
        g.inputs = [ONNX.ValueInfo(name: "x", elementType: .double, shape: [.symbolic("N"), .fixed(1)])]
        g.outputs = [ONNX.ValueInfo(name: "y", elementType: .double, shape: [.symbolic("N"), .fixed(1)])]
        g.nodes = [ONNX.Node(opType: "Identity", domain: "", name: "n0", inputs: ["x"], outputs: ["y"], attributes: [])]
        let m = ONNX.Model(
            irVersion: 8, producerName: "p", producerVersion: "1", docString: "", graph: g,
            opsets: [("", 17)], metadata: [("k", "v")])
        let b = m.encode()
        #expect(Array(b.prefix(8)) == [0x08, 0x08, 0x12, 0x01, 0x70, 0x1A, 0x01, 0x31])  // ir_version 8, producer "p", version "1"
        // opset_import: field 8, {version: 17}; metadata_props: field 14, {key "k", value "v"}
        #expect(Array(b.suffix(12)) == [0x42, 0x02, 0x10, 0x11, 0x72, 0x06, 0x0A, 0x01, 0x6B, 0x12, 0x01, 0x76])
    }

    @Test func attributesCarryTheirType() {
        var w = ProtobufWriter()
        ONNX.Attribute.int(5).encode(&w, name: "a")
        #expect(w.bytes == [0x0A, 0x01, 0x61, 0x18, 0x05, 0xA0, 0x01, 0x02])  // name, i = 5, type (field 20) = INT
        w = ProtobufWriter()
        ONNX.Attribute.strings(["A", "B"]).encode(&w, name: "s")
        #expect(w.bytes == [0x0A, 0x01, 0x73, 0x4A, 0x01, 0x41, 0x4A, 0x01, 0x42, 0xA0, 0x01, 0x08])
    }
}
