/// Records' line numbers as runs of consecutive lines: a record's line is its run's first line plus
/// its place in the run. A file without blank lines or quoted line ends is one run, so a training
/// table drops its 4 bytes a record of line numbers (40 MB of 10,000,000 BMI rows) and still names
/// the line of any record in an error.
struct LineRuns: Sendable {
    /// The first record of each run, ascending, and that record's line.
    private let firstRecords: [Int]
    private let firstLines: [Int]
    let count: Int

    /// The runs of the lines `base + offsets[r]`, or nil when they are more than a sixteenth of the
    /// records (a run takes two words, a record half of one).
    init?(_ offsets: [Int32], base: Int) {
        var records: [Int] = [], starts: [Int] = []
        for (r, offset) in offsets.enumerated() where r == 0 || offset != offsets[r - 1] &+ 1 {
            guard records.count < max(1, offsets.count / 16) else { return nil }
            records.append(r)
            starts.append(base + Int(offset))
        }
        (firstRecords, firstLines, count) = (records, starts, offsets.count)
    }

    /// The line record `r` starts on.
    func line(_ r: Int) -> Int {
        var lo = 0, hi = firstRecords.count  // the last run starting at or before r
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if firstRecords[mid] <= r { lo = mid } else { hi = mid }
        }
        return firstLines[lo] + (r - firstRecords[lo])
    }
}
