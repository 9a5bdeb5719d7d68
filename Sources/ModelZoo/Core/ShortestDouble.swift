#if canImport(Glibc)
    import Glibc
#endif

/// The Swift runtime's shortest round-trip formatter (SwiftDtoa: the exact shortest digits that
/// read back to the same double, the algorithm behind `Double.description`), called on a stack
/// buffer so that no `String` is made per value. Returns the byte count (0 when it fails).
@_silgen_name("swift_float64ToString")
func _swiftFloat64ToString(_ buffer: UnsafeMutablePointer<UInt8>, _ bufferLength: UInt, _ value: Double, _ debug: Bool) -> UInt64

/// Prediction text straight into an output byte buffer: the same bytes as `v.description`
/// (exact, shortest round-trip) or, with `digits`, as `SignificantDigits.text(v, digits:)`.
public enum ShortestDouble {
    /// Appends `v.description`'s bytes to `out`.
    @inline(__always)
    public static func append(_ v: Double, to out: inout [UInt8]) {
        // The runtime prints NaN payloads where `description` says "nan": not finite goes the slow way.
        guard v.isFinite else { return out.append(contentsOf: v.description.utf8) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { b in
            // The runtime's formatter leaves the leading '0' of values below 1 to the caller's buffer
            // (Swift's own caller zero-fills it with '0's): without this the byte is whatever was there.
            b.initialize(repeating: UInt8(ascii: "0"))
            let n = Int(_swiftFloat64ToString(b.baseAddress!, 40, v, false))
            out.append(contentsOf: UnsafeBufferPointer(start: b.baseAddress!, count: n))
        }
    }

    /// Appends `v` exactly (`digits` nil) or to `digits` significant digits in `%g` style.
    @inline(__always)
    public static func append(_ v: Double, digits: Int?, to out: inout [UInt8]) {
        guard let digits else { return append(v, to: &out) }
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 48) { b in
            let n = withVaList([Int32(digits), v]) { vsnprintf(b.baseAddress!, 48, "%.*g", $0) }
            b.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: 48) {
                out.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(min(max(n, 0), 47))))
            }
        }
    }

    /// `v.description` as bytes (for tests).
    public static func bytes(_ v: Double) -> [UInt8] {
        var out: [UInt8] = []
        append(v, to: &out)
        return out
    }
}
