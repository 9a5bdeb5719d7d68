import CZooKernels
import Foundation
import Testing
@testable import ModelZoo
import TestScratch

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

    /// Files of 32 MiB and more are read in pieces on the cores (pread at each piece's offset).
    @Test func aLargeFileIsReadWholeInPieces() throws {
        var g = SplitMix64(seed: 31)
        let words = (0..<(5 << 20) + 3).map { _ in g.next() }
        var bytes = words.withUnsafeBytes { Array($0) }
        bytes.removeLast(5)  // not a multiple of the piece count
        let file = Scratch.unique("large", suffix: ".bin")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(bytes).write(to: file)
        #expect(bytes.count > 40 << 20)
        #expect(try FileBytes.read(file.path, maxSize: .max) == bytes)
    }

    @Test func limitsAreShownRoundedUp() {
        #expect(CSVInputBytes.limitText(CSVInputBytes.defaultLimit) == "2 GiB")
        #expect(CSVInputBytes.limitText(5 << 20) == "5 MiB")
    }
}

/// Memory bounded by the bytes read, not by column count × line count; header checks linear; blank
/// runs of any length streamed (issue 12).
@Suite struct CSVResourceTests {
    func header(_ columns: Int) -> String { (0..<columns).map { "c\($0)" }.joined(separator: ",") }

    @Test func manyColumnsAndMillionsOfBlankLinesReserveByBytes() throws {
        let row = Array(repeating: "1", count: 2000).joined(separator: ",")
        var text = header(2000) + "\n"
        for _ in 0..<10 { text += row + "\n" }
        let bytes = Array(text.utf8) + [UInt8](repeating: 10, count: 5_000_000)
        let (names, scanner, offset) = try CSVTable.parseHeader(bytes, options: CSVOptions(), isFinal: true, source: "x")
        let records = try CSVTable.parallelScan(bytes, from: offset, line: scanner.line, parts: 4, options: CSVOptions(), header: names)
        #expect(records?.count == 10)
        #expect(records.map { $0.starts.capacity <= bytes.count + 4 * 2000 } == true)  // cells, not 5 M lines × 2,000
        #expect(CSVRecords.maxRecords(bytes: 4 << 20, lines: 1 << 17, columns: 50_000) == 84)
    }

    /// Streamed chunks without quotes are scanned by `zoo_scan_plain` up to their last line feed,
    /// the rest by CSVScanner: at any chunk size, with mixed line ends, blank lines and quoted
    /// fields now and then, the rows, their lines and their cells equal the whole-input scan's.
    @Test func streamedChunksReadAsTheWholeInput() throws {
        var g = SplitMix64(seed: 29)
        let ends = ["\n", "\r\n", "\r", "\n\n", " \r\n"]
        for round in 0..<40 {
            var text = "a,b,c\n"
            for r in 0..<g.below(60) {
                let b = g.below(30) == 0 ? "\"q,\nx\"" : "x\(r)"  // a quoted field with a line feed inside
                text += " \(g.below(100)),\(b) ,\(g.below(2) == 0 ? "\\N" : "7.5")" + ends[g.below(ends.count)]
            }
            if round % 2 == 0 { text += "9,end,1" }  // a last record without a line end
            let file = Scratch.unique("chunks", suffix: ".csv")
            defer { try? FileManager.default.removeItem(at: file) }
            try Data(text.utf8).write(to: file)
            var options = CSVOptions()
            options.nullToken = "\\N"
            let whole = try CSVTable.parse(Array(text.utf8), options: options, source: "x", parallel: false)
            let expected = (0..<whole.rowCount).map { r in "\(whole.line(r)):" + (0..<3).map { whole.text(r, $0) }.joined(separator: "|") }
            let reader = ChunkReader(
                input: try InputSource(path: file.path), options: options, chunkSize: 1 + g.below(60), maxRecordBytes: 1 << 20)
            _ = try reader.readHeader()
            var rows: [String] = []
            while let t = try reader.next() {
                rows += (0..<t.rowCount).map { r in "\(t.line(r)):" + (0..<3).map { t.text(r, $0) }.joined(separator: "|") }
            }
            #expect(rows == expected, "\(text.debugDescription)")
        }
    }

    @Test func byteCountsEqualANaiveCountAtEveryLength() {
        var g = SplitMix64(seed: 17)
        let alphabet: [UInt8] = [10, 13, 34, 65, 32, 9]
        let bytes = (0..<1100).map { _ in alphabet[Int(g.next() % 6)] }
        for n in [0, 1, 2, 254, 255, 256, 509, 510, 511, 1100] {
            let p = bytes[..<n]
            var counts = [Int64](repeating: -1, count: 5)
            zoo_count_bytes(bytes, Int64(n), &counts)
            let pairs = n < 2 ? 0 : (0..<(n - 1)).count { p[$0] == 13 && p[$0 + 1] == 10 }
            let expected = [p.count { $0 == 34 }, p.count { $0 == 10 }, p.count { $0 == 13 }, pairs, p.count { $0 == 32 || $0 == 9 }]
            #expect(counts == expected.map(Int64.init), "n \(n)")
        }
    }

    @Test func aWideHeaderIsCheckedInLinearTime() throws {
        let bytes = Array((header(100_000) + ",c7\n").utf8)
        let clock = ContinuousClock(), start = clock.now
        #expect(throws: ZooError.csv(line: 1, column: "c7", message: "duplicate column name (columns 8 and 100001)")) {
            try CSVTable.parse(bytes)
        }
        #expect(clock.now - start < .seconds(10))
    }

    @Test func blankRunsLongerThanAChunkAreStreamedAndCounted() throws {
        let file = Scratch.unique("blank", suffix: ".csv")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data(("a,b\n1,2\n" + String(repeating: "\n", count: 10_000) + "3,4\n\n\n5,6\n").utf8).write(to: file)
        let reader = ChunkReader(input: try InputSource(path: file.path), options: CSVOptions(), chunkSize: 64, maxRecordBytes: 1024)
        #expect(try reader.readHeader() == ["a", "b"])
        var lines: [Int] = []
        while let table = try reader.next() { lines += (0..<table.rowCount).map(table.line) }
        #expect(lines == [2, 10_003, 10_006])
    }
}
