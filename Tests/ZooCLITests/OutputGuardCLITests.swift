import Foundation
import Testing

/// An output path that names an input, or a model file about to be overwritten with data, is refused
/// before anything is written: exit 1, the input byte for byte intact.
@Suite(.serialized) struct OutputGuardCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func expectRefused(_ args: [String], keeps files: [String], stderr: String) throws {
        let before = try files.map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }
        let r = try Zoo.run(args, cwd: dir)
        #expect(r.status == 1, "\(args)")
        #expect(r.stderr == stderr)
        #expect(try files.map { try Data(contentsOf: URL(fileURLWithPath: path($0))) } == before)
    }

    @Test func inputsAndModelsAreNeverOverwritten() throws {
        #expect(try Zoo.run(["data", "generate", "--rows", "200", "--seed", "3", "-o", path("d.csv")]).status == 0)
        #expect(try Zoo.run(["train", "linear", "--data", path("d.csv"), "--target", "BMI", "--out", path("m.nnm"), "-q"]).status == 0)
        #expect(symlink("d.csv", path("link.csv")) == 0)
        try expectRefused(["predict", "m.nnm", "d.csv", "-o", "d.csv"], keeps: ["d.csv"],
                          stderr: "error: refusing to write d.csv: it is the input d.csv, which writing would destroy; choose another output path\n")
        try expectRefused(["predict", "m.nnm", "link.csv", "-o", "d.csv"], keeps: ["d.csv"],
                          stderr: "error: refusing to write d.csv: it is the input link.csv, which writing would destroy; "
                            + "choose another output path\n")
        try expectRefused(["predict", "m.nnm", "d.csv", "-o", "m.nnm"], keeps: ["m.nnm"],
                          stderr: "error: refusing to write m.nnm: it is the input m.nnm, which writing would destroy; choose another output path\n")
        try expectRefused(["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "d.csv"], keeps: ["d.csv"],
                          stderr: "error: refusing to write d.csv: it is the input d.csv, which writing would destroy; choose another output path\n")
        try expectRefused(["report", ".", "--data", "d.csv", "-o", "m.nnm"], keeps: ["m.nnm"],
                          stderr: "error: refusing to write m.nnm: it is in the input ., which writing would destroy; choose another output path\n")
        try expectRefused(["data", "generate", "--rows", "5", "-o", "m.nnm"], keeps: ["m.nnm"],
                          stderr: "error: refusing to write generated data to m.nnm: it is a model file; choose another output path "
                            + "(or delete the model first)\n")
        try "notes\n".write(toFile: path("notes.txt"), atomically: true, encoding: .utf8)
        try expectRefused(["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "notes.txt"], keeps: ["notes.txt"],
                          stderr: "error: refusing to replace notes.txt with a model: it is not a model file; choose another --out "
                            + "(or delete it first)\n")
        // Retraining over a model is what --out is for.
        #expect(try Zoo.run(["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "m.nnm", "-q"], cwd: dir).status == 0)
    }
}
