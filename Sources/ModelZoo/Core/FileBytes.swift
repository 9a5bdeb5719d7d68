import Foundation

/// Reads whole files straight into a byte array (one copy from the page cache, no `Data`).
public enum FileBytes {
    enum Failure: Error {
        case missing, directory, tooLarge(Int), system(String)
    }

    /// The size of the file at `path` in bytes, or nil when it cannot be read.
    public static func size(of path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    static func read(_ path: String, maxSize: Int) throws(Failure) -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .missing }
        guard !isDir.boolValue else { throw .directory }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .system("cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .system("cannot stat: \(String(cString: strerror(errno)))") }
        let size = Int(st.st_size)
        guard size <= maxSize else { throw .tooLarge(size) }
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buf, initialized in
            let base = buf.baseAddress!
            // Pieces of 16 MiB or more copied from the page cache on all cores: one thread's copy
            // was 30-40 ms of the 0.1 s `zoo train` took to read 160 MB. A piece that comes back
            // short (the file shrank meanwhile) sends the whole file to the sequential read.
            let pieces = size >= 32 << 20 ? min(Parallel.maxThreads, size >> 24) : 1
            var complete = [Bool](repeating: false, count: pieces)
            if pieces > 1 {
                complete.withUnsafeMutableBufferPointer { C in
                    Parallel.forEach(pieces) { k in
                        let lo = size * k / pieces, hi = size * (k + 1) / pieces
                        C[k] = readFully(fd, base + lo, count: hi - lo, at: lo).got == hi - lo
                    }
                }
            }
            if complete.allSatisfy({ $0 }) {
                initialized = size
            } else {
                let (got, error) = readFully(fd, base, count: size, at: 0)
                failure = error
                initialized = got
            }
        }
        guard failure == 0 else { throw .system("read failed: \(String(cString: strerror(failure)))") }
        return bytes
    }

    /// Reads up to `count` bytes at file offset `offset` into `p`: how many came before the end of
    /// the file, and the error (0 for none).
    static func readFully(_ fd: Int32, _ p: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int) -> (got: Int, error: Int32) {
        var got = 0
        while got < count {
            let n = pread(fd, p + got, count - got, off_t(offset + got))
            if n < 0 { if errno == EINTR { continue }; return (got, errno) }
            if n == 0 { break }
            got += n
        }
        return (got, 0)
    }
}
