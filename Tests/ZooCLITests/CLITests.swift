import Foundation
import Testing

/// Golden tests of the built `zoo`: output, exit codes (0 ok, 1 input/usage, 2 model file), stderr vs stdout.
@Suite(.serialized) struct CLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A small generated data set and a linear model trained on it.
    func trainedLinear() throws -> (csv: String, model: String) {
        let csv = path("small.csv"), model = path("lin.nnm")
        #expect(try Zoo.run(["data", "generate", "--rows", "500", "--seed", "1", "-o", csv]).status == 0)
        let r = try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", model])
        #expect(r.status == 0, "\(r.stderr)")
        return (csv, model)
    }

    @Test func trainPredictListInspect() throws {
        let (csv, model) = try trainedLinear()
        let train = try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", model])
        #expect(train.stdout.contains("500 rows read"))
        #expect(train.stdout.contains("train 400, test 100"))
        #expect(train.stdout.contains("features (4 encoded): Sex [Female/Male], Age, Height(Inches), Weight(Pounds)"))
        #expect(train.stdout.contains("test (100 rows): MSE"))

        let out = path("pred.csv")
        let p = try Zoo.run(["predict", model, csv, "-o", out])
        #expect(p.status == 0)
        #expect(p.stdout.isEmpty)  // data goes to the file, the note to stderr
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 501)
        #expect(lines[0] == "Sex,Age,Height(Inches),Weight(Pounds),BMI,BMI_pred")
        let first = lines[1].split(separator: ",")
        #expect(abs(Double(first[4])! - Double(first[5])!) < 1.0)

        let piped = try Zoo.run(["predict", model, "-"], stdin: try Data(contentsOf: URL(fileURLWithPath: csv)))
        #expect(piped.stdout.split(separator: "\n") == lines)
        // One thread gives the same output; zero threads is a usage error.
        let single = try Zoo.run(["predict", model, csv, "--threads", "1"])
        #expect(single.status == 0 && single.stdout.split(separator: "\n") == lines)
        let zero = try Zoo.run(["predict", model, csv, "--threads", "0"])
        #expect(zero.status == 1 && zero.stdout.isEmpty)
        #expect(zero.stderr.contains("error: --threads must be at least 1, got 0"))
        // Training on one thread gives the same model (the same predictions, byte for byte).
        let oneThread = try Zoo.tempDir().appendingPathComponent("lin1.nnm").path  // not in `dir`: listed below
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", oneThread, "--threads", "1"]).status == 0)
        #expect(try Zoo.run(["predict", oneThread, csv]).stdout.split(separator: "\n") == lines)
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", oneThread, "--threads", "-2"]).status == 1)

        let list = try Zoo.run(["list", dir.path])
        #expect(list.status == 0)
        #expect(list.stdout.contains("lin.nnm  linear"))
        let json = try Zoo.run(["list", dir.path, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(rows.first?["kind"] as? String == "linear")

        let inspect = try Zoo.run(["inspect", model])
        #expect(inspect.status == 0)
        #expect(inspect.stdout.contains("Total params: 5"))
        #expect(inspect.stdout.contains("0/1: Male = 1, Female = 0"))
    }

    /// Epoch lines on stderr (not a terminal: one line an epoch) say what the loss is: squared target
    /// units for a regressor, log-loss for a classifier (whose target has no units).
    @Test func progressLinesNameTheLoss() throws {
        let csv = Zoo.root.appendingPathComponent("data/bmi_category.csv").path
        let classifier = try Zoo.run(
            [
                "train", "neuron", "--data", csv, "--target", "Category", "--features", "Height(Inches),Weight(Pounds)",
                "--out", path("cat-neuron.nnm"), "-p", "epochs=2",
            ])
        #expect(classifier.status == 0)
        let epochs = classifier.stderr.split(separator: "\n").filter { $0.hasPrefix("neuron epoch ") }
        #expect(epochs.count == 2 && epochs.allSatisfy { $0.contains(" (log-loss) ") })
        let (bmi, _) = try trainedLinear()
        let regressor = try Zoo.run(["train", "neuron", "--data", bmi, "--target", "BMI", "--out", path("neuron.nnm"), "-p", "epochs=2"])
        #expect(regressor.status == 0)
        #expect(regressor.stderr.contains("neuron epoch 2/2  loss ") && regressor.stderr.contains(" (MSE, BMI units²) "))
    }

    @Test func usageAndInputErrorsExitOne() throws {
        let unknown = try Zoo.run(["train", "svm", "--data", "x.csv", "--target", "BMI", "--out", path("m.nnm")])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("unknown model kind 'svm'; known kinds: linear, neuron"))
        #expect(unknown.stdout.isEmpty)

        let (csv, _) = try trainedLinear()
        let badParam = try Zoo.run(["train", "neuron", "--data", csv, "--target", "BMI", "-p", "epochs=-3", "--out", path("m.nnm")])
        #expect(badParam.status == 1)
        #expect(badParam.stderr.contains("error: invalid value '-3' for 'epochs': expected an integer in 1...100000"))

        let noTarget = try Zoo.run(["train", "linear", "--data", csv, "--target", "bmi_x", "--out", path("m.nnm")])
        #expect(noTarget.status == 1)
        #expect(noTarget.stderr.contains("target column 'bmi_x' not found; the header has: Sex, Age, Height(Inches), Weight(Pounds), BMI"))
        #expect(!FileManager.default.fileExists(atPath: path("m.nnm")))

        let badFlag = try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", path("m.nnm"), "--test-fraction", "1.5"])
        #expect(badFlag.status == 1)
        #expect(badFlag.stderr.contains("--test-fraction must be in [0, 1)"))
    }

    @Test func badRowsAtPredictionNameTheLine() throws {
        let (_, model) = try trainedLinear()
        let bad = path("bad.csv")
        try "Age,Sex,Height(Inches),Weight(Pounds)\n30,Male,68,140\n31,Male,,150\n32,Robot,70,160\n".write(
            toFile: bad, atomically: true, encoding: .utf8)
        let out = path("out.csv")
        let fail = try Zoo.run(["predict", model, bad, "-o", out])
        #expect(fail.status == 1)
        #expect(fail.stderr.contains("error: line 3, column 'Height(Inches)': missing value"))
        #expect(!FileManager.default.fileExists(atPath: out))  // no partial output

        let skip = try Zoo.run(["predict", model, bad, "-o", out, "--on-error", "skip"])
        #expect(skip.status == 0)
        #expect(skip.stderr.contains("2 of 3 rows could not be predicted (empty prediction); first at lines 3, 4"))
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[2] == "31,Male,,150,")
        #expect(lines[3] == "32,Robot,70,160,")
    }

    @Test func modelFileErrorsExitTwo() throws {
        let (csv, model) = try trainedLinear()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: model))
        bytes[bytes.count - 3] ^= 0x40
        let broken = path("broken.nnm")
        try bytes.write(to: URL(fileURLWithPath: broken))
        let r = try Zoo.run(["predict", broken, csv])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(broken): checksum mismatch in section TNSR\n")
        #expect(r.stdout.isEmpty)

        try Data("hello".utf8).write(to: URL(fileURLWithPath: path("text.nnm")))
        let notNNM = try Zoo.run(["inspect", path("text.nnm")])
        #expect(notNNM.status == 2)
        #expect(notNNM.stderr.contains("not an .nnm file"))

        let missing = try Zoo.run(["inspect", path("nope.nnm")])
        #expect(missing.status == 2)

        let list = try Zoo.run(["list", dir.path])
        #expect(list.status == 2)  // lists the good ones, warns about the bad
        #expect(list.stdout.contains("lin.nnm"))
        #expect(list.stderr.contains("warning: "))
    }

    @Test func generateIsDeterministic() throws {
        try Zoo.run(["data", "generate", "--rows", "50", "--seed", "9", "-o", path("a.csv")])
        try Zoo.run(["data", "generate", "--rows", "50", "--seed", "9", "-o", path("b.csv")])
        let a = try Data(contentsOf: URL(fileURLWithPath: path("a.csv")))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: path("b.csv")))))
        #expect(String(decoding: a, as: UTF8.self).hasPrefix("Sex,Age,Height(Inches),Weight(Pounds),BMI\r\n"))
    }
}

@Suite(.serialized) struct CompareAndReportTests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func twoModels() throws -> String {
        let csv = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "400", "--seed", "4", "-o", csv])
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", path("a-linear.nnm"), "-q"]).status == 0)
        #expect(
            try Zoo.run([
                "train", "neuron", "--data", csv, "--target", "BMI", "--features", "Height(Inches),Weight(Pounds)",
                "-p", "epochs=5", "--out", path("b-neuron.nnm"), "-q",
            ]).status == 0)
        return csv
    }

    @Test func compareRanksAndMarksTheBest() throws {
        let csv = try twoModels()
        let r = try Zoo.run(["compare", dir.path, "--data", csv])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines[0].contains("RMSE") && lines[0].contains("rows/s"))
        #expect(lines[2].hasPrefix("*  a-linear.nnm"))  // linear fits BMI better than a 5-epoch neuron
        #expect(lines[3].contains("b-neuron.nnm"))

        let json = try Zoo.run(["compare", dir.path, "--data", csv, "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[String: Any]]
        #expect(rows.map { $0["name"] as! String } == ["a-linear.nnm", "b-neuron.nnm"])
        let m = rows[0]["metrics"] as! [String: Any]
        #expect((m["rows"] as! Int) == 80)  // d.csv is their training file: each is scored on its own 20 % held out
        #expect(rows.allSatisfy { $0["row_set"] as? String == "held-out" && $0["rows"] as? Int == 80 })

        let md = try Zoo.run(["compare", dir.path, "--data", csv, "--format", "markdown"])
        #expect(md.stdout.hasPrefix("|   | model | kind |"))
        let csvOut = try Zoo.run(["compare", dir.path, "--data", csv, "--format", "csv"])
        #expect(csvOut.stdout.hasPrefix("model,kind,target,row_set,rows,parameters,mse,rmse"))

        let stored = try Zoo.run(["compare", dir.path])
        #expect(stored.status == 0)
        #expect(stored.stderr.contains("comparing the test metrics stored in each file"))
    }

    @Test func aModelThatCannotReadTheCSVGetsItsOwnRow() throws {
        let csv = try twoModels()
        let narrow = path("narrow.csv")
        try "Height(Inches),Weight(Pounds),BMI\n68,140,21.28\n70,150,21.52\n".write(toFile: narrow, atomically: true, encoding: .utf8)
        let r = try Zoo.run(["compare", dir.path, "--data", narrow])
        #expect(r.status == 0)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines[2].contains("b-neuron.nnm"))
        #expect(lines[3].contains("a-linear.nnm") && lines[3].contains("error: feature column 'Sex' not found"))
        _ = csv
    }

    @Test func reportIsSelfContainedWithTheCharts() throws {
        let csv = try twoModels()
        let out = path("r.html")
        let r = try Zoo.run(["report", dir.path, "--data", csv, "-o", out])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))  // nothing fetched
        #expect(html.contains("id=\"comparison\""))
        #expect(html.contains("RMSE per model, out-of-sample rows (BMI)"))
        #expect(html.components(separatedBy: "aria-label=\"Predicted vs actual\"").count - 1 == 2)
        #expect(html.components(separatedBy: "aria-label=\"Residuals (predicted − actual)\"").count - 1 == 2)
        #expect(html.contains("Loss per epoch"))  // the neuron has a history
        #expect(html.contains("class=\"identity\""))
        #expect(html.components(separatedBy: "<circle").count - 1 == 160)  // 80 held-out points per scatter, both models
    }
}

/// Killing `zoo` while it writes never leaves a partial file at the target path.
@Suite(.serialized) struct InterruptedWriteTests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    /// Starts `zoo data generate` over an existing file and kills it after `delay` seconds.
    func killDuringWrite(signal sig: Int32, delay: Double, target: String) throws -> Int32 {
        let p = Process()
        p.executableURL = Zoo.executable
        p.arguments = ["data", "generate", "--rows", "400000", "--seed", "3", "-o", target]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: delay)
        kill(p.processIdentifier, sig)
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test func oldFileIntactAfterKillAtRandomPoints() throws {
        let target = dir.appendingPathComponent("data.csv").path
        let old = Data("Sex,Age,Height(Inches),Weight(Pounds),BMI\r\nMale,30,68,140,21.28\r\n".utf8)
        try old.write(to: URL(fileURLWithPath: target))
        var g = SystemRandomNumberGenerator()
        var killedMidWrite = 0
        for round in 0..<6 {
            let sig = round % 2 == 0 ? SIGKILL : SIGINT
            _ = try killDuringWrite(signal: sig, delay: Double.random(in: 0.02...0.6, using: &g), target: target)
            let now = try Data(contentsOf: URL(fileURLWithPath: target))
            if now == old {
                killedMidWrite += 1
            } else {
                // The run finished before the kill: the new file must then be complete.
                #expect(now.count > 10_000_000, "round \(round): a partial file replaced the old one (\(now.count) bytes)")
                try old.write(to: URL(fileURLWithPath: target))
            }
            if sig == SIGINT {
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") }
                #expect(leftovers.isEmpty, "Ctrl-C left \(leftovers)")
            }
            for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.contains(".tmp-") {
                try FileManager.default.removeItem(atPath: dir.appendingPathComponent(f).path)
            }
        }
        #expect(killedMidWrite >= 1)
    }

    /// The same for a model save: `zoo train` over an existing model, killed at random points.
    @Test func oldModelIntactAfterKilledTraining() throws {
        let target = dir.appendingPathComponent("m.nnm").path
        #expect(try Zoo.run(["train", "linear", "--data", "data/bmi_data.csv", "--target", "BMI", "--out", target, "-q"]).status == 0)
        let old = try Data(contentsOf: URL(fileURLWithPath: target))
        var g = SystemRandomNumberGenerator()
        for round in 0..<4 {
            let p = Process()
            p.executableURL = Zoo.executable
            p.currentDirectoryURL = Zoo.root
            p.arguments = ["train", "forest", "--data", "data/bmi_data.csv", "--target", "BMI", "-p", "trees=20", "--out", target, "-q"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...1.5, using: &g))
            kill(p.processIdentifier, round % 2 == 0 ? SIGKILL : SIGTERM)
            p.waitUntilExit()
            let now = try Data(contentsOf: URL(fileURLWithPath: target))
            if now != old {
                // Training finished first: the new model must be complete and valid.
                let r = try Zoo.run(["inspect", target])
                #expect(r.status == 0, "round \(round): \(r.stderr)")
                try old.write(to: URL(fileURLWithPath: target))
            } else {
                #expect(try Zoo.run(["inspect", target]).status == 0)
            }
        }
    }
}
