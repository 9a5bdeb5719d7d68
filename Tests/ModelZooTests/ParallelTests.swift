import Foundation
import Testing
@testable import ModelZoo

@Suite(.serialized) struct ParallelTests {
    /// Every iteration runs exactly once, whatever the thread limit.
    @Test(arguments: [1, 2, 3, 64])
    func everyIterationOnce(_ threads: Int) {
        let saved = Parallel.maxThreads
        defer { Parallel.maxThreads = saved }
        Parallel.maxThreads = threads
        let hits = Locked([Int](repeating: 0, count: 1000))
        Parallel.forEach(1000) { i in hits.withLock { $0[i] += 1 } }
        #expect(hits.withLock { $0 } == [Int](repeating: 1, count: 1000))
    }

    /// One thread: the iterations run in order on the calling thread (`--threads 1` uses one core).
    @Test func oneThreadRunsInOrderOnTheCaller() {
        let saved = Parallel.maxThreads
        defer { Parallel.maxThreads = saved }
        Parallel.maxThreads = 1
        let caller = pthread_self()
        var order: [Int] = []
        var elsewhere = 0
        Parallel.forEach(100) { i in
            order.append(i)
            if pthread_equal(pthread_self(), caller) == 0 { elsewhere += 1 }
        }
        #expect(order == Array(0..<100))
        #expect(elsewhere == 0)
        Parallel.maxThreads = 0
        #expect(Parallel.maxThreads == 1)  // never below one
    }
}
