import CZlib

/// zlib (RFC 1950, with its Adler-32) compression and CRC-32, through the system library.
public enum Zlib {
    /// CRC-32 (IEEE) of `bytes`, continuing from `crc`.
    public static func crc32(_ bytes: UnsafeRawBufferPointer, crc: UInt32 = 0) -> UInt32 {
        var c = UInt(crc)
        var p = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        var left = bytes.count
        while left > 0, let base = p {
            let n = min(left, Int(UInt32.max >> 1))
            c = CZlib.crc32(c, base, UInt32(n))
            p = base + n
            left -= n
        }
        return UInt32(truncatingIfNeeded: c)
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { crc32($0) }
    }

    /// zlib-compresses `input` at `level` (1...9; 6 is zlib's default balance).
    public static func compress(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var destLen = compressBound(uLong(input.count))
        var out = [UInt8](repeating: 0, count: Int(destLen))
        let rc = out.withUnsafeMutableBufferPointer { dst in
            input.withUnsafeBufferPointer { src in
                compress2(dst.baseAddress, &destLen, src.baseAddress, uLong(input.count), level)
            }
        }
        guard rc == Z_OK else { throw NNMError.corrupt("zlib compress failed (code \(rc))") }
        out.removeLast(out.count - Int(destLen))
        return out
    }

    /// Inflates `input` into exactly `rawLength` bytes: the stream must end, fill the buffer exactly,
    /// and consume all input. The caller has already bounded `rawLength`.
    public static func decompress(_ input: UnsafeRawBufferPointer, rawLength: Int, what: String) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: rawLength)
        var destLen = uLong(rawLength)
        var srcLen = uLong(input.count)
        // A zero-capacity destination has no base address; give zlib a valid pointer anyway.
        var scratch: UInt8 = 0
        let rc: Int32 = out.withUnsafeMutableBufferPointer { dst in
            let d = dst.baseAddress ?? withUnsafeMutablePointer(to: &scratch) { $0 }
            return uncompress2(d, &destLen, input.baseAddress?.assumingMemoryBound(to: UInt8.self), &srcLen)
        }
        switch rc {
        case Z_OK:
            guard destLen == uLong(rawLength) else {
                throw NNMError.decompressionFailed("\(what): stream ended after \(destLen) of \(rawLength) bytes")
            }
            guard srcLen == uLong(input.count) else {
                throw NNMError.decompressionFailed("\(what): \(uLong(input.count) - srcLen) bytes after the end of the zlib stream")
            }
            return out
        case Z_BUF_ERROR:
            throw NNMError.decompressionFailed("\(what): data longer than the declared \(rawLength) bytes, or cut short")
        case Z_DATA_ERROR:
            throw NNMError.decompressionFailed("\(what): invalid zlib data")
        case Z_MEM_ERROR:
            throw NNMError.decompressionFailed("\(what): out of memory")
        default:
            throw NNMError.decompressionFailed("\(what): zlib error \(rc)")
        }
    }
}
