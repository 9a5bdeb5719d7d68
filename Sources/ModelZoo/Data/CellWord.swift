/// A cell once its number has been parsed, kept in the 8 bytes its span took (`CSVRecords.starts[k]`
/// as the low half, `ends[k]` as the high half), so a table read for training holds one word per cell
/// instead of a span and a parsed double (10,000,000 BMI rows: 1.9 GB peak with both).
///
/// A finite double is the cell's number. Every other bit pattern (exponent all ones, which no finite
/// double has) is the span of an empty or text cell: offset from its record's start in bits 26–51,
/// length in bits 0–25, the escaped flag (doubled quotes inside) in the sign bit. A number cell's
/// text is not kept; `CSVTable.Cells` scans its record again for it (categorical columns only).
///
/// Once a training table's categories are known, a categorical cell's word becomes its level's
/// index (offset field all ones, which no span has: length is index + 1), and the table lets its
/// bytes go before the encoded matrix is allocated (`CSVTable.replacingTextWithLevels`).
enum CellWord {
    /// Offsets and lengths are 26 bits: a table with a record this long or longer is not boxed.
    static let maxRecordBytes = 1 << 26
    static let exponent: UInt64 = 0x7FF << 52
    static let escapedBit: UInt64 = 1 << 63
    static let field: UInt64 = (1 << 26) - 1

    @inline(__always) static func number(_ v: Double) -> UInt64 { v.bitPattern }

    @inline(__always) static func span(offset: Int, length: Int, escaped: Bool) -> UInt64 {
        exponent | (escaped ? escapedBit : 0) | UInt64(offset) << 26 | UInt64(length)
    }

    @inline(__always) static func isNumber(_ w: UInt64) -> Bool { w & exponent != exponent }
    @inline(__always) static func isEmpty(_ w: UInt64) -> Bool { !isNumber(w) && w & field == 0 }
    @inline(__always) static func offset(_ w: UInt64) -> Int { Int((w >> 26) & field) }
    @inline(__always) static func length(_ w: UInt64) -> Int { Int(w & field) }
    @inline(__always) static func isEscaped(_ w: UInt64) -> Bool { w & escapedBit != 0 }

    @inline(__always) static func level(_ index: Int) -> UInt64 { exponent | field << 26 | UInt64(index + 1) }

    /// The level index of a level word; nil for a number or a span.
    @inline(__always) static func levelIndex(_ w: UInt64) -> Int? {
        isNumber(w) || (w >> 26) & field != field ? nil : length(w) - 1
    }

    @inline(__always) static func join(_ lo: Int32, _ hi: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: lo)) | UInt64(UInt32(bitPattern: hi)) << 32
    }

    @inline(__always) static func split(_ w: UInt64) -> (lo: Int32, hi: Int32) {
        (Int32(bitPattern: UInt32(truncatingIfNeeded: w)), Int32(bitPattern: UInt32(truncatingIfNeeded: w >> 32)))
    }
}
