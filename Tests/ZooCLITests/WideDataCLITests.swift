import Foundation
import Testing

/// `zoo data generate --features N`: the wide table of issue 16, full precision by default.
@Suite struct WideDataCLITests {
    @Test func wideTableTrainsAndPredictsBack() throws {
        let dir = try Zoo.tempDir()
        let csv = dir.appendingPathComponent("wide.csv").path, model = dir.appendingPathComponent("w.nnm").path
        #expect(try Zoo.run(["data", "generate", "--rows", "300", "--features", "7", "--seed", "3", "-o", csv]).status == 0)
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 301)
        #expect(lines[0] == "f0,f1,f2,f3,f4,f5,f6,cat,y")
        // Full precision: every feature is its double's shortest round-trip text.
        for field in lines[1].split(separator: ",").prefix(7) {
            let v = try #require(Double(String(field)))
            #expect(v.description == String(field))
        }
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "y", "--out", model, "--quiet"]).status == 0)
        let predicted = try Zoo.run(["predict", model, csv, "-o", "-", "--quiet"])
        #expect(predicted.status == 0)
        #expect(predicted.stdout.split(separator: "\n").count == 301)
        let rounded = try Zoo.run(["data", "generate", "--rows", "2", "--features", "3", "--decimals", "4", "--no-target", "-o", "-"])
        #expect(rounded.stdout.split(separator: "\n").first == "f0,f1,f2,cat")
        #expect(rounded.stdout.split(separator: "\n")[1].split(separator: ",")[0].split(separator: ".").last?.count == 4)
    }
}
