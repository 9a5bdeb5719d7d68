import Foundation
import Testing
@testable import ModelZoo

/// Whole-input reading for training: streams read to their end, gzip by its bytes, and a cap on both.
@Suite struct CSVInputTests {
    /// A pipe holding `bytes`, its write end closed; read through `/dev/fd/N` like a process substitution.
    func pipePath(_ bytes: [UInt8]) -> (path: String, pipe: Pipe) {
        let pipe = Pipe()
        pipe.fileHandleForWriting.write(Data(bytes))
        try? pipe.fileHandleForWriting.close()
        return ("/dev/fd/\(pipe.fileHandleForReading.fileDescriptor)", pipe)
    }

    @Test func aPipeIsReadToItsEnd() throws {
        let text = Array("a,b\n1,2\n".utf8)
        let (path, pipe) = pipePath(text)
        #expect(try CSVInputBytes.read(path: path) == text)
        _ = pipe
    }

    @Test func aStreamOverTheCapIsAnErrorNotAnAllocation() throws {
        let (path, pipe) = pipePath([UInt8](repeating: UInt8(ascii: "x"), count: 3000))
        #expect(throws: ZooError.invalidInput("\(path) is over 1000 bytes; training reads the whole input (prediction streams any size)")) {
            try CSVInputBytes.read(path: path, maxBytes: 1000)
        }
        _ = pipe
    }

    @Test func gzipIsDecompressedAndCapped() throws {
        let text = Array(String(repeating: "a,b\n1,2\n", count: 500).utf8)
        let gz = try GzipSink.member(text, level: 1)
        #expect(try CSVInputBytes.gunzip(gz, name: "x", maxBytes: 1 << 20) == text)
        #expect(throws: ZooError.invalidInput("x is over 100 bytes; training reads the whole input (prediction streams any size)")) {
            try CSVInputBytes.gunzip(gz, name: "x", maxBytes: 100)
        }
    }

    @Test func limitsAreShownRoundedUp() {
        #expect(CSVInputBytes.limitText(CSVInputBytes.defaultLimit) == "2 GiB")
        #expect(CSVInputBytes.limitText(5 << 20) == "5 MiB")
    }
}
