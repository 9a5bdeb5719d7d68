import Foundation

/// Runs a `ChunkReader` one chunk ahead on a background thread.
final class Pipeline: @unchecked Sendable {
    private let reader: ChunkReader
    private let condition = NSCondition()
    private var ready: [(Result<CSVTable?, Error>, consumed: Int)] = []
    /// Input bytes consumed up to the last table handed out (for progress).
    private(set) var bytesConsumed = 0
    private var stopped = false
    private var finished = false

    init(_ reader: ChunkReader) {
        self.reader = reader
        Parallel.detach { [self] in produce() }
    }

    private func produce() {
        while true {
            let item: Result<CSVTable?, Error>
            do { item = .success(try reader.next()) } catch { item = .failure(error) }
            let consumed = reader.input.consumed  // read on this thread, the only one reading input
            condition.lock()
            while ready.count >= 1 && !stopped { condition.wait() }
            if stopped { condition.unlock(); return }
            ready.append((item, consumed))
            condition.broadcast()
            condition.unlock()
            if case .success(let t) = item, t != nil { continue }
            return
        }
    }

    /// The next table (nil at the end); rethrows the reader's errors.
    func next() throws -> CSVTable? {
        condition.lock()
        defer { condition.unlock() }
        if finished { return nil }
        while ready.isEmpty { condition.wait() }
        let (item, consumed) = ready.removeFirst()
        bytesConsumed = consumed
        condition.broadcast()
        switch item {
        case .success(let t):
            if t == nil { finished = true }
            return t
        case .failure(let e):
            finished = true
            throw e
        }
    }

    /// Lets the producer exit (after an error downstream).
    func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }
}
