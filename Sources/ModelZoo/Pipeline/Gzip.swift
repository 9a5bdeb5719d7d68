import CZlib
import Foundation

/// Streams gzip data (RFC 1952, concatenated members allowed) out of a raw byte source.
final class GzipDecoder {
    private var stream = z_stream()
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var finished = false
    private let name: String
    private let source: (Int) throws -> [UInt8]

    init(name: String, source: @escaping (Int) throws -> [UInt8]) throws {
        self.name = name
        self.source = source
        // 16 + MAX_WBITS: expect a gzip header and trailer.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZooError.io(path: name, message: "cannot start gzip decoding")
        }
    }

    deinit { inflateEnd(&stream) }

    /// Up to `max` decompressed bytes; empty at the end of the data.
    func read(max: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max)
        var produced = 0
        while produced < max && !finished {
            if inputOffset >= input.count {
                input = try source(1 << 20)
                inputOffset = 0
                if input.isEmpty {
                    throw ZooError.io(path: name, message: "gzip data ends before its end marker (truncated file?)")
                }
            }
            let rc: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
                out.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_in = inBuf.baseAddress! + inputOffset
                    stream.avail_in = UInt32(inBuf.count - inputOffset)
                    stream.next_out = outBuf.baseAddress! + produced
                    stream.avail_out = UInt32(max - produced)
                    let rc = inflate(&stream, Z_NO_FLUSH)
                    inputOffset = inBuf.count - Int(stream.avail_in)
                    produced = max - Int(stream.avail_out)
                    return rc
                }
            }
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` makes).
                if inputOffset >= input.count {
                    input = try source(1 << 20)
                    inputOffset = 0
                }
                if input.isEmpty { finished = true } else { inflateReset(&stream) }
            default:
                throw ZooError.io(path: name, message: "invalid gzip data (zlib error \(rc))")
            }
        }
        out.removeLast(max - produced)
        return out
    }
}

/// Compresses to gzip on the way to another sink (level 1: output speed matters more than size).
///
/// Every write becomes its own gzip member, and the parts of one `write(parts:)` are compressed on
/// all cores at once: deflate is the slowest stage of a gzip prediction run, and a single stream
/// cannot be split across cores. Concatenated members are one valid gzip file (RFC 1952 §2.2):
/// gunzip, zcat, Python's gzip and pandas read it as one stream. Parts of a few MiB cost under 1% of
/// compression ratio against one stream.
public final class GzipSink: OutputSink {
    private let inner: OutputSink
    private let level: Int32
    private var members = 0

    public init(_ inner: OutputSink, level: Int32 = 1) throws {
        self.inner = inner
        self.level = level
        // Fail here, not halfway through the output, if this zlib cannot deflate.
        _ = try Self.member(Array("probe".utf8), level: level)
    }

    /// One complete gzip member holding `bytes`.
    static func member(_ bytes: [UInt8], level: Int32) throws -> [UInt8] {
        var stream = z_stream()
        guard
            deflateInit2_(
                &stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else {
            throw ZooError.invalidInput("cannot start gzip compression")
        }
        defer { deflateEnd(&stream) }
        // deflateBound covers the zlib wrapper; the gzip header and trailer are 18 bytes to its 6.
        let bound = Int(deflateBound(&stream, UInt(bytes.count))) + 32
        var input = bytes
        var failure: Int32?
        let out = [UInt8](unsafeUninitializedCapacity: bound) { o, produced in
            input.withUnsafeMutableBufferPointer { i in
                stream.next_in = i.baseAddress
                stream.avail_in = UInt32(i.count)
                stream.next_out = o.baseAddress
                stream.avail_out = UInt32(o.count)
                let rc = deflate(&stream, Z_FINISH)
                if rc != Z_STREAM_END { failure = rc }
                produced = o.count - Int(stream.avail_out)
            }
        }
        if let failure { throw ZooError.invalidInput("gzip compression failed (\(failure))") }
        return out
    }

    public func write(_ bytes: [UInt8]) throws { try write(parts: [bytes]) }

    public func write(parts: [[UInt8]]) throws {
        // zlib counts input in 32 bits: a (library caller's) part over 1 GiB becomes several members.
        let cap = 1 << 30
        let work = parts.flatMap { part in
            part.count <= cap ? [part] : stride(from: 0, to: part.count, by: cap).map { Array(part[$0..<min(part.count, $0 + cap)]) }
        }.filter { !$0.isEmpty }
        guard !work.isEmpty else { return }
        let level = self.level
        let compressed = Locked([Result<[UInt8], Error>?](repeating: nil, count: work.count))
        Parallel.forEach(work.count) { k in
            let r = Result { try Self.member(work[k], level: level) }
            compressed.withLock { $0[k] = r }
        }
        for r in compressed.withLock({ $0 }) { try inner.write(try r!.get()) }  // every slot was filled
        members += work.count
    }

    public func commit() throws {
        // An empty output is still a valid gzip file: one empty member.
        if members == 0 { try inner.write(try Self.member([], level: level)) }
        try inner.commit()
    }

    public func abandon() { inner.abandon() }
}
