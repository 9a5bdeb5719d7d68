/// The rows of a table a model can use, encoded, in matrices of bounded size.
enum EncodedRows {
    /// Calls `body` with the rows of `table` that `accept` keeps and `encoder` can encode, in row
    /// order, as matrices with their table rows: all in one matrix when the whole table's encoding
    /// fits in `maxMatrixBytes` (64 MiB, as `zoo predict`'s chunks), else in chunks of that size. A
    /// model whose one-hot width is 100,000 would otherwise make `compare` and `report` allocate
    /// rows × 100,000 doubles (20 GB for 25,000 rows) before predicting one row. `body`'s last
    /// argument says whether the matrix holds every usable row (false for each chunk).
    static func forEach(
        _ encoder: FeatureEncoder, _ table: CSVTable, maxMatrixBytes: Int, accept: (Int) -> Bool,
        _ body: (_ x: Matrix, _ rows: [Int], _ whole: Bool) throws -> Void
    ) throws {
        let w = encoder.width, n = table.rowCount
        let chunkRows = max(1, maxMatrixBytes / (8 * max(1, w)))
        if n <= chunkRows {
            // Encoded on all cores at once; then the accepted rows.
            let (all, rows) = encoder.encodeAll(table)
            var values: [Double] = [], kept: [Int] = []
            values.reserveCapacity(all.values.count)
            for (k, r) in rows.enumerated() where accept(r) {
                values.append(contentsOf: all.values[(k * w)..<((k + 1) * w)])
                kept.append(r)
            }
            if !kept.isEmpty { try body(Matrix(rows: kept.count, cols: w, values: values), kept, true) }
            return
        }
        var buffer = [Double](repeating: 0, count: chunkRows * w), mismatches = CaseMismatches()
        var candidates: [Int] = []
        candidates.reserveCapacity(chunkRows)
        func encodeCandidates() throws {
            var unusable = Set<Int>()
            let written = buffer.withUnsafeMutableBufferPointer { B in
                encoder.encodeRows(table, rows: candidates, into: B.baseAddress!, caseMismatches: &mismatches) { r, _ in
                    unusable.insert(r)
                    return true
                }
            }
            candidates.removeAll { unusable.contains($0) }
            if written > 0 { try body(Matrix(rows: written, cols: w, values: Array(buffer[..<(written * w)])), candidates, false) }
            candidates.removeAll(keepingCapacity: true)
        }
        for r in 0..<n where accept(r) {
            candidates.append(r)
            if candidates.count == chunkRows { try encodeCandidates() }
        }
        if !candidates.isEmpty { try encodeCandidates() }
    }
}
