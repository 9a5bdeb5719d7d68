import Foundation

/// A byte source for streaming: a file or standard input, gzip-decoded when it starts with the
/// gzip magic bytes (so `.csv.gz` files and piped gzip both work).
public final class InputSource {
    public let name: String
    private let handle: FileHandle
    /// Size in bytes on disk when known (a regular file), for progress and ETA.
    public let size: Int?
    /// Compressed bytes consumed so far (equals the bytes returned for plain input).
    public private(set) var consumed = 0
    private var pending: [UInt8] = []
    private var gzip: GzipDecoder?

    public init(path: String) throws {
        name = path
        if path == "-" {
            handle = FileHandle.standardInput
            size = nil
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw ZooError.io(path: path, message: "no such file")
            }
            guard !isDir.boolValue else { throw ZooError.io(path: path, message: "is a directory, expected a CSV file") }
            guard let h = FileHandle(forReadingAtPath: path) else { throw ZooError.io(path: path, message: "cannot open for reading") }
            handle = h
            size = FileBytes.size(of: path)
        }
        // Sniff the first bytes: gzip streams start 1F 8B.
        var head: [UInt8] = []
        while head.count < 2 {
            let more = try rawRead(2 - head.count)
            if more.isEmpty { break }
            head += more
        }
        pending = head
        if pending.count == 2, pending[0] == 0x1F, pending[1] == 0x8B {
            gzip = try GzipDecoder(name: path) { [unowned self] n in try self.rawRead(n) }
        }
    }

    private func rawRead(_ max: Int) throws -> [UInt8] {
        if !pending.isEmpty {
            let p = pending
            pending = []
            return p
        }
        do {
            let d = [UInt8](try handle.read(upToCount: max) ?? Data())
            consumed += d.count
            return d
        } catch {
            throw ZooError.io(path: name, message: "read failed: \(error.localizedDescription)")
        }
    }

    /// `prefix` followed by up to `max` more bytes of (decompressed) data: `prefix` alone at end of
    /// input. Plain input is read straight into the result, one copy from the kernel and none after
    /// (reading into `Data`, converting it to an array and appending it to the carried tail were
    /// three copies of every byte). The prefix is copied each call: a record longer than a chunk is
    /// copied once per fill until it completes, at most `ChunkReader`'s record limit over the chunk
    /// size times.
    public func read(max: Int, after prefix: [UInt8]) throws -> [UInt8] {
        guard gzip == nil, pending.isEmpty else { return prefix + (try read(max: max)) }
        let fd = handle.fileDescriptor
        var failure: Int32 = 0
        let out = [UInt8](unsafeUninitializedCapacity: prefix.count + max) { buffer, initialized in
            let base = buffer.baseAddress!
            prefix.withUnsafeBufferPointer { if let p = $0.baseAddress { base.initialize(from: p, count: prefix.count) } }
            var got = 0
            while got < max {
                let n = Foundation.read(fd, base + prefix.count + got, max - got)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                got += n
            }
            initialized = prefix.count + got
        }
        guard failure == 0 else { throw ZooError.io(path: name, message: "read failed: \(String(cString: strerror(failure)))") }
        consumed += out.count - prefix.count
        return out
    }

    /// Up to `max` bytes of (decompressed) data; empty at end of input.
    public func read(max: Int) throws -> [UInt8] {
        if let gzip { return try gzip.read(max: max) }
        return try rawRead(max)
    }

    deinit { if name != "-" { try? handle.close() } }
}
