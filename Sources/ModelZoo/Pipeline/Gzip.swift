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
public final class GzipSink: OutputSink {
    private var stream = z_stream()
    private let inner: OutputSink
    private var ended = false

    public init(_ inner: OutputSink, level: Int32 = 1) throws {
        self.inner = inner
        guard deflateInit2_(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZooError.invalidInput("cannot start gzip compression")
        }
    }

    deinit { deflateEnd(&stream) }

    private func pump(_ bytes: [UInt8], flush: Int32) throws {
        var input = bytes
        var out = [UInt8](repeating: 0, count: max(1 << 16, bytes.count / 2 + 1024))
        try input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let (rc, produced): (Int32, Int) = out.withUnsafeMutableBufferPointer { o in
                    stream.next_out = o.baseAddress
                    stream.avail_out = UInt32(o.count)
                    let rc = deflate(&stream, flush)
                    return (rc, o.count - Int(stream.avail_out))
                }
                if produced > 0 { try inner.write(Array(out[..<produced])) }
                if flush == Z_FINISH {
                    if rc == Z_STREAM_END { break }
                    guard rc == Z_OK || rc == Z_BUF_ERROR else { throw ZooError.invalidInput("gzip compression failed (\(rc))") }
                } else if stream.avail_in == 0 && stream.avail_out > 0 {
                    break
                }
            }
        }
    }

    public func write(_ bytes: [UInt8]) throws { try pump(bytes, flush: Z_NO_FLUSH) }

    public func commit() throws {
        if !ended { try pump([], flush: Z_FINISH); ended = true }
        try inner.commit()
    }

    public func abandon() { inner.abandon() }
}
