import Dispatch
import Foundation

/// Data-parallel loops over the machine's cores.
public enum Parallel {
    private static let limit = Locked(ProcessInfo.processInfo.activeProcessorCount)

    /// The most threads a loop runs on at once, process-wide (default: the active cores; at least 1).
    /// `zoo ... --threads N` sets it, so every stage and every model honours the same limit.
    public static var maxThreads: Int {
        get { limit.withLock { $0 } }
        set { limit.withLock { $0 = max(1, newValue) } }
    }

    /// Runs `body` with the limit set to `threads`, then restores it (tests of thread-count independence).
    public static func withMaxThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let saved = maxThreads
        maxThreads = threads
        defer { maxThreads = saved }
        return try body()
    }

    /// Runs `body(i)` for every `i` in `0..<iterations`, spread over the cores, and returns when all
    /// are done. The caller guarantees the iterations touch disjoint memory (that is why `body` need
    /// not be `@Sendable`). Give each iteration ≥ ~100 µs of work: dispatch costs a few µs.
    public static func forEach(_ iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1 else {
            if iterations == 1 { body(0) }
            return
        }
        let threads = maxThreads
        if threads == 1 {
            for i in 0..<iterations { body(i) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            if threads >= ProcessInfo.processInfo.activeProcessorCount {
                DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
            } else {
                // Fewer threads than cores: that many workers, each taking every `workers`-th iteration.
                let workers = min(threads, iterations)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var i = w
                    while i < iterations { box.value(i); i += workers }
                }
            }
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
