import Foundation
import Testing
@testable import ModelZoo
import TestScratch

/// A small valid file for format tests.
func sampleFile() throws -> NNMFile {
    let schema = FeatureSchema(
        columns: [
            FeatureColumn(name: "Sex", kind: .categorical, levels: ["Female", "Male"]),
            FeatureColumn(name: "Age", kind: .numeric, scaler: AffineScaler(kind: .minmax, center: 18, scale: 17)),
        ],
        target: "BMI", targetScaler: .identity)
    let meta = ModelMetadata(
        kind: "linear", pluginVersion: 1, created: "2026-11-25T00:00:00Z", summary: "LinearRegression(inputs: 3)",
        hyperparameters: .object(["fit_intercept": .bool(true)]), schema: schema,
        testMetrics: RegressionMetrics(actual: [1, 2], predicted: [1, 2.5]), trainMetrics: nil,
        rows: RowCounts(), parameterCount: 4, layers: [])
    let tensors = [
        Tensor("coef", (0..<300).map { Double($0) * 0.25 }, shape: [3, 100]),
        Tensor("intercept", [1.5]), Tensor("index", [Int32(-3), 7]), Tensor("small", [UInt16(9), 8]), Tensor("bytes", [UInt8(1), 2, 3]),
    ]
    return NNMFile(metadata: meta, tensors: try TensorBundle(tensors))
}

func decodeError(_ bytes: [UInt8]) -> NNMError? {
    do { _ = try NNMFile.decode(bytes); return nil } catch let e as NNMError { return e } catch {
        Issue.record("untyped error \(error)")
        return nil
    }
}

/// Writes a little-endian integer into `bytes` at `offset` and fixes the header CRC, so that only
/// the semantic check under test can fail.
func patch<T: FixedWidthInteger>(_ bytes: inout [UInt8], at offset: Int, _ value: T, fixHeaderCRC: Bool = true) {
    withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    if fixHeaderCRC {
        let n = Int(UInt32(bytes[12]) | UInt32(bytes[13]) << 8 | UInt32(bytes[14]) << 16 | UInt32(bytes[15]) << 24)
        let end = 16 + 40 * n
        let crc = Zlib.crc32(Array(bytes[0..<end]))
        withUnsafeBytes(of: crc.littleEndian) { for (i, b) in $0.enumerated() { bytes[end + i] = b } }
    }
}

@Suite struct NNMFileTests {
    @Test func roundTripIsExact() throws {
        let f = try sampleFile()
        let bytes = try f.encode()
        let back = try NNMFile.decode(bytes)
        #expect(back == f)
        #expect(try back.encode() == bytes)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x4E, 0x4E, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func everyTruncationIsATypedError() throws {
        let bytes = try sampleFile().encode()
        for n in 0..<bytes.count {
            let e = decodeError(Array(bytes[0..<n]))
            #expect(e != nil, "prefix \(n) loaded")
        }
    }

    @Test func everySingleByteFlipIsDetected() throws {
        let bytes = try sampleFile().encode()
        var g = SplitMix64(seed: 9)
        // Every position once, plus random multi-byte damage.
        for i in 0..<bytes.count {
            var b = bytes
            b[i] ^= UInt8(1 + g.below(255))
            #expect(decodeError(b) != nil, "flip at \(i) loaded")
        }
        for _ in 0..<300 {
            var b = bytes
            for _ in 0..<(1 + g.below(8)) { b[g.below(b.count)] = UInt8(truncatingIfNeeded: g.next()) }
            if b != bytes { #expect(decodeError(b) != nil) }
        }
    }

    @Test func typedRefusals() throws {
        let good = try sampleFile().encode()
        #expect(decodeError(Array("not a model at all".utf8)) == .notNNM)
        var v2 = good
        patch(&v2, at: 8, UInt16(2))
        #expect(decodeError(v2) == .unsupportedVersion(major: 2, minor: 0, supportedMajor: 1))
        #expect(
            NNMError.unsupportedVersion(major: 2, minor: 0, supportedMajor: 1).description
                == "unsupported version 2.0: this build reads .nnm version 1.x")
        #expect(decodeError(good + [0]) == .corrupt("1 trailing bytes after the last section"))
        var badCRC = good
        badCRC[badCRC.count - 1] ^= 0xFF
        #expect(decodeError(badCRC) == .checksumMismatch("section TNSR"))
        var hdr = good
        hdr[20] ^= 1
        #expect(decodeError(hdr) == .checksumMismatch("header"))
    }

    @Test func decompressionBombRefusedBeforeInflating() throws {
        var b = try sampleFile().encode()
        // TNSR is directory entry 1: raw length at 16 + 40 + 24.
        patch(&b, at: 16 + 40 + 24, UInt64(1) << 40)
        guard case .tooLarge(let what, _, _)? = decodeError(b) else { Issue.record("bomb not refused"); return }
        #expect(what.contains("inflated size"))
    }

    @Test func hugeSectionLengthRefused() throws {
        var b = try sampleFile().encode()
        patch(&b, at: 16 + 40 + 16, UInt64.max - 5)
        guard case .truncated? = decodeError(b) else { Issue.record("length not refused"); return }
    }

    @Test func newerMinorVersionWithUnknownMetadataLoads() throws {
        let f = try sampleFile()
        let bytes = try f.encode()
        // Rebuild META with an extra key and minor version 7, fixing every checksum.
        var meta = try JSONSerialization.jsonObject(with: Data(try JSONEncoder().encode(f.metadata))) as! [String: Any]
        meta["future_field"] = ["anything": 1]
        let newMeta = [UInt8](try JSONSerialization.data(withJSONObject: meta))
        let metaOff = 16 + 80 + 4
        let oldMetaLen = Int(bytes[16 + 16]) | Int(bytes[16 + 17]) << 8 | Int(bytes[16 + 18]) << 16
        var out = Array(bytes[0..<metaOff]) + newMeta + Array(bytes[(metaOff + oldMetaLen)...])
        patch(&out, at: 10, UInt16(7), fixHeaderCRC: false)
        patch(&out, at: 16 + 16, UInt64(newMeta.count), fixHeaderCRC: false)
        patch(&out, at: 16 + 24, UInt64(newMeta.count), fixHeaderCRC: false)
        patch(&out, at: 16 + 32, Zlib.crc32(newMeta), fixHeaderCRC: false)
        patch(&out, at: 16 + 40 + 8, UInt64(metaOff + newMeta.count))
        let back = try NNMFile.decode(out)
        #expect(back.tensors == f.tensors)
        #expect(back.metadata.schema == f.metadata.schema)
    }

    @Test func requiresListIsHonoured() throws {
        var f = try sampleFile()
        f.metadata.requires = ["quantized-weights"]
        #expect(decodeError(try f.encode()) == .unsupportedFeature("quantized-weights"))
    }

    @Test func tensorTableLiesAreCaught() throws {
        // Tensor payloads with valid checksums but inconsistent tables.
        func file(rawTensors: [UInt8]) throws -> [UInt8] {
            let f = try sampleFile()
            var b = try NNMFile(metadata: f.metadata, tensors: try TensorBundle([])).encode()
            let packed = try Zlib.compress(rawTensors)
            let metaLen = Int(b[32]) | Int(b[33]) << 8 | Int(b[34]) << 16
            let tOff = 100 + metaLen
            b = Array(b[0..<tOff]) + packed
            patch(&b, at: 56 + 16, UInt64(packed.count), fixHeaderCRC: false)
            patch(&b, at: 56 + 24, UInt64(rawTensors.count), fixHeaderCRC: false)
            patch(&b, at: 56 + 32, Zlib.crc32(packed))
            return b
        }
        var w = ByteWriter()
        w.u32(1); w.u16(1); w.raw([0x61]); w.u8(DType.f64.rawValue); w.u8(0); w.u8(1); w.u64(4); w.u64(24)
        w.raw([UInt8](repeating: 0, count: 24))
        guard case .corrupt(let m)? = decodeError(try file(rawTensors: w.bytes)) else { Issue.record("shape lie accepted"); return }
        #expect(m.contains("24 bytes for shape [4]"))

        var many = ByteWriter()
        many.u32(1_000_000)
        #expect(decodeError(try file(rawTensors: many.bytes)) == .tooLarge(what: "tensor count", size: 1_000_000, cap: 4096))

        var dup = ByteWriter()
        dup.u32(2)
        for _ in 0..<2 { dup.u16(1); dup.raw([0x61]); dup.u8(DType.u8.rawValue); dup.u8(0); dup.u8(1); dup.u64(1); dup.u64(1) }
        dup.raw([1, 2])
        #expect(decodeError(try file(rawTensors: dup.bytes)) == .corrupt("duplicate tensor name 'a'"))

        var dtype = ByteWriter()
        dtype.u32(1); dtype.u16(1); dtype.raw([0x61]); dtype.u8(99); dtype.u8(0); dtype.u8(0); dtype.u64(0)
        #expect(decodeError(try file(rawTensors: dtype.bytes)) == .corrupt("tensor 'a': unknown dtype code 99"))
    }

    @Test func strictTensorAccess() throws {
        let t = try sampleFile().tensors
        #expect(throws: NNMError.missingTensor("nope")) { try t.doubles("nope") }
        #expect(throws: NNMError.shapeMismatch(tensor: "coef", expected: [3, 99], found: [3, 100])) {
            try t.doubles("coef", shape: [3, 99])
        }
        #expect(throws: NNMError.dtypeMismatch(tensor: "index", expected: .f64, found: .i32)) { try t.doubles("index") }
        #expect(try t.int32s("index") == [-3, 7])
        let nan = try TensorBundle([Tensor("w", [1.0, .nan])])
        #expect(throws: NNMError.invalidValue(tensor: "w", reason: "element 1 is nan, weights must be finite")) { try nan.doubles("w") }
    }

    @Test func atomicWriteLeavesNoTemporaryAndReplaces() throws {
        let dir = Scratch.unique("nnm")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("m.nnm").path
        try sampleFile().write(to: path)
        try sampleFile().write(to: path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["m.nnm"])
        let meta = try NNMFile.readMetadata(path: path)
        #expect(meta.metadata.kind == "linear")
        #expect(throws: ZooError.self) { try AtomicFile.write([1], to: dir.appendingPathComponent("missing/x.nnm").path) }
    }

    /// The hand-made timestamp is what ISO8601DateFormatter's internet date-time gives, across
    /// the epoch, leap days, year ends, fractional seconds and far dates.
    @Test func timestampsMatchFoundationsISO8601() {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        let dates: [Double] = [0, 951_782_400, 946_684_799.999, 1_796_678_067.5, 4_102_444_800, 86_399, 1_709_164_800]
        var rng = SplitMix64(seed: 9)
        for t in dates + (0..<200).map({ _ in (rng.uniform() * 5e9).rounded(.down) }) {
            let date = Date(timeIntervalSince1970: t)
            #expect(ModelMetadata.timestamp(date) == f.string(from: date), "\(t)")
        }
    }
}
