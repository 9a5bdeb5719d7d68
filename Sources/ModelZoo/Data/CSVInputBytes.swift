import Foundation

/// The whole of a CSV input, for commands that need every row at once (train, compare, report, bench,
/// demo). Regular files are read in one go; standard input (`-`), `/dev/stdin`, FIFOs and process
/// substitutions are read to their end. Gzip data is recognised by its first bytes and decompressed.
/// Either way at most `maxBytes` (decompressed) are accepted, so an endless stream is an error, not
/// an allocation that never stops.
public enum CSVInputBytes {
    /// The most bytes a whole-input read accepts: cell offsets are 32-bit.
    public static let defaultLimit = Int(Int32.max) - 1

    public static func read(path: String, maxBytes: Int = defaultLimit) throws -> [UInt8] {
        guard path != "-", isRegularFile(path) else { return try readStream(path, maxBytes: maxBytes) }
        let bytes = try readFile(path, maxBytes: maxBytes)
        return isGzip(bytes) ? try gunzip(bytes, name: path, maxBytes: maxBytes) : bytes
    }

    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    static func readFile(_ path: String, maxBytes: Int) throws -> [UInt8] {
        do {
            return try FileBytes.read(path, maxSize: maxBytes)
        } catch {
            switch error {
            case .missing: throw ZooError.io(path: path, message: "no such file")
            case .directory: throw ZooError.io(path: path, message: "is a directory, expected a CSV file")
            case .tooLarge: throw tooLarge(path, maxBytes: maxBytes)
            case .system(let m): throw ZooError.io(path: path, message: m)
            }
        }
    }

    /// Reads a stream (gzip-decoded by `InputSource` when it starts with the gzip magic) to its end.
    static func readStream(_ path: String, maxBytes: Int) throws -> [UInt8] {
        try drain(name: path, maxBytes: maxBytes, try InputSource(path: path).read)
    }

    static func gunzip(_ compressed: [UInt8], name: String, maxBytes: Int) throws -> [UInt8] {
        var handedOut = false
        let decoder = try GzipDecoder(name: name) { _ in
            defer { handedOut = true }
            return handedOut ? [] : compressed
        }
        return try drain(name: name, maxBytes: maxBytes, decoder.read)
    }

    static func drain(name: String, maxBytes: Int, _ read: (Int) throws -> [UInt8]) throws -> [UInt8] {
        var all: [UInt8] = []
        while true {
            let chunk = try read(4 << 20)
            if chunk.isEmpty { return all }
            guard chunk.count <= maxBytes - all.count else { throw tooLarge(name, maxBytes: maxBytes) }
            all += chunk
        }
    }

    static func tooLarge(_ name: String, maxBytes: Int) -> ZooError {
        let shown = name == "-" ? "standard input" : name
        return .invalidInput("\(shown) is over \(limitText(maxBytes)); training reads the whole input (prediction streams any size)")
    }

    /// The limit rounded up to whole GiB, MiB or bytes: `2 GiB` for the default.
    static func limitText(_ bytes: Int) -> String {
        if bytes >= 1 << 30 { return "\((bytes + (1 << 30) - 1) >> 30) GiB" }
        if bytes >= 1 << 20 { return "\((bytes + (1 << 20) - 1) >> 20) MiB" }
        return "\(bytes) bytes"
    }
}
