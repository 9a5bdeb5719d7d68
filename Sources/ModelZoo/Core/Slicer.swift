import Foundation

/// Runs a pass over rows `0..<n` in slices on the cores `Parallel` may use, results in slice order.
struct Slicer {
    /// At most this many slices (one makes the pass sequential).
    let maxParts: Int

    func callAsFunction<T>(_ n: Int, _ body: (Int, Int) -> T) -> [T] {
        // Slices of ≥ 16,384 rows (dispatch costs µs), a few per core so uneven ones balance.
        let parts = max(1, min(maxParts, n / 16384))
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
