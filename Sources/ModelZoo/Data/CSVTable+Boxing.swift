extension CSVTable {
    /// Parses every cell once and keeps the result in the cell's own span words (`CellWord`): the
    /// column census, the scalers' fit and the encoder then read a number instead of parsing bytes
    /// again, and the table grows by nothing (a separate array of parsed doubles, 8 bytes a cell, was
    /// a fifth of the peak memory of `zoo train` on 10,000,000 BMI rows). Rows in slices on all cores,
    /// in file order. A table with a record of 64 MiB or more keeps its spans (cells parse where read).
    ///
    /// Mutates in place: pass a table nothing else holds (`consume`), or its spans are copied first.
    mutating func boxingNumbers(sliced: Slicer) {
        guard !records.boxed, rowCount > 0, !hasRecordTooLongToBox else { return }
        let n = rowCount, m = columnCount, decimal = decimal
        bytes.withUnsafeBufferPointer { b in
            records.recordStarts.withUnsafeBufferPointer { recordStarts in
                records.starts.withUnsafeMutableBufferPointer { starts in
                    records.ends.withUnsafeMutableBufferPointer { ends in
                        let p = b.baseAddress!, rs = recordStarts.baseAddress!, S = starts.baseAddress!, E = ends.baseAddress!
                        _ = sliced(n) { lo, hi -> Bool in
                            for r in lo..<hi {
                                let base = Int(rs[r])
                                for k in (r * m)..<(r * m + m) {
                                    let (s, e, escaped) = CSVRecords.span(start: S[k], end: E[k])
                                    var w = CellWord.span(offset: s - base, length: e - s, escaped: escaped)
                                    // A cell with doubled quotes is never a number.
                                    if !escaped, s < e, let v = DecimalParser.parse(p, s, e, decimal: decimal), v.isFinite {
                                        w = CellWord.number(v)
                                    }
                                    (S[k], E[k]) = CellWord.split(w)
                                }
                            }
                            return true
                        }
                    }
                }
            }
        }
        records.boxed = true
    }

    private var hasRecordTooLongToBox: Bool {
        records.recordStarts.withUnsafeBufferPointer { s in
            records.recordEnds.withUnsafeBufferPointer { e in
                (0..<s.count).contains { Int(e[$0]) - Int(s[$0]) >= CellWord.maxRecordBytes }
            }
        }
    }
}
