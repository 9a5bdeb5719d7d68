/// What a column's present values are — numbers, or text of which shape — with the first row of each
/// kind, so the column's kind is decided from all its values and a refusal names the first bad one.
struct ColumnCensus {
    var numbers = 0, texts = 0, nonFinite = 0, otherDecimalMarks = 0, dates = 0
    var firstText: Int?, firstOtherDecimalMark: Int?, firstDate: Int?

    var present: Int { numbers + texts }

    /// Counts column `c` over every row, in slices.
    static func take(_ table: CSVTable, _ c: Int, sliced: Slicer) -> ColumnCensus { take(table, columns: [c], sliced: sliced)[0] }

    /// Counts each of `columns` over every row in one pass, row by row (a pass a column read a
    /// training table's cell words a row apart: 5.6% of `zoo train linear` on 160,000 wide rows).
    static func take(_ table: CSVTable, columns: [Int], sliced: Slicer) -> [ColumnCensus] {
        let parts = table.withCells { cells in
            sliced(table.rowCount) { lo, hi -> [ColumnCensus] in
                var census = [ColumnCensus](repeating: ColumnCensus(), count: columns.count)
                for r in lo..<hi {
                    for (k, c) in columns.enumerated() { census[k].count(cells, r, c, decimal: table.decimal) }
                }
                return census
            }
        }
        var total = [ColumnCensus](repeating: ColumnCensus(), count: columns.count)
        for part in parts { for k in columns.indices { total[k].append(part[k]) } }
        return total
    }

    mutating func count(_ cells: CSVTable.Cells, _ r: Int, _ c: Int, decimal: UInt8) {
        switch cells.cell(r, c) {
        case .missing: return
        case .number: numbers += 1; return
        case .text: break
        }
        texts += 1
        if firstText == nil { firstText = r }
        switch cells.withBytes(r, c, { TextShape.of($0, decimal: decimal) }) {
        case .nonFinite: nonFinite += 1
        case .otherDecimalMark: otherDecimalMarks += 1; if firstOtherDecimalMark == nil { firstOtherDecimalMark = r }
        case .date: dates += 1; if firstDate == nil { firstDate = r }
        case .other: break
        }
    }

    /// Adds the census of the rows after these.
    mutating func append(_ later: ColumnCensus) {
        numbers += later.numbers
        texts += later.texts
        nonFinite += later.nonFinite
        otherDecimalMarks += later.otherDecimalMarks
        dates += later.dates
        firstText = firstText ?? later.firstText
        firstOtherDecimalMark = firstOtherDecimalMark ?? later.firstOtherDecimalMark
        firstDate = firstDate ?? later.firstDate
    }

    /// The column's kind. Refused: numbers written with the other decimal mark, dates, and a column
    /// of at least half numbers (NaN and infinity counted as numbers) that holds any text.
    func kind(_ table: CSVTable, _ c: Int) throws -> FeatureColumn.Kind {
        if let r = firstOtherDecimalMark, (numbers + otherDecimalMarks) * 2 >= present {
            throw refusal(table, r, c, Self.decimalMarkHint(table.decimal))
        }
        if let r = firstDate, dates * 2 >= present {
            throw refusal(table, r, c, "a date; zoo reads numbers and categories: drop the column (--features) or derive a number from it")
        }
        guard let r = firstText else { return .numeric }
        if (numbers + nonFinite) * 2 >= present {
            throw FeatureEncoder.Problem.notANumber(column: table.header[c], text: table.text(r, c)).error(line: table.line(r))
        }
        return .categorical
    }

    static func decimalMarkHint(_ decimal: UInt8) -> String {
        decimal == UInt8(ascii: ".")
            ? "a number with a decimal comma; pass --decimal , to read decimal commas"
            : "a number with a decimal point, but --decimal , reads decimal commas only"
    }

    func refusal(_ table: CSVTable, _ r: Int, _ c: Int, _ what: String) -> ZooError {
        .csv(line: table.line(r), column: table.header[c], message: "found '\(table.text(r, c).prefix(40))', \(what)")
    }
}

/// The shape of a cell that is not a number: a NaN or infinity token, a number written with the
/// other decimal mark (`176,5` when reading `.`), a calendar date (`2024-01-31`, `31/01/2024`,
/// `31.01.24`, optionally followed by a time), or anything else.
enum TextShape: Equatable {
    case nonFinite, otherDecimalMark, date, other

    static func of(_ b: UnsafeBufferPointer<UInt8>, decimal: UInt8) -> TextShape {
        if isNonFinite(b) { return .nonFinite }
        if isOtherDecimalMark(b, decimal: decimal) { return .otherDecimalMark }
        return isDate(b) ? .date : .other
    }

    static func isNonFinite(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard b.count <= 9, let first = b.first, "nNiI+-".utf8.contains(first) else { return false }
        let word = String(decoding: b, as: UTF8.self).lowercased()
        return ["nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"].contains(word)
    }

    /// Digits, the other decimal mark once, digits (an optional sign first).
    static func isOtherDecimalMark(_ b: UnsafeBufferPointer<UInt8>, decimal: UInt8) -> Bool {
        let other = decimal == UInt8(ascii: ".") ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let body = b.first == UInt8(ascii: "-") || b.first == UInt8(ascii: "+") ? UnsafeBufferPointer(rebasing: b.dropFirst()) : b
        guard let mark = body.firstIndex(of: other) else { return false }
        let whole = body[..<mark], fraction = body[(mark + 1)...]
        return !whole.isEmpty && !fraction.isEmpty && whole.allSatisfy(isDigit) && fraction.allSatisfy(isDigit)
    }

    /// Three digit groups joined by one of `-`, `/`, `.`: year first (4, 1–2, 1–2 digits: month, day)
    /// or last (1–2, 1–2, 2 or 4 digits: day and month in either order); a time may follow after `T`
    /// or a space.
    static func isDate(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let end = b.firstIndex { $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: " ") } ?? b.count
        let date = b[..<end]
        guard let sep = date.first(where: { !isDigit($0) }), [UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: ".")].contains(sep)
        else { return false }
        let groups = date.split(separator: sep, omittingEmptySubsequences: false)
        // At most 4 digits a group before any is read as a number (a 28-digit group overflowed Int).
        guard groups.count == 3, groups.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy(isDigit) }) else { return false }
        let n = groups.map(\.count), v = groups.map { $0.reduce(0) { $0 * 10 + Int($1 &- 48) } }
        if n[0] == 4 { return n[1] <= 2 && n[2] <= 2 && isMonthDay(v[1], v[2]) }
        return n[0] <= 2 && n[1] <= 2 && (n[2] == 2 || n[2] == 4) && (isMonthDay(v[0], v[1]) || isMonthDay(v[1], v[0]))
    }

    static func isMonthDay(_ month: Int, _ day: Int) -> Bool { (1...12).contains(month) && (1...31).contains(day) }

    static func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }
}
