import Foundation

/// What a file held when it was read: a hash of its bytes (after gunzip), its data rows and its
/// column names. Two reads of the same content give the same fingerprint whatever the file's name.
public struct DataFingerprint: Codable, Sendable, Equatable {
    /// `fnv1a64:` and 16 hex digits (FNV-1a over 8-byte words of 1 MiB blocks, then over the block hashes).
    public var hash: String
    public var rows: Int
    public var columns: [String]

    public init(hash: String, rows: Int, columns: [String]) {
        self.hash = hash
        self.rows = rows
        self.columns = columns
    }

    /// The fingerprint of a table as read.
    public init(_ table: borrowing CSVTable) {
        self.init(hash: Self.hash(table.bytes), rows: table.rowCount, columns: table.header)
    }

    static let block = 1 << 20

    /// The content hash of `bytes`: blocks hashed on all cores, then combined in order (thread-independent).
    public static func hash(_ bytes: [UInt8]) -> String {
        let blocks = (bytes.count + block - 1) / block
        var hashes = [UInt64](repeating: 0, count: blocks)
        hashes.withUnsafeMutableBufferPointer { H in
            bytes.withUnsafeBufferPointer { B in
                Parallel.forEach(blocks) { k in
                    let lo = k * block, hi = min(bytes.count, lo + block)
                    H[k] = fnv(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(B)[lo..<hi]))
                }
            }
        }
        var h = fnvStep(0xcbf2_9ce4_8422_2325, UInt64(bytes.count))
        for x in hashes { h = fnvStep(h, x) }
        return "fnv1a64:" + String(h, radix: 16).leftPadded(to: 16)
    }

    /// The hash of one row's bytes as read (what a training-row probe holds).
    public static func rowHash(_ table: CSVTable, _ row: Int) -> UInt64 {
        table.withRecordBytes(row) { fnv(UnsafeRawBufferPointer($0)) }
    }

    /// Hashes of up to `count` training rows, evenly spaced through `rows`: a model's probe for
    /// finding its training rows in another file.
    public static func rowProbe(_ table: CSVTable, rows: [Int], count: Int = 64) -> [UInt64] {
        guard !rows.isEmpty else { return [] }
        let k = min(count, rows.count)
        return (0..<k).map { rowHash(table, rows[$0 * rows.count / k]) }
    }

    /// How many of `probe`'s row hashes occur among the table's rows.
    public static func probeHits(_ probe: [UInt64], in table: CSVTable) -> Int {
        let wanted = Set(probe)
        let slices = Slicer.cores(table.rowCount) { (lo: Int, hi: Int) -> Set<UInt64> in
            var found = Set<UInt64>()
            for r in lo..<hi { let h = rowHash(table, r); if wanted.contains(h) { found.insert(h) } }
            return found
        }
        return slices.reduce(into: Set<UInt64>()) { $0.formUnion($1) }.count
    }

    static func fnvStep(_ h: UInt64, _ word: UInt64) -> UInt64 { (h ^ word) &* 0x100_0000_01b3 }

    static func fnv(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let words = b.count / 8
        for i in 0..<words { h = fnvStep(h, b.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) }
        for i in (words * 8)..<b.count { h = fnvStep(h, UInt64(b[i])) }
        return h
    }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}
