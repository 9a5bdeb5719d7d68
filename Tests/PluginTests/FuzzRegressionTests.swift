import Foundation
import FuzzHarness
import Testing

/// Replays the fuzz seed corpus and every saved crash reproducer through the fuzz harness:
/// each must finish (a value or a typed error), so a fixed crash stays fixed.
@Suite struct FuzzRegressionTests {
    static func files(_ kind: String) -> [String] {
        let fm = FileManager.default
        return ["corpus", "regressions"].flatMap { dir -> [String] in
            let d = Fixtures.root.appendingPathComponent("Tests/Fuzz/\(dir)/\(kind)")
            return ((try? fm.contentsOfDirectory(atPath: d.path)) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { d.appendingPathComponent($0).path }
        }
    }

    @Test func csvInputsReplay() throws {
        let files = Self.files("csv")
        #expect(files.count >= 4)
        for f in files { FuzzHarness.csv([UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))) }
    }

    @Test func nnmInputsReplay() throws {
        let files = Self.files("nnm")
        #expect(files.count >= 10)
        for f in files { FuzzHarness.nnm([UInt8](try Data(contentsOf: URL(fileURLWithPath: f)))) }
    }
}
