import Foundation
import Testing

/// How every command that reads a CSV takes its input (gzip, stdin, FIFOs) and what it says about
/// data it cannot train on: golden error texts with exit code 1.
@Suite(.serialized) struct CSVInputCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ text: String, _ name: String) throws -> String {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
        return path(name)
    }

    func generated(rows: Int = 200) throws -> String {
        let csv = path("gen.csv")
        #expect(try Zoo.run(["data", "generate", "--rows", "\(rows)", "--seed", "3", "-o", csv]).status == 0)
        return csv
    }

    func gzipped(_ file: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        p.arguments = ["-c", file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }

    func train(_ data: String, stdin: Data? = nil, _ extra: [String] = []) throws -> Zoo.Result {
        try Zoo.run(["train", "linear", "--data", data, "--target", "BMI", "--out", path("m.nnm")] + extra, stdin: stdin)
    }

    @Test func everyCommandReadsGzipByItsBytes() throws {
        let csv = try generated()
        let gz = path("data.bin")  // no .gz in the name: recognised by its bytes
        try gzipped(csv).write(to: URL(fileURLWithPath: gz))
        let t = try train(gz)
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("200 rows read"))
        let c = try Zoo.run(["compare", path("m.nnm"), "--data", gz])
        #expect(c.status == 0, "\(c.stderr)")
        let r = try Zoo.run(["report", path("m.nnm"), "--data", gz, "-o", path("r.html")])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func trainReadsStandardInputAsDashDevStdinOrGzip() throws {
        let csv = try generated()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: csv))
        for (name, input) in [("-", bytes), ("/dev/stdin", bytes), ("-", try gzipped(csv)), ("/dev/stdin", try gzipped(csv))] {
            let t = try train(name, stdin: input)
            #expect(t.status == 0, "\(name): \(t.stderr)")
            #expect(t.stdout.contains("data: \(name): 200 rows read"))
        }
    }

    @Test func trainReadsAFIFO() throws {
        let csv = try generated()
        let fifo = path("fifo.csv")
        #expect(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            if let h = FileHandle(forWritingAtPath: fifo) {
                h.write((try? Data(contentsOf: URL(fileURLWithPath: csv))) ?? Data())
                try? h.close()
            }
        }
        writer.start()
        let t = try train(fifo)
        #expect(t.status == 0, "\(t.stderr)")
        #expect(t.stdout.contains("200 rows read"))
    }

    @Test func aTruncatedGzipIsAnError() throws {
        let csv = try generated()
        let gz = try gzipped(csv)
        try gz.prefix(gz.count / 2).write(to: URL(fileURLWithPath: path("cut.csv.gz")))
        let t = try train(path("cut.csv.gz"))
        #expect(t.status == 1)
        #expect(t.stderr == "error: \(path("cut.csv.gz")): gzip data ends before its end marker (truncated file?)\n")
    }
}
