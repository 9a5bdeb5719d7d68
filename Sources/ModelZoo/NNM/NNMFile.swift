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
        // A payload that compresses past the readers' ratio cap is stored as is (flags 0).
        let compressed = UInt64(rawTensors.count) <= NNMFormat.maxInflated(stored: UInt64(packed.count))
        let sections: [(tag: String, flags: UInt32, stored: [UInt8], rawLength: Int)] = [
            (NNMFormat.metaTag, 0, meta, meta.count),
            compressed
                ? (NNMFormat.tensorTag, NNMFormat.flagZlib, packed, rawTensors.count)
                : (NNMFormat.tensorTag, 0, rawTensors, rawTensors.count),
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
            guard let t = sections.first(where: { $0.tag == NNMFormat.tensorTag }) else {
                throw NNMError.missingSection(NNMFormat.tensorTag)
            }
            return (
                try sectionBytes(m, in: file, cap: NNMFormat.maxMetaSize), try sectionBytes(t, in: file, cap: NNMFormat.maxTensorPayload)
            )
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
                    throw NNMError.tooLarge(
                        what: "section \(tag) inflated size (over \(NNMFormat.inflateRatio)× its stored size + 1 MiB)", size: rawLength,
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
            throw expected > fileSize
                ? NNMError.truncated("sections end at \(expected), file is \(fileSize) bytes")
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

    /// Decodes and validates `META` bytes (what `zoo list` reads).
    public static func decodeMetadata(_ bytes: [UInt8]) throws -> ModelMetadata {
        // A strict linear-time parse first: nesting capped, duplicate keys refused. The free-form
        // values (hyperparameters, extras) are taken from its tree; only the typed keys go
        // through JSONDecoder, whose `JSONValue` decoding is slow on deep nesting.
        let tree: JSONValue
        do {
            tree = try JSONValue.parse(bytes)
        } catch {
            throw NNMError.invalidMetadata("META is not valid JSON: \(error)")
        }
        guard case .object(var object) = tree else { throw NNMError.invalidMetadata("META is not a JSON object") }
        func freeForm(_ key: String) throws -> [String: JSONValue]? {
            switch object.removeValue(forKey: key) {
            case nil, .null?: return nil
            case .object(let o)?: return o
            default: throw NNMError.invalidMetadata("'\(key)' must be an object")
            }
        }
        let hyperparameters = object.removeValue(forKey: "hyperparameters")
        let extras = try freeForm("extras")
        let known: Set<String> = [
            "kind", "plugin_version", "writer", "created", "summary", "schema", "test_metrics",
            "train_metrics", "rows", "parameter_count", "layers", "fit", "training", "search", "requires",
            "test_classification_metrics", "train_classification_metrics",
        ]
        object = object.filter { known.contains($0.key) }
        var meta: ModelMetadata
        do {
            meta = try JSONDecoder().decode(ModelMetadata.self, from: try JSONEncoder().encode(JSONValue.object(object)))
        } catch {
            throw NNMError.invalidMetadata("META is not valid model metadata (\(shortReason(error)))")
        }
        if let hyperparameters, hyperparameters != .null { meta.hyperparameters = hyperparameters }
        if let extras { meta.extras = extras }
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
            guard let metaSection = sections.first(where: { $0.tag == NNMFormat.metaTag }) else {
                throw NNMError.missingSection(NNMFormat.metaTag)
            }
            guard let tensorSection = sections.first(where: { $0.tag == NNMFormat.tensorTag }) else {
                throw NNMError.missingSection(NNMFormat.tensorTag)
            }
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

    /// Reads and verifies a whole file. The path must be a regular file (checked before opening, so a
    /// FIFO never blocks); its magic, version and directory are checked before the rest is read.
    public static func read(path: String) throws -> NNMFile {
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        let head = try readAt(fd, path: path, offset: 0, count: min(size, NNMFormat.maxHeaderSize))
        _ = try head.withUnsafeBytes { try directory($0, fileSize: UInt64(size)) }
        return try decode(try readAt(fd, path: path, offset: 0, count: size))
    }

    /// Reads only the header and the `META` section (for `zoo list`): the weights are not read or inflated.
    public static func readMetadata(path: String) throws -> (metadata: ModelMetadata, fileSize: Int) {
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        let head = try readAt(fd, path: path, offset: 0, count: min(size, NNMFormat.maxHeaderSize))
        let sections = try head.withUnsafeBytes { try directory($0, fileSize: UInt64(size)) }
        guard let meta = sections.first(where: { $0.tag == NNMFormat.metaTag }) else { throw NNMError.missingSection(NNMFormat.metaTag) }
        guard UInt64(meta.stored) <= NNMFormat.maxMetaSize else {
            throw NNMError.tooLarge(what: "section META", size: UInt64(meta.stored), cap: NNMFormat.maxMetaSize)
        }
        let stored = try readAt(fd, path: path, offset: meta.offset, count: meta.stored)
        guard stored.count == meta.stored else { throw NNMError.truncated("section META") }
        var local = meta
        local.offset = 0
        let bytes = try stored.withUnsafeBytes { try sectionBytes(local, in: $0, cap: NNMFormat.maxMetaSize) }
        return (try decodeMetadata(bytes), size)
    }

    /// Opens `path` for reading if it is a regular file. `stat` comes first, so a FIFO, socket or device
    /// named `x.nnm` is refused without the `open()` that would block on it; the file is then opened
    /// non-blocking and checked again (the path may have changed in between).
    static func openRegular(_ path: String) throws -> (fd: Int32, size: Int) {
        func check(_ st: stat) throws {
            switch st.st_mode & S_IFMT {
            case S_IFREG: return
            case S_IFDIR: throw NNMError.io(path: path, message: "is a directory")
            case S_IFIFO: throw NNMError.io(path: path, message: "is a FIFO (named pipe), not a model file")
            case S_IFSOCK: throw NNMError.io(path: path, message: "is a socket, not a model file")
            default: throw NNMError.io(path: path, message: "is a device, not a model file")
            }
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw NNMError.io(path: path, message: errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        try check(st)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw NNMError.io(path: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        guard fstat(fd, &st) == 0 else { close(fd); throw NNMError.io(path: path, message: "cannot stat") }
        do { try check(st) } catch { close(fd); throw error }
        return (fd, Int(st.st_size))
    }

    /// Up to `count` bytes at `offset` (fewer only at the end of the file). The caller has bounded `count`.
    static func readAt(_ fd: Int32, path: String, offset: Int, count: Int) throws -> [UInt8] {
        guard UInt64(count) <= NNMFormat.maxFileSize else {
            throw NNMError.tooLarge(what: "file", size: UInt64(count), cap: NNMFormat.maxFileSize)
        }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            var got = 0
            while got < count {
                let n = pread(fd, buf.baseAddress! + got, min(count - got, 1 << 30), off_t(offset + got))
                if n < 0 { if errno == EINTR || errno == EAGAIN { continue }; failure = errno; break }
                if n == 0 { break }
                got += n
            }
            initialized = got
        }
        guard failure == 0 else { throw NNMError.io(path: path, message: "read failed: \(String(cString: strerror(failure)))") }
        return bytes
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
