import Foundation

/// Writes to another sink on a thread of its own, one batch of parts behind the caller, so that a
/// chunk's output goes to the file while the next chunk is encoded, predicted and formatted.
/// Writing 1 GB of predictions cost ~0.6 s of system time on the predicting thread before
/// (`zoo predict`, 1,000,000 rows of the 51-column wide table). Order is kept; a write error is
/// thrown by the next `write` or by `finish`.
final class BackgroundSink: @unchecked Sendable {
    private let base: OutputSink
    private let condition = NSCondition()
    private var pending: [[UInt8]]?
    private var writing = false
    private var failure: Error?
    private var closed = false

    init(_ base: OutputSink) {
        self.base = base
        Parallel.detach { [self] in drain() }
    }

    /// Hands `parts` to the writer, after the previous batch has been taken.
    func write(parts: [[UInt8]]) throws {
        condition.lock()
        defer { condition.unlock() }
        while pending != nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        pending = parts
        condition.broadcast()
    }

    /// Waits until everything handed over is written and stops the thread; throws the first write error.
    func finish() throws {
        condition.lock()
        defer { condition.unlock() }
        closed = true
        condition.broadcast()
        while (pending != nil || writing) && failure == nil { condition.wait() }
        if let failure { throw failure }
    }

    private func drain() {
        condition.lock()
        while true {
            while pending == nil && !closed { condition.wait() }
            guard let parts = pending, failure == nil else { break }
            pending = nil
            writing = true
            condition.broadcast()
            condition.unlock()
            let result = Result { try base.write(parts: parts) }
            condition.lock()
            writing = false
            if case .failure(let error) = result { failure = error }
            condition.broadcast()
        }
        pending = nil
        condition.broadcast()
        condition.unlock()
    }
}
