/// Records' line numbers as runs of consecutive lines: a record's line is its run's first line plus
/// its place in the run. A file without blank lines or quoted line ends is one run, so a training
/// table drops its 8 bytes a record of line numbers (80 MB of 10,000,000 BMI rows) and still names
/// the line of any record in an error.
struct LineRuns: Sendable {
    /// The first record of each run, ascending, and that record's line.
    private let firstRecords: [Int]
    private let firstLines: [Int]
    let count: Int

    /// The runs of `lines`, or nil when they are more than a sixteenth of the records (a run takes
    /// two words, a record one).
    init?(_ lines: [Int]) {
        var records: [Int] = [], starts: [Int] = []
        for (r, line) in lines.enumerated() where r == 0 || line != lines[r - 1] + 1 {
            guard records.count < max(1, lines.count / 16) else { return nil }
            records.append(r)
            starts.append(line)
        }
        (firstRecords, firstLines, count) = (records, starts, lines.count)
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
