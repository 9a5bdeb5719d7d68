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
            HugePages.advise(buf.baseAddress, bytes: size)
            var got = 0
            while got < size {
                let n = Glibc.read(fd, buf.baseAddress! + got, size - got)
                if n < 0 { if errno == EINTR { continue }; failure = errno; break }
                if n == 0 { break }
                got += n
            }
            initialized = got
        }
        guard failure == 0 else { throw .system("read failed: \(String(cString: strerror(failure)))") }
        return bytes
    }
}
