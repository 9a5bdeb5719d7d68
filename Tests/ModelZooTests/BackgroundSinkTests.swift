import Foundation
import Testing

@testable import ModelZoo
import TestScratch

/// A sink that records what reaches it, slowly, and can be told to fail.
private final class RecordingSink: OutputSink, @unchecked Sendable {
    let written = Locked<[[UInt8]]>([])
    let failAt: Int?
    init(failAt: Int? = nil) { self.failAt = failAt }
    func write(_ bytes: [UInt8]) throws {
        usleep(200)
        if written.withLock({ $0.count }) == failAt { throw ZooError.io(path: "test", message: "disk full") }
        written.withLock { $0.append(bytes) }
    }
    func commit() throws {}
    func abandon() {}
}

@Suite struct BackgroundSinkTests {
    @Test func everyPartArrivesInOrderBeforeFinishReturns() throws {
        let base = RecordingSink(), sink = BackgroundSink(base)
        for batch in 0..<50 { try sink.write(parts: (0..<4).map { [UInt8(batch), UInt8($0)] }) }
        try sink.finish()
        let expected = (0..<50).flatMap { batch in (0..<4).map { [UInt8(batch), UInt8($0)] } }
        #expect(base.written.withLock { $0 } == expected)
    }

    @Test func aWriteErrorIsThrownByALaterWriteOrByFinishAndNothingIsWrittenAfterIt() throws {
        let base = RecordingSink(failAt: 3), sink = BackgroundSink(base)
        var thrown: Error?
        do {
            for batch in 0..<20 { try sink.write(parts: [[UInt8(batch)]]) }
            try sink.finish()
        } catch { thrown = error }
        #expect("\(thrown.map { "\($0)" } ?? "nothing")".contains("disk full"))
        #expect(throws: ZooError.self) { try sink.finish() }
        #expect(base.written.withLock { $0 } == [[0], [1], [2]])
    }

    @Test func largeAndSmallPiecesOfAnAtomicOutputKeepTheirOrder() throws {
        let path = Scratch.unique("pieces", suffix: ".txt").path
        defer { unlink(path) }
        let out = try AtomicOutput(path: path)
        let pieces: [[UInt8]] = [
            Array("head\n".utf8), [UInt8](repeating: 65, count: 200_000), Array("mid\n".utf8),
            [UInt8](repeating: 66, count: 9 << 20), Array("tail\n".utf8),
        ]
        try out.write(parts: pieces)
        try out.commit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == Data(pieces.flatMap { $0 }))
    }
}
