import Foundation
import Testing

/// `zoo split` writes the split `zoo train` makes.
@Suite struct SplitCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func json(_ args: [String]) throws -> [String: Any] {
        let r = try Zoo.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func trainingOnTheWrittenTrainFileFitsTheSameModel() throws {
        for extra in [[], ["--stratify", "BMI"], ["--group", "Age"]] {
            let split = try Zoo.run(
                ["split", "data/bmi_data.csv", "--target", "BMI", "--train", path("tr.csv"), "--test", path("te.csv")] + extra)
            #expect(split.status == 0 && split.stdout.isEmpty, "\(split.stderr)")
            #expect(
                try Zoo.run(["train", "linear", "--data", "data/bmi_data.csv", "--target", "BMI", "--out", path("a.nnm"), "-q"] + extra)
                    .status == 0)
            #expect(
                try Zoo.run([
                    "train", "linear", "--data", path("tr.csv"), "--target", "BMI", "--test-fraction", "0",
                    "--out", path("b.nnm"), "-q",
                ]).status == 0)
            let a = try json(["inspect", path("a.nnm"), "--format", "json"])["metadata"] as! [String: Any]
            let b = try json(["inspect", path("b.nnm"), "--format", "json"])["metadata"] as! [String: Any]
            let ta = a["train_metrics"] as! [String: Any], tb = b["train_metrics"] as! [String: Any]
            #expect(ta["rows"] as? Int == tb["rows"] as? Int)
            #expect(abs((ta["rmse"] as! Double) - (tb["rmse"] as! Double)) < 1e-12)
            // The test file holds the rows the first model was scored on.
            let testRows = try String(contentsOfFile: path("te.csv"), encoding: .utf8).split(separator: "\n").count - 1
            #expect((a["test_metrics"] as! [String: Any])["rows"] as? Int == testRows)
        }
    }

    /// Rows in the same order too: an order-sensitive fit (mini-batch Adam) gives the same model.
    @Test func anMLPTrainedOnTheTrainFileIsTheSameModel() throws {
        #expect(
            try Zoo.run(["split", "data/bmi_data.csv", "--target", "BMI", "--train", path("tr.csv"), "--test", path("te.csv")]).status == 0)
        #expect(
            try Zoo.run(["train", "mlp", "--data", "data/bmi_data.csv", "--target", "BMI", "-p", "epochs=2", "--out", path("a.nnm"), "-q"])
                .status == 0)
        #expect(
            try Zoo.run([
                "train", "mlp", "--data", path("tr.csv"), "--target", "BMI", "-p", "epochs=2", "--test-fraction", "0",
                "--out", path("b.nnm"), "-q",
            ]).status == 0)
        let a = try Zoo.run(["inspect", path("a.nnm"), "--tensors"]).stdout,
            b = try Zoo.run(["inspect", path("b.nnm"), "--tensors"]).stdout
        #expect(!a.isEmpty && a == b)
    }

    @Test func theModelRecordsItsDataSplitAndCommand() throws {
        #expect(
            try Zoo.run([
                "train", "linear", "--data", "data/bmi_data.csv", "--target", "BMI", "--stratify", "BMI",
                "--out", path("m.nnm"), "-q",
            ]).status == 0)
        let meta = try json(["inspect", path("m.nnm"), "--format", "json"])["metadata"] as! [String: Any]
        let training = meta["training"] as! [String: Any]
        let data = training["data"] as! [String: Any]
        #expect(data["rows"] as? Int == 25_000)
        #expect(data["columns"] as? [String] == ["Sex", "Age", "Height(Inches)", "Weight(Pounds)", "BMI"])
        #expect((data["hash"] as? String)?.hasPrefix("fnv1a64:") == true)
        #expect((training["split"] as? [String: Any])?["strategy"] as? String == "stratify")
        #expect((training["command"] as? [String])?.prefix(2) == ["zoo", "train"])
        let text = try Zoo.run(["inspect", path("m.nnm")]).stdout
        #expect(
            text.contains("split=stratify=BMI (5 bins)") && text.contains("data: fnv1a64:") && text.contains("command: zoo train linear"))
    }

    @Test func refusesConflictingOptions() throws {
        let r = try Zoo.run([
            "split", "data/bmi_data.csv", "--stratify", "BMI", "--group", "Age", "--train", path("a"), "--test", path("b"),
        ])
        #expect(r.status == 1 && r.stderr.contains("--stratify and --group cannot be used together"))
    }
}
