import ModelZoo

/// Writes JSON into one growing byte array (responses are built in a single buffer).
struct JSONWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for c in s.utf8 { escape(c) }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string<C: Collection<UInt8>>(bytes s: C) {
        bytes.append(UInt8(ascii: "\""))
        for c in s { escape(c) }
        bytes.append(UInt8(ascii: "\""))
    }

    @inline(__always) private mutating func escape(_ c: UInt8) {
        switch c {
        case UInt8(ascii: "\""): bytes.append(92); bytes.append(c)
        case UInt8(ascii: "\\"): bytes.append(92); bytes.append(c)
        case 10: bytes.append(92); bytes.append(UInt8(ascii: "n"))
        case 13: bytes.append(92); bytes.append(UInt8(ascii: "r"))
        case 9: bytes.append(92); bytes.append(UInt8(ascii: "t"))
        case 0..<0x20:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]])
        default: bytes.append(c)
        }
    }

    /// A finite double as the shortest text that reads back to it (what `zoo predict` writes);
    /// non-finite values as null (JSON has no NaN).
    mutating func number(_ v: Double) {
        guard v.isFinite else { raw("null"); return }
        ShortestDouble.append(v, to: &bytes)  // `description`'s bytes without a String per value
    }

    mutating func number(_ v: Int) { bytes.append(contentsOf: String(v).utf8) }

    mutating func bool(_ v: Bool) { if v { raw("true") } else { raw("false") } }

    /// `{"key": "value", ...}` for string pairs.
    static func object(_ pairs: KeyValuePairs<String, String>) -> [UInt8] {
        var w = JSONWriter()
        w.raw("{")
        var first = true
        for (k, v) in pairs {
            if !first { w.raw(",") }
            first = false
            w.string(k)
            w.raw(":")
            w.string(v)
        }
        w.raw("}")
        return w.bytes
    }
}
