import Dispatch

/// Data-parallel loops over the machine's cores.
public enum Parallel {
    /// Runs `body(i)` for every `i` in `0..<iterations`, spread over the cores, and returns when all
    /// are done. The caller guarantees the iterations touch disjoint memory (that is why `body` need
    /// not be `@Sendable`). Give each iteration ≥ ~100 µs of work: dispatch costs a few µs.
    public static func forEach(_ iterations: Int, _ body: (Int) -> Void) {
        guard iterations > 1 else {
            if iterations == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { escapable in
            let box = UncheckedSendable(value: escapable)
            DispatchQueue.concurrentPerform(iterations: iterations) { box.value($0) }
        }
    }
}

private struct UncheckedSendable<T>: @unchecked Sendable { let value: T }
