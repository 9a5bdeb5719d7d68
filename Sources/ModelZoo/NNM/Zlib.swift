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
    ///
    /// The output grows as data actually arrives (from a few times the input, doubling, never past
    /// `rawLength`), so a declared size that the stream cannot fill costs no more memory than the
    /// stream really yields: junk declaring 1 GiB fails after a few KiB.
    public static func decompress(_ input: UnsafeRawBufferPointer, rawLength: Int, what: String) throws -> [UInt8] {
        var strm = z_stream()
        guard inflateInit_(&strm, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw NNMError.decompressionFailed("\(what): zlib could not start")
        }
        defer { inflateEnd(&strm) }
        var out: [UInt8] = []
        var capacity = min(rawLength, max(1 << 16, input.count &* 4))
        var produced = 0
        var consumed = 0
        var rc: Int32 = Z_OK
        let chunk = Int(UInt32.max >> 1)
        while true {
            if produced == capacity && capacity < rawLength { capacity = min(rawLength, capacity * 2) }
            if out.count < capacity { out.append(contentsOf: [UInt8](repeating: 0, count: capacity - out.count)) }
            let outLeft = min(capacity - produced, chunk), inLeft = min(input.count - consumed, chunk)
            // A zero-capacity destination has no base address; give zlib a valid pointer anyway.
            var scratch: UInt8 = 0
            rc = out.withUnsafeMutableBufferPointer { dst in
                withUnsafeMutablePointer(to: &scratch) { sp in
                    strm.next_out = dst.baseAddress.map { $0 + produced } ?? sp
                    strm.avail_out = UInt32(outLeft)
                    strm.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: UInt8.self)).map {
                        $0 + consumed
                    }
                    strm.avail_in = UInt32(inLeft)
                    let r = inflate(&strm, Z_NO_FLUSH)
                    produced += outLeft - Int(strm.avail_out)
                    consumed += inLeft - Int(strm.avail_in)
                    return r
                }
            }
            if rc == Z_STREAM_END { break }
            if rc == Z_OK { continue }
            if rc == Z_BUF_ERROR {
                // No progress possible: out of input (cut short) or out of room (longer than declared).
                if consumed == input.count {
                    throw NNMError.decompressionFailed("\(what): stream ended after \(produced) of \(rawLength) bytes, or cut short")
                }
                if produced == rawLength {
                    throw NNMError.decompressionFailed("\(what): data longer than the declared \(rawLength) bytes")
                }
                continue
            }
            switch rc {
            case Z_DATA_ERROR, Z_NEED_DICT: throw NNMError.decompressionFailed("\(what): invalid zlib data")
            case Z_MEM_ERROR: throw NNMError.decompressionFailed("\(what): out of memory")
            default: throw NNMError.decompressionFailed("\(what): zlib error \(rc)")
            }
        }
        guard produced == rawLength else {
            throw NNMError.decompressionFailed("\(what): stream ended after \(produced) of \(rawLength) bytes")
        }
        guard consumed == input.count else {
            throw NNMError.decompressionFailed("\(what): \(input.count - consumed) bytes after the end of the zlib stream")
        }
        return out
    }
}
