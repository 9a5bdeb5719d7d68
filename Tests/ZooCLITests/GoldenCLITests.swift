import Foundation
import ModelZoo
import Testing
import ZooPlugins

/// Whole error texts and exit codes of the built `zoo`, as swift-argument-parser's example tests check them.
@Suite(.serialized) struct GoldenCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Runs `zoo` and checks the exit code, stdout and stderr exactly.
    func expect(
        _ args: [String], status: Int32, stdout: String = "", stderr: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let r = try Zoo.run(args)
        #expect(r.status == status, "zoo \(args.joined(separator: " "))", sourceLocation: sourceLocation)
        #expect(r.stdout == stdout, sourceLocation: sourceLocation)
        #expect(r.stderr == stderr, sourceLocation: sourceLocation)
    }

    static let commands = "plugins, train, split, tune, predict, list, compare, report, inspect, export, demo, data, bench, serve"

    @Test func mistypedSubcommandSuggestsTheNearest() throws {
        try expect(
            ["trian"], status: 1,
            stderr: """
                error: unknown command 'trian' for 'zoo'; did you mean 'train'?
                commands: \(Self.commands)
                See 'zoo --help' for more information.

                """)
        try expect(
            ["data", "generat", "--rows", "3"], status: 1,
            stderr: """
                error: unknown command 'generat' for 'zoo data'; did you mean 'generate'?
                commands: generate
                See 'zoo data --help' for more information.

                """)
        try expect(
            ["frobnicate"], status: 1,
            stderr: """
                error: unknown command 'frobnicate' for 'zoo'
                commands: \(Self.commands)
                See 'zoo --help' for more information.

                """)
    }

    @Test func helpOfAnUnknownCommandIsAnError() throws {
        try expect(
            ["help", "trian"], status: 1,
            stderr: """
                error: unknown command 'trian' for 'zoo'; did you mean 'train'?
                commands: \(Self.commands)
                See 'zoo --help' for more information.

                """)
        let known = try Zoo.run(["help", "train"]), direct = try Zoo.run(["train", "--help"])
        #expect(known.status == 0 && known.stdout == direct.stdout)
    }

    @Test func mistypedRequiredFlagIsReportedAsUnknown() throws {
        try expect(
            ["train", "linear", "--dat", "x.csv", "--target", "BMI", "--out", path("m.nnm")], status: 1,
            stderr: """
                error: unknown option '--dat'; did you mean '--data'?
                See 'zoo train --help' for the options.

                """)
        try expect(
            ["data", "generate", "--row=5", "-o", "-"], status: 1,
            stderr: """
                error: unknown option '--row'; did you mean '--rows'?
                See 'zoo data generate --help' for the options.

                """)
    }

    @Test func mistypedKindSuggestsTheNearest() throws {
        try expect(
            ["train", "lienar", "--data", "x.csv", "--target", "BMI", "--out", path("m.nnm")], status: 1,
            stderr: """
                error: unknown model kind 'lienar'; known kinds: linear, neuron, two-layer, mlp, forest; did you mean 'linear'?
                Usage: zoo train [<options>] <kind> --data <data> --target <target> --out <out>
                  See 'zoo train --help' for more information.

                """)
        try expect(
            ["train", "mlp", "--data", "data/bmi_data.csv", "--target", "BMI", "--out", path("m.nnm"), "-p", "epoch=5"],
            status: 1,
            stderr: """
                error: 'mlp' has no parameter 'epoch'; known parameters: hidden, activation, optimizer, learning_rate, momentum, \
                beta1, beta2, epsilon, batch, epochs, validation, patience, l2, init, seed; did you mean 'epochs'?

                """)
    }
}

/// Commands that evaluate models fail when no model gave a result, and write nothing.
@Suite(.serialized) struct NoResultTests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Two linear models on every column, and a CSV without the `Sex` column they need.
    func modelsAndUnreadableCSV() throws -> String {
        let csv = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "200", "--seed", "4", "-o", csv])
        for name in ["a.nnm", "b.nnm"] {
            #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", path(name), "-q"]).status == 0)
        }
        let narrow = path("narrow.csv")
        try "Height(Inches),Weight(Pounds),BMI\n68,140,21.28\n".write(toFile: narrow, atomically: true, encoding: .utf8)
        return narrow
    }

    func reason(_ narrow: String) -> String {
        let missing = "feature column 'Sex' not found; the header has: Height(Inches), Weight(Pounds), BMI"
        return "error: no model could be evaluated on \(narrow):\n  a.nnm: \(missing)\n  b.nnm: \(missing)\n"
    }

    @Test func compareWithEveryModelFailingExitsOne() throws {
        let narrow = try modelsAndUnreadableCSV()
        let r = try Zoo.run(["compare", dir.path, "--data", narrow])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr == reason(narrow))
    }

    @Test func reportWithEveryModelFailingWritesNothing() throws {
        let narrow = try modelsAndUnreadableCSV()
        let out = path("r.html")
        let r = try Zoo.run(["report", dir.path, "--data", narrow, "-o", out])
        #expect(r.status == 1)
        #expect(r.stderr == reason(narrow))
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}

/// `zoo demo` away from the repository: says how to point it at data, and leaves nothing behind.
@Suite struct DemoOutsideTheRepositoryTests {
    @Test func missingDataSaysWhatToPassAndCreatesNothing() throws {
        let cwd = try Zoo.tempDir()
        let r = try Zoo.run(["demo", "-q"], cwd: cwd)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(
            r.stderr == """
                error: data/bmi_data.csv: no such file; zoo demo trains on the repository's data/bmi_data.csv: run it from the \
                repository root, or pass --data FILE.csv --target COLUMN (and --out-dir DIR)

                """)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path).isEmpty)
    }

    @Test func badTargetCreatesNoDirectory() throws {
        let cwd = try Zoo.tempDir()
        let csv = cwd.appendingPathComponent("d.csv").path
        try Zoo.run(["data", "generate", "--rows", "50", "-o", csv])
        let r = try Zoo.run(["demo", "-q", "--data", csv, "--target", "Nope", "--out-dir", "zoo"], cwd: cwd)
        #expect(r.status == 1)
        #expect(r.stderr == "error: target column 'Nope' not found; the header has: Sex, Age, Height(Inches), Weight(Pounds), BMI\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: cwd.path) == ["d.csv"])
    }
}

/// `predict` to stdout cannot take back what it wrote: a failure says how much that was.
@Suite struct PartialStdoutTests {
    @Test func failureAfterSomeChunksCountsTheRowsWritten() throws {
        let dir = try Zoo.tempDir()
        let csv = dir.appendingPathComponent("big.csv").path, model = dir.appendingPathComponent("m.nnm").path
        // More rows than one 4 MiB input chunk holds, then a bad row: the first chunks are out before it fails.
        try Zoo.run(["data", "generate", "--rows", "600000", "--seed", "2", "-o", csv])
        let bad = try FileHandle(forWritingTo: URL(fileURLWithPath: csv))
        try bad.seekToEnd()
        try bad.write(contentsOf: Data("Robot,30,68,140,20\r\n".utf8))
        try bad.close()
        #expect(try Zoo.run(["train", "linear", "--data", "data/bmi_data.csv", "--target", "BMI", "--out", model, "-q"]).status == 0)
        let r = try Zoo.run(["predict", model, csv])
        let rows = r.stdout.split(separator: "\n").count - 1
        #expect(r.status == 1)
        #expect(rows > 0)
        #expect(
            r.stderr == """
                error: line 600002, column 'Sex': unknown category 'Robot'; the model knows Female, Male \
                (--on-error skip leaves such rows without a prediction)
                note: the header and \(NumberText.grouped(rows)) rows had been written to stdout before this error; \
                that output is incomplete

                """)
        // Nothing written yet (a bad --columns), or a file output: no note.
        let early = try Zoo.run(["predict", model, csv, "--columns", "Nope"])
        #expect(early.status == 1 && early.stdout.isEmpty && !early.stderr.contains("note:"))
        let toFile = try Zoo.run(["predict", model, csv, "-o", dir.appendingPathComponent("p.csv").path])
        #expect(toFile.status == 1 && !toFile.stderr.contains("note:"))
    }
}

/// `--precision`, one number style per table column, and timings apart from the diffable rest.
@Suite(.serialized) struct PrecisionAndTimingsTests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func linearModel() throws -> (csv: String, model: String) {
        let csv = path("d.csv"), model = path("a.nnm")
        try Zoo.run(["data", "generate", "--rows", "300", "--seed", "5", "-o", csv])
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", model, "-q"]).status == 0)
        return (csv, model)
    }

    @Test func predictRoundsToSignificantDigits() throws {
        let (csv, model) = try linearModel()
        let exact = try Zoo.run(["predict", model, csv]).stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").last! }
        let rounded = try Zoo.run(["predict", model, csv, "--precision", "4"]).stdout.split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",").last! }
        #expect(exact.count == 300 && rounded.count == 300)
        #expect(exact.contains { $0.count > 8 })  // exact by default: shortest round-trip, often 15+ digits
        for (e, r) in zip(exact, rounded) { #expect(String(r) == String(format: "%.4g", Double(e)!)) }
        let bad = try Zoo.run(["predict", model, csv, "--precision", "0"])
        #expect(bad.status == 1 && bad.stderr.hasPrefix("error: --precision must be in 1...17, got 0\n"))
    }

    @Test func compareWithoutTimingsIsTheSameEveryRun() throws {
        let (csv, model) = try linearModel()
        for format in ["csv", "json"] {
            let args = ["compare", model, "--data", csv, "--format", format, "--no-timings"]
            let first = try Zoo.run(args), second = try Zoo.run(args)
            #expect(first.status == 0 && first.stdout == second.stdout)
            #expect(!first.stdout.contains("rows_per_second"))
        }
        let csvOut = try Zoo.run(["compare", model, "--data", csv, "--format", "csv", "--no-timings", "--precision", "3"])
        let fields = csvOut.stdout.split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        #expect(csvOut.stdout.hasPrefix("model,kind,target,row_set,rows,parameters,mse,rmse,mae,r2,max_error,file_bytes,error\n"))
        for metric in fields[6...10] { #expect(String(metric) == String(format: "%.3g", Double(metric)!)) }
        let timed = try Zoo.run(["compare", model, "--data", csv, "--format", "csv"])
        #expect(
            timed.stdout.hasPrefix("model,kind,target,row_set,rows,parameters,mse,rmse,mae,r2,max_error,rows_per_second,file_bytes,error\n")
        )
    }

    @Test func reportRoundsItsMetrics() throws {
        let (csv, model) = try linearModel()
        func rmse(_ extra: [String]) throws -> Double {
            let r = try Zoo.run(["compare", model, "--data", csv, "--format", "json"] + extra)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
            return try #require((rows.first?["metrics"] as? [String: Any])?["rmse"] as? Double)
        }
        let exact = try rmse([]), rounded = try rmse(["--precision", "2"])
        #expect(rounded == Double(String(format: "%.2g", exact)) && rounded != exact)
        for (precision, value) in [([String](), exact), (["--precision", "2"], rounded)] {
            let out = path("r\(precision.count).html")
            #expect(try Zoo.run(["report", model, "--data", csv, "-o", out] + precision).status == 0)
            let html = try String(contentsOfFile: out, encoding: .utf8)
            #expect(html.contains("<td>\(NumberText.metric(value))</td>"), "\(precision)")
        }
    }

    /// The shipped zoo on (a copy of) the bundled data, in-sample: the forest's MSE is below 0.001, the others' above.
    @Test func eachTableColumnHasOneNumberStyle() throws {
        let copy = try Zoo.tempDir().appendingPathComponent("bmi.csv")
        let text = try String(contentsOfFile: Zoo.root.appendingPathComponent("data/bmi_data.csv").path, encoding: .utf8)
        try text.replacingOccurrences(of: "\r\n", with: "\n").write(to: copy, atomically: true, encoding: .utf8)
        let r = try Zoo.run(["compare", "models", "--data", copy.path, "--no-timings"])
        #expect(r.status == 0, "\(r.stderr)")
        // Words of each row after the best-row mark: name, kind, target, scored on, rows, params, the five
        // metrics, size. The regressors' table comes first; the classifiers (which need a Category column) follow it.
        let regressors = r.stdout.components(separatedBy: "\n\n")[0]
        #expect(r.stdout.contains("classifier"))
        let rows = regressors.split(separator: "\n").dropFirst(2).map { $0.split(separator: " ").filter { $0 != "*" } }
        #expect(rows.count == 5 && rows[0][6].contains("e-"))
        for column in 6...10 {
            let cells = rows.map { $0[column] }
            let scientific = cells.filter { $0.contains("e") }.count
            #expect(scientific == 0 || scientific == cells.count, "column \(column): \(cells)")
        }
    }
}

/// Every `--format json` names its fields in snake_case; keys that are data (column names) stay as they are.
@Suite struct SnakeCaseJSONTests {
    /// Every object key in a JSON document, with the keys of the object it sits in.
    func keys(_ json: Any, under parent: String = "") -> [(key: String, parent: String)] {
        if let object = json as? [String: Any] {
            return object.flatMap { k, v in [(k, parent)] + keys(v, under: k) }
        }
        return (json as? [Any] ?? []).flatMap { keys($0, under: parent) }
    }

    func jsonKeys(_ args: [String]) throws -> [(key: String, parent: String)] {
        let r = try Zoo.run(args)
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return keys(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)))
    }

    @Test func everyJSONOutputIsSnakeCase() throws {
        let outputs = [
            ["inspect", "models/bmi-mlp.nnm", "--format", "json"], ["inspect", "models/bmi-forest.nnm", "--format", "json"],
            ["plugins", "--format", "json"], ["list", "models", "--format", "json"],
            ["compare", "models/bmi-linear.nnm", "--data", "data/bmi_data.csv", "--format", "json"],
        ]
        var all: [(key: String, parent: String)] = []
        for args in outputs { all += try jsonKeys(args) }
        let names = Set(all.map(\.key))
        for expected in ["output_shape", "target_scaler", "parameter_count", "target_scaling", "test_rmse", "rows_per_second"] {
            #expect(names.contains(expected), "\(expected)")
        }
        // The forest's importances are what fitting reported (one per encoded input, in schema order).
        #expect(all.contains { $0.key == "feature_importances" && $0.parent == "fit" })
        let camel = all.filter { key, parent in
            parent != "feature_importances" && key.range(of: "^[a-z][a-z0-9]*[A-Z]", options: .regularExpression) != nil
        }
        #expect(camel.isEmpty, "\(camel)")
    }
}

/// Shell completion completes model kinds after `zoo train` and `.nnm` files where a model is expected.
@Suite struct CompletionTests {
    @Test func zshCompletesKindsAndModelFiles() throws {
        let r = try Zoo.run(["--generate-completion-script", "zsh"])
        #expect(r.status == 0)
        let kinds = builtinPlugins.kinds.map { "'\($0)'" }.joined(separator: " ")
        #expect(r.stdout.contains("local -ar _kind=(\(kinds))"))
        let nnm = #"_files -g '\''*.nnm'\''"#
        let lines = r.stdout.split(separator: "\n").filter { $0.contains(nnm) }.map { $0.trimmingCharacters(in: .whitespaces) }
        // predict, bench, inspect and export take one model; compare and report several.
        #expect(lines.sorted() == [":file:", ":model:", ":model:", ":model:", "*:models:", "*:models:"].map { "'\($0)\(nnm)'" }.sorted())
    }

    @Test func bashCompletesKinds() throws {
        let r = try Zoo.run(["--generate-completion-script", "bash"])
        let kinds = builtinPlugins.kinds.map { "'\($0)'" }.joined(separator: #"$'\n'"#)
        #expect(r.stdout.contains("__zoo_add_completions -W \(kinds)\n"))
    }
}

@Suite struct NearestNameTests {
    @Test func suggestsWithinOneEditPerThreeLetters() {
        #expect(nearestName(to: "trian", in: ["plugins", "train", "predict"]) == "train")
        #expect(nearestName(to: "dat", in: ["target", "data", "delimiter"]) == "data")
        #expect(nearestName(to: "epoch", in: ["learning_rate", "epochs", "seed"]) == "epochs")
        #expect(nearestName(to: "Learning-Rate", in: ["learning_rate", "epochs"]) == "learning_rate")
        #expect(nearestName(to: "svm", in: ["linear", "mlp", "forest"]) == nil)
        #expect(nearestName(to: "x", in: []) == nil)
    }
}
