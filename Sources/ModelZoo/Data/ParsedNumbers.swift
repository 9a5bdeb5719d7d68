/// Every cell of a table read as a number once, column by column (NaN where the cell is empty or
/// not a number), so that passes which look at the same cells again — the column census, the
/// scalers' fit, the encoder — read a double instead of parsing the bytes again.
public final class ParsedNumbers: @unchecked Sendable {
    /// `values[col * rows + row]`; written once in `init`, read only after.
    let values: [Double]
    let rows: Int

    /// Parses `table` in row slices on all cores (rows in file order, so the bytes stream through the cache).
    init(_ table: CSVTable, sliced: Slicer) {
        let n = table.rowCount, m = table.columnCount
        rows = n
        var v = [Double](repeating: .nan, count: n * m)
        v.withUnsafeMutableBufferPointer { V in
            table.withCells { cells in
                _ = sliced(n) { lo, hi -> Bool in
                    for r in lo..<hi {
                        for c in 0..<m {
                            if case .number(let x) = cells.parse(r, c) { V[c * n + r] = x }
                        }
                    }
                    return true
                }
            }
        }
        values = v
    }
}

extension CSVTable {
    /// This table with every cell parsed once (see `ParsedNumbers`); `cell` then reads the parsed value.
    func parsingNumbersOnce(sliced: Slicer) -> CSVTable {
        var t = self
        t.parsed = ParsedNumbers(self, sliced: sliced)
        return t
    }
}
