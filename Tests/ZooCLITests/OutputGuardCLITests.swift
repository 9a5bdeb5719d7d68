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
        try expectRefused(
            ["predict", "m.nnm", "d.csv", "-o", "d.csv"], keeps: ["d.csv"],
            stderr: "error: refusing to write d.csv: it is the input d.csv, which writing would destroy; choose another output path\n")
        try expectRefused(
            ["predict", "m.nnm", "link.csv", "-o", "d.csv"], keeps: ["d.csv"],
            stderr: "error: refusing to write d.csv: it is the input link.csv, which writing would destroy; "
                + "choose another output path\n")
        try expectRefused(
            ["predict", "m.nnm", "d.csv", "-o", "m.nnm"], keeps: ["m.nnm"],
            stderr: "error: refusing to write m.nnm: it is the input m.nnm, which writing would destroy; choose another output path\n")
        try expectRefused(
            ["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "d.csv"], keeps: ["d.csv"],
            stderr: "error: refusing to write d.csv: it is the input d.csv, which writing would destroy; choose another output path\n")
        try expectRefused(
            ["report", ".", "--data", "d.csv", "-o", "m.nnm"], keeps: ["m.nnm"],
            stderr: "error: refusing to write m.nnm: it is in the input ., which writing would destroy; choose another output path\n")
        try expectRefused(
            ["data", "generate", "--rows", "5", "-o", "m.nnm"], keeps: ["m.nnm"],
            stderr: "error: refusing to write generated data to m.nnm: it is a model file; choose another output path "
                + "(or delete the model first)\n")
        try "notes\n".write(toFile: path("notes.txt"), atomically: true, encoding: .utf8)
        try expectRefused(
            ["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "notes.txt"], keeps: ["notes.txt"],
            stderr: "error: refusing to replace notes.txt with a model: it is not a model file; choose another --out "
                + "(or delete it first)\n")
        // Retraining over a model is what --out is for.
        #expect(try Zoo.run(["train", "linear", "--data", "d.csv", "--target", "BMI", "--out", "m.nnm", "-q"], cwd: dir).status == 0)
    }
}

/// Options whose output zoo itself could not read back are refused; a prediction that overflows is a
/// per-row failure that `--on-error skip` covers like any other.
@Suite(.serialized) struct PredictOutputCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// y = 1000·x on x in [0, 0.1]: x = 1e306 predicts 1e309, which overflows.
    func steepModel() throws -> String {
        let rows = (0...100).map { "\(Double($0) / 1000),\(Double($0))" }.joined(separator: "\n")
        try ("x,y\n" + rows + "\n").write(toFile: path("t.csv"), atomically: true, encoding: .utf8)
        #expect(try Zoo.run(["train", "linear", "--data", path("t.csv"), "--target", "y", "--out", path("s.nnm"), "-q"]).status == 0)
        try "x\n0.05\n1e306\n0.07\n".write(toFile: path("in.csv"), atomically: true, encoding: .utf8)
        return path("s.nnm")
    }

    @Test func overflowingPredictionsAreSkippedRowsUnderSkip() throws {
        let model = try steepModel()
        let fail = try Zoo.run(["predict", model, path("in.csv")])
        #expect(fail.status == 1)
        #expect(
            fail.stderr.hasPrefix(
                "error: line 3: the model produced inf for this row (--on-error skip leaves such rows without a prediction)"))
        let skip = try Zoo.run(["predict", model, path("in.csv"), "--on-error", "skip", "--precision", "6"])
        #expect(skip.status == 0)
        #expect(skip.stdout == "x,y_pred\n0.05,50\n1e306,\n0.07,70\n")
        #expect(skip.stderr.contains("1 of 3 rows could not be predicted (empty prediction); at line 3"))
    }

    @Test func outputsZooCouldNotReadAreRefused() throws {
        let model = try steepModel()
        for (args, message) in [
            (["--columns", ""], "--columns has an empty name in ''"),
            (["--columns", "x,,x"], "--columns has an empty name in 'x,,x'"),
            (["--columns", "x,x"], "--columns names 'x' twice"),
            (["--prediction-name", " "], "--prediction-name must not be empty"),
        ] {
            let r = try Zoo.run(["predict", model, path("in.csv")] + args)
            #expect(r.status == 1, "\(args)")
            #expect(r.stderr.hasPrefix("error: \(message)\n"), "\(r.stderr)")
        }
    }

    @Test func upperCaseGzipSuffixIsCompressed() throws {
        let model = try steepModel()
        try "x\n0.05\n".write(toFile: path("in.csv"), atomically: true, encoding: .utf8)
        #expect(try Zoo.run(["predict", model, path("in.csv"), "-o", path("OUT.CSV.GZ")]).status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("OUT.CSV.GZ")))
        #expect(Array(bytes.prefix(2)) == [0x1F, 0x8B])
    }
}
