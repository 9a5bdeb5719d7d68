import Foundation
import ModelZoo
import Testing

/// `zoo` on model files with valid checksums and hostile values (issue 12): every command ends with
/// output or a clear error, never a crash or a hang. Rows of docs/hostile-models.md.
@Suite(.serialized) struct HostileModelCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func data() throws -> String {
        let csv = path("small.csv")
        if !FileManager.default.fileExists(atPath: csv) {
            #expect(try Zoo.run(["data", "generate", "--rows", "300", "--seed", "1", "-o", csv]).status == 0)
        }
        return csv
    }

    func train(_ kind: String, _ params: [String], to name: String) throws -> NNMFile {
        let r = try Zoo.run(["train", kind, "--data", try data(), "--target", "BMI", "--out", path(name)] + params.flatMap { ["-p", $0] })
        #expect(r.status == 0, "\(r.stderr)")
        return try NNMFile.read(path: path(name))
    }

    func write(_ f: NNMFile, _ name: String) throws { try f.write(to: path(name)) }

    @Test func inspectDrawsExtremeImportances() throws {
        var f = try train("forest", ["trees=2"], to: "f.nnm")
        f.metadata.extras["feature_importances"] = .object([
            "Age": .double(-1), "Sex=Male": .double(1e300), "Height(Inches)": .double(5e7),
            "Weight(Pounds)": .double(-1e308),
        ])
        try write(f, "f.nnm")
        let r = try Zoo.run(["inspect", path("f.nnm")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Feature importances:"))
        #expect(!r.stdout.contains(String(repeating: "█", count: 41)), "bars are clamped to 40")
    }

    @Test func fileStringsReachTheTerminalEscaped() throws {
        var f = try train("linear", [], to: "l.nnm")
        f.metadata.summary = "evil\u{1B}]0;pwned\u{7}\u{1B}[2J"
        f.metadata.created = "\u{1B}[31mnow"
        try write(f, "l.nnm")
        let inspect = try Zoo.run(["inspect", path("l.nnm")])
        #expect(inspect.status == 0)
        #expect(!inspect.stdout.contains("\u{1B}") && inspect.stdout.contains("evil\\u{1B}]0;pwned"))
        let list = try Zoo.run(["list", dir.path])
        #expect(!list.stdout.contains("\u{1B}") && list.stdout.contains("\\u{1B}[31mnow"))
        f.metadata.kind = "no\u{1B}[2Jsuch"
        try write(f, "l.nnm")
        let bad = try Zoo.run(["inspect", path("l.nnm")])
        #expect(bad.status == 2 && !bad.stderr.contains("\u{1B}") && bad.stderr.contains("no\\u{1B}[2Jsuch"), "\(bad.stderr)")
    }

    @Test func hugeCategoricalImputeIsAnErrorNotATrap() throws {
        var f = try train("linear", [], to: "l.nnm")
        let k = try #require(f.metadata.schema.columns.firstIndex { $0.kind == .categorical })
        f.metadata.schema.columns[k].impute = 1e300
        try write(f, "l.nnm")
        let csv = path("missing.csv")
        try "Sex,Age,Height(Inches),Weight(Pounds)\n,30,65,150\n".write(toFile: csv, atomically: true, encoding: .utf8)
        for args in [["predict", path("l.nnm"), csv], ["compare", dir.path, "--data", try data()]] {
            let r = try Zoo.run(args)
            #expect(r.status == 2 || args[0] == "compare", "\(args[0]): \(r.status) \(r.stderr)")
            // compare reports a model it cannot load in its own row (stdout)
            let text = r.stderr + r.stdout
            #expect(text.contains("'Sex'") && text.contains("impute"), "\(args[0]): \(text)")
        }
    }

    @Test func reportDrawsExtremeHistories() throws {
        let csv = try data()
        var f = try train("neuron", ["epochs=2"], to: "n.nnm")
        for (i, loss) in [[5e-324], [1e308], [1e18, 1e18 + 128]].enumerated() {
            f.tensors = try TensorBundle(
                f.tensors.tensors.filter { !$0.name.hasPrefix("history.") } + [
                    Tensor("history.loss", loss), Tensor("history.val_loss", [Double]()),
                ])
            try write(f, "n.nnm")
            let r = try Zoo.run(["report", dir.path, "--data", csv, "-o", path("r\(i).html")])
            #expect(r.status == 0, "\(loss): \(r.stderr)")
        }
    }

    @Test func aFIFOInTheZooDoesNotBlock() throws {
        _ = try train("linear", [], to: "l.nnm")
        #expect(mkfifo(path("x.nnm"), 0o644) == 0)
        let list = try Zoo.run(["list", dir.path])
        #expect(list.status == 2 && list.stdout.contains("l.nnm") && list.stderr.contains("FIFO"), "\(list.stderr)")
        let inspect = try Zoo.run(["inspect", path("x.nnm")])
        #expect(inspect.status == 2 && inspect.stderr.contains("FIFO"))
        let predict = try Zoo.run(["predict", path("x.nnm"), try data()])
        #expect(predict.status == 2)
    }

    @Test func outputIntoDevNullAndNotOverAFIFO() throws {
        _ = try train("linear", [], to: "l.nnm")
        let r = try Zoo.run(["predict", path("l.nnm"), try data(), "-o", "/dev/null"])
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && st.st_mode & S_IFMT == S_IFCHR)
        #expect(mkfifo(path("out.csv"), 0o644) == 0)
        let fifo = try Zoo.run(["predict", path("l.nnm"), try data(), "-o", path("out.csv")])
        #expect(fifo.status != 0 && fifo.stderr.contains("FIFO"), "\(fifo.stderr)")
        #expect(lstat(path("out.csv"), &st) == 0 && st.st_mode & S_IFMT == S_IFIFO)
    }
}
