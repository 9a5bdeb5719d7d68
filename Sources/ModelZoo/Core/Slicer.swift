import Foundation

/// Runs a pass over rows `0..<n` in slices on the cores `Parallel` may use, results in slice order.
struct Slicer {
    /// At most this many slices (one makes the pass sequential).
    let maxParts: Int

    /// `cellsPerRow` sizes the slices by work: slices of at least 65,536 cells (16,384 rows of four;
    /// dispatch costs µs), a few per core so uneven ones balance. Counting rows alone left the
    /// 4 MB chunks of `zoo predict` on the wide table (4,300 rows of 51 cells) to one core.
    func callAsFunction<T>(_ n: Int, cellsPerRow: Int = 4, _ body: (Int, Int) -> T) -> [T] {
        let parts = max(1, min(maxParts, n * max(1, cellsPerRow) / 65536))
        var results = [T?](repeating: nil, count: parts)
        results.withUnsafeMutableBufferPointer { R in
            Parallel.forEach(parts) { k in R[k] = body(n * k / parts, n * (k + 1) / parts) }
        }
        return results.map { $0! }  // every slice stored its result
    }
}

extension Slicer {
    /// A few slices per core.
    static var cores: Slicer { Slicer(maxParts: 4 * Parallel.maxThreads) }
}
