import Foundation

/// Where batch output goes: an atomic file (appears only when complete) or standard output.
public protocol OutputSink: AnyObject {
    func write(_ bytes: [UInt8]) throws
    /// Writes consecutive pieces in order (a sink may work on them in parallel).
    func write(parts: [[UInt8]]) throws
    /// Makes the output final (renames the temporary into place).
    func commit() throws
    /// Gives up: a file output leaves no trace.
    func abandon()
}

extension OutputSink {
    public func write(parts: [[UInt8]]) throws { for part in parts { try write(part) } }
}

extension AtomicOutput: OutputSink {
    public func write(_ bytes: [UInt8]) throws { try write(bytes[...]) }
    public func write(parts: [[UInt8]]) throws { for part in parts { try write(piece: part) } }
}

/// Standard output, written in large blocks.
public final class StandardOutputSink: OutputSink {
    public init() {}
    public func write(_ bytes: [UInt8]) throws {
        var off = 0
        try bytes.withUnsafeBytes { raw in
            while off < raw.count {
                let n = Foundation.write(1, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ZooError.io(path: "stdout", message: String(cString: strerror(errno)))
                }
                off += n
            }
        }
    }
    public func commit() throws {}
    public func abandon() {}
}

/// Passes writes on to another sink and counts the bytes, so a failed run can say how much got out.
public final class CountingSink: OutputSink {
    private let base: OutputSink
    public private(set) var bytesWritten = 0

    public init(_ base: OutputSink) { self.base = base }

    public func write(_ bytes: [UInt8]) throws {
        try base.write(bytes)
        bytesWritten += bytes.count
    }

    public func write(parts: [[UInt8]]) throws {
        try base.write(parts: parts)
        bytesWritten += parts.reduce(0) { $0 + $1.count }
    }

    public func commit() throws { try base.commit() }
    public func abandon() { base.abandon() }
}
