import Testing
@testable import ModelZoo

@Suite struct FeatureEncoderTests {
    /// `encodeAll` (row slices on all cores) leaves out exactly the rows `encode(row:)` refuses, and
    /// encodes the rest identically, in table order.
    @Test func encodeAllMatchesRowByRow() throws {
        var g = SplitMix64(seed: 4)
        var text = "a,kind,b\n"
        for r in 0..<90_000 {
            let kind = r % 1009 == 3 ? "unknown" : ["x", "y", "z"][g.below(3)]
            let a = r % 2003 == 7 ? "" : String(g.uniform())
            text += "\(a),\(kind),\(g.below(100))\n"
        }
        let table = try CSVTable.parse(Array(text.utf8))
        let schema = FeatureSchema(
            columns: [
                FeatureColumn(name: "a", kind: .numeric, scaler: AffineScaler(kind: .standard, center: 0.5, scale: 2)),
                FeatureColumn(name: "kind", kind: .categorical, levels: ["x", "y", "z"]),
                FeatureColumn(name: "b", kind: .numeric, scaler: .identity),
            ], target: "t", targetScaler: .identity)
        let encoder = try FeatureEncoder(schema: schema, header: table.header)
        let (x, rows) = encoder.encodeAll(table)
        var expectedRows: [Int] = [], expected: [Double] = []
        var one = [Double](repeating: 0, count: encoder.width), mismatches = CaseMismatches()
        for r in 0..<table.rowCount {
            let problem = one.withUnsafeMutableBufferPointer {
                encoder.encode(table, row: r, into: $0.baseAddress!, caseMismatches: &mismatches)
            }
            if problem == nil { expectedRows.append(r); expected += one }
        }
        #expect(expectedRows.count < table.rowCount - 100)
        #expect(rows == expectedRows)
        #expect(x.rows == rows.count && x.values == expected)
    }
}
