import Dispatch
import Foundation

/// Data-parallel loops over the machine's cores.
public enum Parallel {
    private static let limit = Locked(ProcessInfo.processInfo.activeProcessorCount)

    /// The most threads a loop runs on at once, process-wide (default: the active cores; at least 1).
    /// `zoo ... --threads N` sets it, so every stage and every model honours the same limit.
    /// Inside `forEachAlone` an iteration has its thread to itself: loops it runs are serial (1).
    public static var maxThreads: Int {
        get { WorkerFlag.isSet ? 1 : limit.withLock { $0 } }
        set { limit.withLock { $0 = max(1, newValue) } }
    }

    /// Runs `body` with the limit set to `threads`, then restores it (tests of thread-count independence).
    public static func withMaxThreads<T>(_ threads: Int, _ body: () throws -> T) rethrows -> T {
        let saved = maxThreads
        maxThreads = threads
        defer { maxThreads = saved }
        return try body()
    }

    /// Runs `body` on a thread of its own (1 MiB of stack), for a stage that overlaps the caller's
    /// work, such as reading the next chunk or writing the previous one. Nobody joins it: `body`
    /// returns when its owner tells it to.
    static func detach(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread(block: body)
        thread.stackSize = 1 << 20
        thread.start()
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

extension Parallel {
    /// `forEach` for coarse iterations that each run alone on one thread (cross-validation fits):
    /// the loops inside an iteration run serially, so at most `maxThreads` threads work in all and an
    /// iteration's result cannot depend on how many threads there are.
    public static func forEachAlone(_ iterations: Int, _ body: (Int) -> Void) {
        forEach(iterations) { i in
            let wasSet = WorkerFlag.isSet
            WorkerFlag.set(true)
            body(i)
            WorkerFlag.set(wasSet)
        }
    }
}

/// A per-thread flag: this thread runs one `forEachAlone` iteration.
enum WorkerFlag {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var isSet: Bool { pthread_getspecific(key) != nil }
    static func set(_ on: Bool) { pthread_setspecific(key, on ? UnsafeRawPointer(bitPattern: 1) : nil) }
}

private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
