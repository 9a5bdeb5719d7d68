import Foundation
import Testing

/// Configurations whose memory is known before training are refused up front with the estimate and
/// the limit (exit 1, no file), instead of being killed by the allocator half way.
@Suite(.serialized) struct ResourceLimitCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func refused(_ args: [String]) throws -> String {
        let r = try Zoo.run(["train"] + args + ["--out", path("m.nnm"), "-q"])
        #expect(r.status == 1)
        #expect(!FileManager.default.fileExists(atPath: path("m.nnm")))
        return r.stderr
    }

    @Test func oversizedForestsAndNetworksAreRefusedBeforeFitting() throws {
        #expect(try Zoo.run(["data", "generate", "--rows", "5000", "--seed", "2", "-o", path("d.csv")]).status == 0)
        let data = ["--data", path("d.csv"), "--target", "BMI", "--memory-limit", "1GB"]
        let forest = try refused(["forest"] + data + ["-p", "trees=10000"])
        #expect(forest.hasPrefix("error: fitting forest on 4000 rows × 4 inputs with these hyperparameters would need about "))
        #expect(forest.hasSuffix(" GB, over the memory limit of 1.0 GB (--memory-limit; by default 80% of this machine's memory)\n"))
        let mlp = try refused(["mlp"] + data + ["-p", "hidden=4096,4096,4096,4096"])
        #expect(mlp.hasPrefix("error: fitting mlp on 4000 rows × 4 inputs with these hyperparameters would need about "))
        // The same forest within the limit trains.
        let ok = try Zoo.run(["train", "forest"] + data + ["-p", "trees=3", "--out", path("ok.nnm"), "-q"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// A CSV whose parsed table would not fit is refused before the numbers are parsed: 200,000
    /// rows × 5 columns hold 1,000,000 cells, at least 8 MB of parsed doubles on top of the bytes.
    @Test func aTrainingFileTooLargeForTheLimitIsRefusedBeforeParsing() throws {
        #expect(try Zoo.run(["data", "generate", "--rows", "200000", "--seed", "2", "-o", path("big.csv")]).status == 0)
        let data = ["--data", path("big.csv"), "--target", "BMI"]
        let stderr = try refused(["linear"] + data + ["--memory-limit", "16MB"])
        #expect(stderr.hasPrefix("error: preparing 200000 rows × 5 columns ("))
        #expect(stderr.contains(" bytes of CSV) for training would need about "))
        #expect(stderr.hasSuffix(", over the memory limit of 16.0 MB (--memory-limit; by default 80% of this machine's memory)\n"))
        let ok = try Zoo.run(["train", "linear"] + data + ["--memory-limit", "256MB", "--out", path("ok.nnm"), "-q"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func aSchemaTooLargeForTheHeaderIsRefusedBeforeTraining() throws {
        let columns = 20_000
        var text = (0..<columns).map { "column_with_a_long_name_\($0)" }.joined(separator: ",") + ",y\n"
        for r in 0..<3 { text += (0...columns).map { "\(($0 * 7 + r) % 10)" }.joined(separator: ",") + "\n" }
        try text.write(toFile: path("wide.csv"), atomically: true, encoding: .utf8)
        let stderr = try refused(["linear", "--data", path("wide.csv"), "--target", "y"])
        #expect(stderr.hasPrefix("error: 20000 feature columns need "))
        #expect(stderr.hasSuffix(" of model header, over the 960.0 KB a model file holds for them; choose fewer columns with --features\n"))
    }
}
