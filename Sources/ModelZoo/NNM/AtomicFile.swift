import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that readers see either the old file or the complete new one, never a part:
/// data goes to a temporary file in the same directory, is flushed, then renamed over the target.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let out = try AtomicOutput(path: path)
        do {
            try out.write(bytes)
            try out.commit()
        } catch {
            out.abandon()
            throw error
        }
    }
}

/// A file being written in pieces: a hidden temporary next to `path`, renamed into place by `commit()`.
/// If the process dies first, only the temporary is left (named `.<name>.tmp-<pid>-<n>`), never a
/// partial `path`. `abandon()` removes the temporary.
public final class AtomicOutput: @unchecked Sendable {
    public let path: String
    public let tempPath: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var cleanupSlot: Int?
    private static let counter = Locked(0)

    public init(path: String) throws {
        self.path = path
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw ZooError.io(path: path, message: "directory '\(dir)' does not exist")
        }
        tempPath = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(AtomicOutput.counter.withLock { $0 += 1; return $0 })"
        fd = open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ZooError.io(path: path, message: "cannot create: \(String(cString: strerror(errno)))") }
        cleanupSlot = InterruptCleanup.register(tempPath)
        buffer.reserveCapacity(1 << 20)
    }

    /// Appends bytes (buffered; flushed in 1 MiB writes).
    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    public func write(_ s: String) throws { try write(s.utf8) }

    private func flush() throws {
        var off = 0
        try buffer.withUnsafeBytes { raw in
            while off < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + off, raw.count - off)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ZooError.io(path: path, message: "write failed: \(String(cString: strerror(errno)))")
                }
                off += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, syncs and renames the temporary over `path`.
    public func commit() throws {
        try flush()
        guard fsync(fd) == 0 || errno == EINVAL else {
            throw ZooError.io(path: path, message: "fsync failed: \(String(cString: strerror(errno)))")
        }
        close(fd)
        fd = -1
        guard rename(tempPath, path) == 0 else {
            let msg = String(cString: strerror(errno))
            unlink(tempPath)
            InterruptCleanup.unregister(cleanupSlot)
            cleanupSlot = nil
            throw ZooError.io(path: path, message: "cannot rename into place: \(msg)")
        }
        InterruptCleanup.unregister(cleanupSlot)
        cleanupSlot = nil
    }

    /// Removes the temporary; `path` is untouched.
    public func abandon() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(tempPath)
        InterruptCleanup.unregister(cleanupSlot)
        cleanupSlot = nil
    }

    deinit {
        if fd >= 0 { close(fd); unlink(tempPath) }
        InterruptCleanup.unregister(cleanupSlot)
    }
}
