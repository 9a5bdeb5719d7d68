/// The closest of `candidates` to a mistyped `name`, for "did you mean ...?" hints; nil when none is close.
///
/// Closeness is the optimal-string-alignment distance, ignoring case (a swapped pair of letters counts
/// as one edit, so `trian` → `train`). A candidate qualifies within one edit per three characters of
/// `name` (at least one); ties go to the earlier candidate. An exact match is returned as is.
public func nearestName(to name: String, in candidates: [String]) -> String? {
    let limit = max(1, name.count / 3)
    let query = Array(name.lowercased())
    var best: (name: String, distance: Int)?
    for candidate in candidates {
        let d = editDistance(query, Array(candidate.lowercased()))
        if d <= limit, d < (best?.distance ?? .max) { best = (candidate, d) }
    }
    return best?.name
}

/// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var rows = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { rows[i][0] = i }
    for j in 0...b.count { rows[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            var d = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, rows[i - 2][j - 2] + 1) }
            rows[i][j] = d
        }
    }
    return rows[a.count][b.count]
}
