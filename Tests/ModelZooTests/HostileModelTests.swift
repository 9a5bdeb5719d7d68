import Foundation
import Testing
@testable import ModelZoo
import TestScratch

/// Model files whose framing and checksums are valid but whose values are hostile (issue 12), and
/// the output paths `-o` must not destroy. Each test names the row of docs/hostile-models.md it covers.
@Suite struct HostileModelTests {
    /// `sampleFile()` with its META JSON changed by `edit`, re-framed with valid checksums.
    static func withMeta(_ edit: (inout [String: JSONValue]) -> Void) throws -> [UInt8] {
        let (meta, raw) = try NNMFile.parts(try sampleFile().encode())
        guard case .object(var o) = try JSONValue.parse(meta) else { throw ZooError.invalidInput("META") }
        edit(&o)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return try NNMFile.assemble(meta: Array(try enc.encode(JSONValue.object(o))), rawTensors: raw)
    }

    /// `sampleFile()` with META text replaced through `edit` (for JSON no encoder would write).
    static func withMetaText(_ edit: (String) -> String) throws -> [UInt8] {
        let (meta, raw) = try NNMFile.parts(try sampleFile().encode())
        return try NNMFile.assemble(meta: Array(edit(String(decoding: meta, as: UTF8.self)).utf8), rawTensors: raw)
    }

    static func setSexColumn(_ o: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        guard case .object(var schema)? = o["schema"], case .array(var cols)? = schema["columns"], case .object(var sex) = cols[0] else {
            return
        }
        sex[key] = value
        cols[0] = .object(sex)
        schema["columns"] = .array(cols)
        o["schema"] = .object(schema)
    }

    // MARK: categorical imputation and levels (encoder's Int(Double) trap; silently wrong encodings)

    @Test func categoricalImputeMustBeALevelIndex() throws {
        for bad: Double in [1e300, -1, 2, 0.5, 1.5, -1e300] {
            let bytes = try Self.withMeta { Self.setSexColumn(&$0, "impute", .double(bad)) }
            guard case .invalidMetadata(let m)? = decodeError(bytes) else {
                Issue.record("impute \(bad) accepted")
                continue
            }
            #expect(m.contains("'Sex'") && m.contains("impute"), "\(m)")
        }
        let ok = try Self.withMeta { Self.setSexColumn(&$0, "impute", .int(1)) }
        #expect(try NNMFile.decode(ok).metadata.schema.columns[0].impute == 1)
    }

    @Test func unsortedLevelsAreRefused() throws {
        let bytes = try Self.withMeta { Self.setSexColumn(&$0, "levels", .array([.string("Male"), .string("Female")])) }
        guard case .invalidMetadata(let m)? = decodeError(bytes) else { Issue.record("unsorted levels accepted"); return }
        #expect(m.contains("'Sex'") && m.contains("not sorted"))
    }

    // MARK: META JSON: depth, duplicate keys, linear time

    @Test func deeplyNestedMetaIsRefusedQuickly() throws {
        // 12 arrays 505 deep in `extras` (issue 12: 20 s in `list` before).
        let deep = String(repeating: "[", count: 505) + String(repeating: "]", count: 505)
        let bytes = try Self.withMetaText {
            $0.replacingOccurrences(
                of: "\"extras\":{}", with: "\"extras\":{" + (0..<12).map { "\"a\($0)\":\(deep)" }.joined(separator: ",") + "}")
        }
        let start = Date()
        guard case .invalidMetadata(let m)? = decodeError(bytes) else { Issue.record("deep META accepted"); return }
        #expect(m.contains("deeper than 64"))
        #expect(Date().timeIntervalSince(start) < 2)
        // Nesting within the cap is fine, and a META full of it decodes in linear time.
        let ok = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        let many = try Self.withMetaText {
            $0.replacingOccurrences(
                of: "\"extras\":{}", with: "\"extras\":{" + (0..<5000).map { "\"a\($0)\":\(ok)" }.joined(separator: ",") + "}")
        }
        let t0 = Date()
        #expect(try NNMFile.decode(many).metadata.extras.count == 5000)
        #expect(Date().timeIntervalSince(t0) < 10)
    }

    @Test func duplicateKeysAreRefusedByName() throws {
        let bytes = try Self.withMetaText { "{\"summary\":\"first\"," + $0.dropFirst() }
        guard case .invalidMetadata(let m)? = decodeError(bytes) else { Issue.record("duplicate key accepted"); return }
        #expect(m.contains("duplicate key 'summary'"))
    }

    @Test func jsonParserIsStrict() throws {
        #expect(
            try JSONValue.parse(Array(#" {"a":[1,-2.5e3,true,false,null,"x\u00e9\ud83d\ude00\n\/"],"b":{}} "#.utf8))
                == .object([
                    "a": .array([.int(1), .double(-2500), .bool(true), .bool(false), .null, .string("xé😀\n/")]), "b": .object([:]),
                ]))
        #expect(try JSONValue.parse(Array("92.90924000000001".utf8)) == .double(92.90924000000001))
        #expect(try JSONValue.parse(Array("99999999999999999999".utf8)) == .double(1e20))
        for bad in [
            "", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e400", "\"\u{01}\"", "\"\\ud800\"", "[1] x", "{a:1}", "nul", "\"\\x\"", "[",
            "{\"a\" 1}",
        ] {
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
        }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }

    // MARK: memory: declared sizes, ratio, magic first

    @Test func junkDeclaringAHugeSizeFailsWithoutFillingIt() throws {
        var g = SplitMix64(seed: 4)
        let junk = [UInt8](unsafeUninitializedCapacity: 1 << 20) { b, n in
            for i in 0..<b.count { b[i] = UInt8(truncatingIfNeeded: g.next()) }
            n = b.count
        }
        // A valid zlib header on junk: inflation stops at the first bad block, long before 1 GiB.
        let start = Date()
        #expect(throws: NNMError.self) { try junk.withUnsafeBytes { try Zlib.decompress($0, rawLength: 1 << 30, what: "x") } }
        #expect(throws: NNMError.self) {
            try ([0x78, 0x9C] + junk).withUnsafeBytes { try Zlib.decompress($0, rawLength: 1 << 30, what: "x") }
        }
        #expect(Date().timeIntervalSince(start) < 5)
        // A real stream still inflates exactly, also when the output grows many times.
        let raw = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 * 7 / 1000) }
        let packed = try Zlib.compress(raw)
        #expect(try packed.withUnsafeBytes { try Zlib.decompress($0, rawLength: raw.count, what: "x") } == raw)
        #expect(throws: NNMError.self) { try packed.withUnsafeBytes { try Zlib.decompress($0, rawLength: raw.count - 1, what: "x") } }
        #expect(throws: NNMError.self) { try packed.withUnsafeBytes { try Zlib.decompress($0, rawLength: raw.count + 1, what: "x") } }
        #expect(throws: NNMError.self) {
            try packed.dropLast(9).withUnsafeBytes { try Zlib.decompress($0, rawLength: raw.count, what: "x") }
        }
    }

    @Test func inflateRatioIsCappedAndTheWriterStaysWithinIt() throws {
        // 8 MiB of zeros compresses ~1000:1: over the reader's 64:1 + 1 MiB, so the writer stores it as is.
        var f = try sampleFile()
        f.tensors = try TensorBundle(f.tensors.tensors + [Tensor("zeros", [Double](repeating: 0, count: 1 << 20))])
        let bytes = try f.encode()
        #expect(bytes.count > 8 << 20)
        #expect(try NNMFile.decode(bytes) == f)
        // The same payload framed compressed (as a hostile writer would) is refused before inflating.
        let (meta, raw) = try NNMFile.parts(bytes)
        let packed = try Zlib.compress(raw)
        var hostile = try NNMFile.assemble(meta: meta, rawTensors: [])
        // Re-frame by hand: TNSR entry 1 at 16 + 40; stored/raw lengths, CRC, then the packed bytes.
        hostile.removeLast(hostile.count - (20 + 80 + meta.count))
        hostile += packed
        patch(&hostile, at: 16 + 40 + 16, UInt64(packed.count), fixHeaderCRC: false)
        patch(&hostile, at: 16 + 40 + 24, UInt64(raw.count), fixHeaderCRC: false)
        patch(&hostile, at: 16 + 40 + 32, Zlib.crc32(packed))
        guard case .tooLarge(let what, _, _)? = decodeError(hostile) else { Issue.record("ratio bomb accepted"); return }
        #expect(what.contains("64×"))
    }

    func tempDir() throws -> URL {
        let d = Scratch.unique("hostile")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    @Test func magicIsCheckedBeforeReadingTheFile() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        // A sparse 3 GiB non-model: refused after reading its header, not 3 GiB.
        let path = dir.appendingPathComponent("big.nnm").path
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        #expect(ftruncate(fd, 3 << 30) == 0)
        close(fd)
        let start = Date()
        #expect(throws: NNMError.notNNM) { try NNMFile.read(path: path) }
        #expect(throws: NNMError.notNNM) { try NNMFile.readMetadata(path: path) }
        #expect(Date().timeIntervalSince(start) < 2)
    }

    /// Runs `body` on another thread; records an issue (and returns nil) if it takes over `seconds`.
    func withTimeout<T: Sendable>(_ seconds: Double, unblock: () -> Void, _ body: @escaping @Sendable () -> T) -> T? {
        let done = DispatchSemaphore(value: 0)
        let box = Locked<T?>(nil)
        Thread.detachNewThread {
            let v = body()
            box.withLock { $0 = v }
            done.signal()
        }
        if done.wait(timeout: .now() + seconds) == .timedOut {
            Issue.record("blocked for over \(seconds) s")
            unblock()
            _ = done.wait(timeout: .now() + 5)
            return nil
        }
        return box.withLock { $0 }
    }

    @Test func aFIFONamedLikeAModelIsRefusedWithoutBlocking() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("x.nnm").path
        #expect(mkfifo(path, 0o644) == 0)
        let unblock = {
            let fd = open(path, O_WRONLY | O_NONBLOCK); if fd >= 0 { close(fd) }
        }
        let read = withTimeout(5, unblock: unblock) { () -> String in
            do { _ = try NNMFile.read(path: path); return "loaded" } catch { return "\(error)" }
        }
        #expect(read?.contains("FIFO") == true, "\(read ?? "")")
        let meta = withTimeout(5, unblock: unblock) { () -> String in
            do { _ = try NNMFile.readMetadata(path: path); return "loaded" } catch { return "\(error)" }
        }
        #expect(meta?.contains("FIFO") == true, "\(meta ?? "")")
        #expect(throws: NNMError.io(path: "/dev/null", message: "is a device, not a model file")) { try NNMFile.read(path: "/dev/null") }
        #expect(throws: NNMError.io(path: dir.path, message: "is a directory")) { try NNMFile.read(path: dir.path) }
    }

    // MARK: -o: never replace what is not a regular file

    @Test func outputIntoACharacterDeviceWritesInPlace() throws {
        try AtomicFile.write(Array("discarded".utf8), to: "/dev/null")
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
    }

    @Test func outputRefusesFIFOsAndDirectories() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("out.csv").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let message = withTimeout(
            5,
            unblock: {
                let fd = open(fifo, O_RDONLY | O_NONBLOCK); if fd >= 0 { close(fd) }
            }
        ) { () -> String in
            do { try AtomicFile.write([1], to: fifo); return "written" } catch { return "\(error)" }
        }
        #expect(message?.contains("FIFO") == true, "\(message ?? "")")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
        #expect(throws: ZooError.self) { try AtomicFile.write([1], to: dir.path) }
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["out.csv"])
    }

    /// A temporary left by a writer that was killed (its process is gone) is removed when the same
    /// output is written again; a live process's temporary and other files stay.
    @Test func staleTemporariesOfTheSameOutputAreRemoved() throws {
        let dir = Scratch.unique("zoo-stale").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let done = Process()
        done.executableURL = URL(fileURLWithPath: "/bin/true")
        try done.run()
        done.waitUntilExit()
        let dead = done.processIdentifier
        let stale = ".out.csv.tmp-\(dead)-1", live = ".out.csv.tmp-\(getpid())-999", other = ".other.csv.tmp-\(dead)-1"
        for name in [stale, live, other, ".out.csv.tmp-notes"] {
            FileManager.default.createFile(atPath: dir + "/" + name, contents: Data([1]))
        }
        try AtomicFile.write(Array("a\n".utf8), to: dir + "/out.csv")
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        #expect(left == [live, other, ".out.csv.tmp-notes", "out.csv"])
    }

    @Test func outputFollowsSymlinksAndKeepsPermissions() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("real.csv").path
        let link = dir.appendingPathComponent("link.csv").path
        try AtomicFile.write(Array("old".utf8), to: target)
        #expect(chmod(target, 0o600) == 0)
        #expect(symlink("real.csv", link) == 0)
        try AtomicFile.write(Array("new".utf8), to: link)
        var st = stat()
        #expect(lstat(link, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK, "the link stays a link")
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: target)), as: UTF8.self) == "new")
        #expect(stat(target, &st) == 0 && st.st_mode & 0o777 == 0o600, "permissions kept")
        // A dangling link creates its target.
        let dangling = dir.appendingPathComponent("dangling.csv").path
        #expect(symlink("made.csv", dangling) == 0)
        try AtomicFile.write(Array("made".utf8), to: dangling)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("made.csv").path))
        #expect(lstat(dangling, &st) == 0 && st.st_mode & S_IFMT == S_IFLNK)
    }

    @Test func longOutputNamesFit() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let name = String(repeating: "n", count: 250) + ".csv"
        try AtomicFile.write([1, 2], to: dir.appendingPathComponent(name).path)
        #expect((try FileManager.default.contentsOfDirectory(atPath: dir.path)) == [name])
    }

    // MARK: terminal

    @Test func fileStringsAreEscapedForTheTerminal() {
        #expect("\u{1B}[31mred\u{7}".escapedForTerminal == "\\u{1B}[31mred\\u{7}")
        #expect("a\nb\tc\r".escapedForTerminal == "a\\nb\\tc\\r")
        #expect("\u{9B}2J \u{202E}txt".escapedForTerminal == "\\u{9B}2J \\u{202E}txt")
        #expect("Height(Inches) é 中 😀".escapedForTerminal == "Height(Inches) é 中 😀")
    }

    // MARK: report charts (issue 12: endless tick loops, Int(Double) traps)

    @Test func ticksAlwaysEnd() {
        let cases: [(Double, Double)] = [
            (1e18, 1e18 + 128), (5e-324, 1e-323), (0, 5e-324), (-1e308, 1e308), (0, .greatestFiniteMagnitude),
            (1, 1), (3, 2), (0, 1), (-0.5, 30), (1e300, 1.0000001e300),
        ]
        for (lo, hi) in cases {
            let t = SVGChart.ticks(lo, hi)
            #expect(!t.isEmpty && t.count <= 20, "\(lo)...\(hi): \(t)")
            #expect(t.allSatisfy { $0.isFinite })
        }
        #expect(SVGChart.ticks(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        #expect(SVGChart.ticks(.nan, 1).isEmpty && SVGChart.ticks(0, .infinity).isEmpty)
    }

    @Test func chartsRenderExtremeValues() {
        for loss: [Double] in [[5e-324], [1e308], [.greatestFiniteMagnitude, 5e-324], [.nan, .infinity, -1, 0], []] {
            let s = SVGChart.lines(title: "t", yLabel: "y", series: [("loss", loss)])
            #expect(s.hasSuffix("</svg>") && s.count < 20_000)
        }
        for values: [Double] in [
            [0, 1, 2, 1e300], [1e18, 1e18 + 128], [-.infinity, .infinity, .nan, 1], [.nan], [-1e308, 1e308],
            (0..<1000).map(Double.init) + [1e308],
        ] {
            let h = SVGChart.histogram(title: "r", xLabel: "x", values: values)
            #expect(h.hasSuffix("</svg>") && h.count < 50_000)
            #expect(!h.contains("=\"nan\"") && !h.contains("=\"inf\""))
            let sc = SVGChart.scatter(title: "s", unit: "u", actual: values, predicted: values.reversed())
            #expect(sc.hasSuffix("</svg>"))
        }
        let b = SVGChart.bars(
            title: "imp", xLabel: "x",
            items: [("neg", -1), ("huge", 1e300), ("nan", .nan), ("max", .greatestFiniteMagnitude), ("inf", .infinity)])
        #expect(b.hasSuffix("</svg>") && !b.contains("width=\"nan\"") && !b.contains("width=\"inf\""))
    }
}

/// The encoder never converts an imputed level it has not range-checked as a Double, also for a
/// schema that did not come through a file's validation.
@Suite struct HostileImputeEncoderTests {
    @Test func anUnvalidatedHugeImputeIsAMissingValueNotATrap() throws {
        for bad: Double in [1e300, .nan, -1, 2] {
            let schema = FeatureSchema(
                columns: [FeatureColumn(name: "Sex", kind: .categorical, impute: bad, levels: ["Female", "Male"])],
                target: "y", targetScaler: .identity)
            let table = try CSVTable.parse(Array("Sex,Age\n,1\nMale,2\n".utf8))
            let encoder = try FeatureEncoder(schema: schema, header: table.header)
            let (x, rows) = encoder.encodeAll(table)
            #expect(rows.count == x.rows)
            var mismatches = CaseMismatches()
            var out = [Double](repeating: 0, count: encoder.width)
            #expect(encoder.encode(table, row: 0, into: &out, caseMismatches: &mismatches) == .missing(column: "Sex"))
        }
    }
}
