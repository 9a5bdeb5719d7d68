import Foundation

/// A whole `.nnm` file in memory: header metadata plus tensors.
public struct NNMFile: Sendable, Equatable {
    public var metadata: ModelMetadata
    public var tensors: TensorBundle

    public init(metadata: ModelMetadata, tensors: TensorBundle) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// Requirements (`requires` entries) this build understands.
    public static let supportedRequirements: Set<String> = [ModelMetadata.classificationRequirement]

    // MARK: writing

    /// The file's bytes: fixed header, directory, header CRC, META (JSON), TNSR (zlib).
    public func encode() throws -> [UInt8] {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        let meta = Array(try enc.encode(metadata))
        guard UInt64(meta.count) <= NNMFormat.maxMetaSize else {
            throw NNMError.tooLarge(what: "metadata", size: UInt64(meta.count), cap: NNMFormat.maxMetaSize)
        }
        let rawTensors = TensorCodec.encode(tensors.tensors)
        guard UInt64(rawTensors.count) <= NNMFormat.maxTensorPayload else {
            throw NNMError.tooLarge(what: "tensor payload", size: UInt64(rawTensors.count), cap: NNMFormat.maxTensorPayload)
        }
        return try NNMFile.assemble(meta: meta, rawTensors: rawTensors)
    }

    /// Frames given `META` bytes and a raw (uncompressed) tensor payload as a file: header,
    /// directory, checksums, zlib. `encode()` uses it; fuzzing uses it to reach past the checksums.
    public static func assemble(meta: [UInt8], rawTensors: [UInt8]) throws -> [UInt8] {
        let packed = try Zlib.compress(rawTensors)
        let sections: [(tag: String, flags: UInt32, stored: [UInt8], rawLength: Int)] = [
            (NNMFormat.metaTag, 0, meta, meta.count),
            (NNMFormat.tensorTag, NNMFormat.flagZlib, packed, rawTensors.count),
        ]
        var w = ByteWriter()
        w.raw(NNMFormat.magic)
        w.u16(NNMFormat.major)
        w.u16(NNMFormat.minor)
        w.u32(UInt32(sections.count))
        var offset = UInt64(NNMFormat.fixedHeaderSize + sections.count * NNMFormat.directoryEntrySize + 4)
        for s in sections {
            w.raw(Array(s.tag.utf8))
            w.u32(s.flags)
            w.u64(offset)
            w.u64(UInt64(s.stored.count))
            w.u64(UInt64(s.rawLength))
            w.u32(Zlib.crc32(s.stored))
            w.u32(0)
            offset += UInt64(s.stored.count)
        }
        w.u32(Zlib.crc32(w.bytes))
        for s in sections { w.raw(s.stored) }
        return w.bytes
    }

    /// The `META` bytes and raw tensor payload of a valid file (the inverse of `assemble`).
    public static func parts(_ bytes: [UInt8]) throws -> (meta: [UInt8], rawTensors: [UInt8]) {
        try bytes.withUnsafeBytes { file in
            let sections = try directory(file, fileSize: UInt64(file.count))
            guard let m = sections.first(where: { $0.tag == NNMFormat.metaTag }) else { throw NNMError.missingSection(NNMFormat.metaTag) }
            guard let t = sections.first(where: { $0.tag == NNMFormat.tensorTag }) else { throw NNMError.missingSection(NNMFormat.tensorTag) }
            return (try sectionBytes(m, in: file, cap: NNMFormat.maxMetaSize), try sectionBytes(t, in: file, cap: NNMFormat.maxTensorPayload))
        }
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(to path: String) throws {
        try AtomicFile.write(try encode(), to: path)
    }

    // MARK: reading

    struct Section { var tag: String; var flags: UInt32; var offset: Int; var stored: Int; var raw: Int; var crc: UInt32 }

    /// Parses and verifies the fixed header and directory of a file of `fileSize` bytes, given at least
    /// its first `16 + 40·N + 4` bytes in `head`. Sections must tile the rest of the file exactly.
    static func directory(_ head: UnsafeRawBufferPointer, fileSize: UInt64) throws -> [Section] {
        guard head.count >= 8 else {
            if head.count > 0, !zip(head, NNMFormat.magic).allSatisfy({ $0 == $1 }) { throw NNMError.notNNM }
            throw NNMError.truncated("file is \(head.count) bytes, shorter than the magic")
        }
        guard head.prefix(8).elementsEqual(NNMFormat.magic) else { throw NNMError.notNNM }
        var r = ByteReader(head, offset: 8)
        let major = try r.u16("version")
        let minor = try r.u16("version")
        guard major == NNMFormat.major else {
            throw NNMError.unsupportedVersion(major: Int(major), minor: Int(minor), supportedMajor: Int(NNMFormat.major))
        }
        guard fileSize <= NNMFormat.maxFileSize else {
            throw NNMError.tooLarge(what: "file", size: fileSize, cap: NNMFormat.maxFileSize)
        }
        let count = Int(try r.u32("section count"))
        guard count >= 1, count <= NNMFormat.maxSections else {
            throw NNMError.corrupt("section count \(count) out of range 1...\(NNMFormat.maxSections)")
        }
        let dirEnd = NNMFormat.fixedHeaderSize + count * NNMFormat.directoryEntrySize
        guard head.count >= dirEnd + 4 else { throw NNMError.truncated("directory of \(count) sections") }
        var sections: [Section] = []
        var expected = UInt64(dirEnd + 4)
        for i in 0..<count {
            let tagBytes = try r.bytes(4, "section \(i) tag")
            let tag = String(decoding: tagBytes, as: UTF8.self)
            let flags = try r.u32("section \(i) flags")
            let offset = try r.u64("section \(i) offset")
            let stored = try r.u64("section \(i) length")
            let rawLength = try r.u64("section \(i) raw length")
            let crc = try r.u32("section \(i) checksum")
            _ = try r.u32("section \(i) reserved")
            guard offset == expected else {
                throw NNMError.corrupt("section \(i) (\(tag)) starts at \(offset), expected \(expected)")
            }
            guard stored <= fileSize, offset <= fileSize - stored else {
                throw NNMError.truncated("section \(tag) (\(stored) bytes at \(offset)) runs past the end of the \(fileSize)-byte file")
            }
            if flags & NNMFormat.flagZlib != 0 {
                guard rawLength <= NNMFormat.maxInflated(stored: stored) else {
                    throw NNMError.tooLarge(what: "section \(tag) inflated size (ratio over zlib's maximum)", size: rawLength,
                                            cap: NNMFormat.maxInflated(stored: stored))
                }
            } else {
                guard rawLength == stored else { throw NNMError.corrupt("section \(tag): raw length differs from stored length") }
            }
            expected = offset + stored
            sections.append(Section(tag: tag, flags: flags, offset: Int(offset), stored: Int(stored), raw: Int(rawLength), crc: crc))
        }
        let headerCRC = try r.u32("header checksum")
        guard Zlib.crc32(UnsafeRawBufferPointer(rebasing: head[0..<dirEnd])) == headerCRC else {
            throw NNMError.checksumMismatch("header")
        }
        guard expected == fileSize else {
            throw expected > fileSize ? NNMError.truncated("sections end at \(expected), file is \(fileSize) bytes")
                                      : NNMError.corrupt("\(fileSize - expected) trailing bytes after the last section")
        }
        for s in sections where s.flags & ~(NNMFormat.flagZlib | NNMFormat.flagOptional) != 0 {
            throw NNMError.corrupt("section \(s.tag) has unknown flags \(s.flags)")
        }
        return sections
    }

    /// Verifies a section's checksum and returns its raw (inflated) bytes, bounded by `cap`.
    static func sectionBytes(_ s: Section, in file: UnsafeRawBufferPointer, cap: UInt64) throws -> [UInt8] {
        let stored = UnsafeRawBufferPointer(rebasing: file[s.offset..<s.offset + s.stored])
        guard Zlib.crc32(stored) == s.crc else { throw NNMError.checksumMismatch("section \(s.tag)") }
        guard UInt64(s.raw) <= cap else { throw NNMError.tooLarge(what: "section \(s.tag)", size: UInt64(s.raw), cap: cap) }
        if s.flags & NNMFormat.flagZlib != 0 {
            return try Zlib.decompress(stored, rawLength: s.raw, what: "section \(s.tag)")
        }
        return Array(stored)
    }

    static func decodeMetadata(_ bytes: [UInt8]) throws -> ModelMetadata {
        let meta: ModelMetadata
        do {
            meta = try JSONDecoder().decode(ModelMetadata.self, from: Data(bytes))
        } catch {
            throw NNMError.invalidMetadata("META is not valid model metadata (\(shortReason(error)))")
        }
        for req in meta.requires where !supportedRequirements.contains(req) {
            throw NNMError.unsupportedFeature(req)
        }
        try meta.schema.validate()
        if meta.schema.classes != nil && !meta.requires.contains(ModelMetadata.classificationRequirement) {
            throw NNMError.invalidMetadata("a classifier's file must list '\(ModelMetadata.classificationRequirement)' in requires")
        }
        return meta
    }

    /// Decodes and verifies a whole file held in memory. Nothing is returned unless every check passes.
    public static func decode(_ bytes: [UInt8]) throws -> NNMFile {
        try bytes.withUnsafeBytes { file in
            let sections = try directory(file, fileSize: UInt64(file.count))
            for s in sections where ![NNMFormat.metaTag, NNMFormat.tensorTag].contains(s.tag) && s.flags & NNMFormat.flagOptional == 0 {
                throw NNMError.unsupportedFeature("section \(s.tag)")
            }
            guard let metaSection = sections.first(where: { $0.tag == NNMFormat.metaTag }) else { throw NNMError.missingSection(NNMFormat.metaTag) }
            guard let tensorSection = sections.first(where: { $0.tag == NNMFormat.tensorTag }) else { throw NNMError.missingSection(NNMFormat.tensorTag) }
            // Every section's checksum is verified, known or not, so the CRCs cover every byte.
            for s in sections where s.tag != NNMFormat.metaTag && s.tag != NNMFormat.tensorTag {
                let stored = UnsafeRawBufferPointer(rebasing: file[s.offset..<s.offset + s.stored])
                guard Zlib.crc32(stored) == s.crc else { throw NNMError.checksumMismatch("section \(s.tag)") }
            }
            let metadata = try decodeMetadata(try sectionBytes(metaSection, in: file, cap: NNMFormat.maxMetaSize))
            let raw = try sectionBytes(tensorSection, in: file, cap: NNMFormat.maxTensorPayload)
            let tensors = try raw.withUnsafeBytes { try TensorCodec.decode($0) }
            return NNMFile(metadata: metadata, tensors: try TensorBundle(tensors))
        }
    }

    /// Reads and verifies a whole file.
    public static func read(path: String) throws -> NNMFile {
        try decode(try readBytes(path: path))
    }

    /// Reads only the header and the `META` section (for `zoo list`): the weights are not read or inflated.
    public static func readMetadata(path: String) throws -> (metadata: ModelMetadata, fileSize: Int) {
        guard let h = FileHandle(forReadingAtPath: path) else { throw NNMError.io(path: path, message: "cannot open") }
        defer { try? h.close() }
        let size = try fileSize(path: path)
        let fixed = try h.read(upToCount: NNMFormat.fixedHeaderSize) ?? Data()
        var count = 1
        if fixed.count >= 16 {
            count = Int(fixed.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 12, as: UInt32.self)) })
            count = min(max(count, 1), NNMFormat.maxSections)
        }
        let rest = try h.read(upToCount: count * NNMFormat.directoryEntrySize + 4) ?? Data()
        let head = [UInt8](fixed + rest)
        let sections = try head.withUnsafeBytes { try directory($0, fileSize: UInt64(size)) }
        guard let meta = sections.first(where: { $0.tag == NNMFormat.metaTag }) else { throw NNMError.missingSection(NNMFormat.metaTag) }
        guard UInt64(meta.stored) <= NNMFormat.maxMetaSize else {
            throw NNMError.tooLarge(what: "section META", size: UInt64(meta.stored), cap: NNMFormat.maxMetaSize)
        }
        try h.seek(toOffset: UInt64(meta.offset))
        let stored = [UInt8](try h.read(upToCount: meta.stored) ?? Data())
        guard stored.count == meta.stored else { throw NNMError.truncated("section META") }
        var local = meta
        local.offset = 0
        let bytes = try stored.withUnsafeBytes { try sectionBytes(local, in: $0, cap: NNMFormat.maxMetaSize) }
        return (try decodeMetadata(bytes), size)
    }

    static func fileSize(path: String) throws -> Int {
        do {
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            if let type = attrs[.type] as? FileAttributeType, type == .typeDirectory {
                throw NNMError.io(path: path, message: "is a directory")
            }
            return (attrs[.size] as? NSNumber)?.intValue ?? 0
        } catch let e as NNMError { throw e } catch {
            throw NNMError.io(path: path, message: "no such file")
        }
    }

    static func readBytes(path: String) throws -> [UInt8] {
        do {
            return try FileBytes.read(path, maxSize: Int(NNMFormat.maxFileSize))
        } catch {
            switch error {
            case .missing: throw NNMError.io(path: path, message: "no such file")
            case .directory: throw NNMError.io(path: path, message: "is a directory")
            case .tooLarge(let n): throw NNMError.tooLarge(what: "file", size: UInt64(n), cap: NNMFormat.maxFileSize)
            case .system(let m): throw NNMError.io(path: path, message: m)
            }
        }
    }

    static func shortReason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "missing key '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let ctx), DecodingError.valueNotFound(_, let ctx):
            return "wrong type at \(ctx.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted(let ctx): return ctx.debugDescription
        default: return "\(error)"
        }
    }
}
