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

    /// Hashes of evenly spaced file rows, taken while a training table still has its bytes; once the
    /// split is known, up to `count` of those that are training rows become the model's probe for
    /// finding its training rows in another file. A training table lets its bytes go before it deals
    /// rows (10,000,000 BMI rows: the bytes were 400 MB of a 1.21 GB peak reached after the split).
    public struct RowProbeCandidates: Sendable {
        let rows: [Int]
        let hashes: [UInt64]
        /// How many training rows the probe holds at most.
        let count: Int

        /// Enough rows that about four times `count` are training rows whatever the test fraction
        /// (at most 65,536, 1 MiB of rows and hashes).
        public init(_ table: borrowing CSVTable, testFraction: Double, count: Int = 64) {
            let training = max(1e-6, 1 - min(max(testFraction, 0), 1))
            let wanted = min(table.rowCount, Int(min(65_536, (Double(4 * count) / training).rounded(.up))))
            rows = (0..<wanted).map { $0 * table.rowCount / wanted }
            hashes = rows.map { DataFingerprint.rowHash(table, $0) }
            self.count = count
        }

        /// Hashes of up to `count` candidates that are training rows, evenly spaced among them in file order.
        public func probe(isTraining: (Int) -> Bool) -> [UInt64] {
            let training = rows.indices.filter { isTraining(rows[$0]) }
            guard !training.isEmpty else { return [] }
            let k = min(count, training.count)
            return (0..<k).map { hashes[training[$0 * training.count / k]] }
        }
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
