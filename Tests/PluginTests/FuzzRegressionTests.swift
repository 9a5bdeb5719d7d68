import Foundation
import FuzzHarness
@testable import ModelZoo
import Testing
import ZooPlugins

/// Replays the fuzz seed corpus and every saved crash reproducer through the fuzz harness:
/// each must finish (a value or a typed error), so a fixed crash stays fixed.
@Suite struct FuzzRegressionTests {
    static func files(_ kind: String) -> [String] {
        let fm = FileManager.default
        return ["corpus", "regressions"].flatMap { dir -> [String] in
            let d = Fixtures.root.appendingPathComponent("Tests/Fuzz/\(dir)/\(kind)")
            return ((try? fm.contentsOfDirectory(atPath: d.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map {
                d.appendingPathComponent($0).path
            }
        }
    }

    @Test func csvInputsReplay() throws {
        let files = Self.files("csv")
        #expect(files.count >= 4)
        for f in files { FuzzHarness.csv([UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))) }
    }

    /// The structure-aware mode (`FuzzModel`) on its seeds and a fixed batch of random edit programs:
    /// hostile values behind valid checksums must end in a value or a typed error.
    @Test func structuredModelMutations() throws {
        #expect(FuzzModel.bases.count >= 5)
        for seed in FuzzModel.seeds { FuzzHarness.nnm(seed) }
        var g = SplitMix64(seed: 12)
        var framed = 0, loaded = 0
        for _ in 0..<400 {
            let n = 2 + g.below(40)
            let input: [UInt8] = [2] + (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            FuzzHarness.nnm(input)
            guard let bytes = FuzzModel.mutate(Array(input.dropFirst())) else { continue }
            framed += 1
            if let f = try? NNMFile.decode(bytes), (try? TrainedModel.load(f, registry: builtinPlugins)) != nil { loaded += 1 }
        }
        // The edits reach past the framing, and some edited models still load (and are exercised).
        #expect(framed > 300 && loaded > 20, "framed \(framed), loaded \(loaded)")
    }

    @Test func nnmInputsReplay() throws {
        let files = Self.files("nnm")
        #expect(files.count >= 10)
        for f in files { FuzzHarness.nnm([UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))) }
    }
}
