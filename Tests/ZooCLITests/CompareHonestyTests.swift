import Foundation
import Testing

/// `compare` and `report` never call training rows "test" and never rank in-sample scores against held-out ones.
@Suite struct CompareHonestyTests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }
    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func rows(_ args: [String]) throws -> [[String: Any]] {
        let r = try Zoo.run(args + ["--format", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]] ?? []
    }

    @Test func aMemorisingModelIsNotRankedOnItsTrainingRows() throws {
        let csv = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "300", "--seed", "9", "-o", csv])
        let models = path("m")
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", models + "/linear.nnm", "-q"]).status == 0)
        #expect(
            try Zoo.run([
                "train", "forest", "--data", csv, "--target", "BMI", "--test-fraction", "0", "-p", "trees=10",
                "--out", models + "/forest-all-rows.nnm", "-q",
            ]).status == 0)
        let r = try rows(["compare", models, "--data", csv])
        #expect(r.map { $0["name"] as? String } == ["linear.nnm", "forest-all-rows.nnm"])  // in-sample is ranked after
        #expect(r.map { $0["row_set"] as? String } == ["held-out", "in-sample"])
        #expect(r.map { $0["rows"] as? Int } == [60, 300])
        let table = try Zoo.run(["compare", models, "--data", csv])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines[2].hasPrefix("*  linear.nnm") && lines[3].hasPrefix("   forest-all-rows.nnm") && lines[3].contains("in-sample"))
        #expect(!table.stdout.lowercased().contains("test"))
        #expect(table.stderr.contains("warning: forest-all-rows.nnm is scored in-sample"))
        let report = try Zoo.run(["report", models, "--data", csv, "-o", path("r.html")])
        #expect(report.status == 0)
        let html = try String(contentsOfFile: path("r.html"), encoding: .utf8)
        #expect(!html.contains("Test RMSE") && html.contains("in-sample"))
        #expect(html.contains("<td>forest-all-rows.nnm</td><td>forest</td><td>BMI</td><td>in-sample</td>"))
    }

    /// The same for classifiers: a forest classifier trained on every row scores a lower log-loss on
    /// them than the held-out neuron, and was ranked first and starred for it in the classifiers' table.
    @Test func aMemorisingClassifierIsNotRankedOnItsTrainingRows() throws {
        let csv = Zoo.root.appendingPathComponent("data/bmi_category.csv").path
        let models = path("c")
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        let features = ["--features", "Height(Inches),Weight(Pounds)"]
        #expect(
            try Zoo.run(["train", "neuron", "--data", csv, "--target", "Category", "--out", models + "/neuron.nnm", "-q"] + features)
                .status == 0)
        #expect(
            try Zoo.run(
                [
                    "train", "forest", "--data", csv, "--target", "Category", "--test-fraction", "0", "-p", "trees=10",
                    "--out", models + "/forest-all-rows.nnm", "-q",
                ] + features
            ).status == 0)
        let r = try rows(["compare", models, "--data", csv])
        #expect(r.map { $0["name"] as? String } == ["neuron.nnm", "forest-all-rows.nnm"])
        #expect(r.map { $0["row_set"] as? String } == ["held-out", "in-sample"])
        let table = try Zoo.run(["compare", models, "--data", csv])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines[0].contains("classifier") && lines[0].contains("scored on") && lines[0].contains("rows"))
        #expect(lines[2].hasPrefix("*  neuron.nnm") && lines[2].contains("held-out"))
        #expect(lines[3].hasPrefix("   forest-all-rows.nnm") && lines[3].contains("in-sample"))
        #expect(table.stderr.contains("warning: forest-all-rows.nnm is scored in-sample"))
        #expect(try Zoo.run(["report", models, "--data", csv, "-o", path("c.html")]).status == 0)
        let html = try String(contentsOfFile: path("c.html"), encoding: .utf8)
        #expect(html.contains("<tr class=\"best\"><td>★</td><td>neuron.nnm</td>"))
        #expect(html.contains("<td>forest-all-rows.nnm</td><td>forest</td><td>Category</td><td>in-sample</td>"))
    }

    /// The train.csv `zoo split` wrote is not the training file, but holds its rows: in-sample, found by the row probe.
    @Test func theSplitsTrainingFileIsInSampleAndItsTestFileIsNot() throws {
        let csv = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "300", "--seed", "2", "-o", csv])
        #expect(try Zoo.run(["split", csv, "--target", "BMI", "--train", path("tr.csv"), "--test", path("te.csv")]).status == 0)
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", path("m.nnm"), "-q"]).status == 0)
        let onTrain = try rows(["compare", path("m.nnm"), "--data", path("tr.csv")])
        #expect(onTrain.first?["row_set"] as? String == "in-sample" && onTrain.first?["rows"] as? Int == 240)
        #expect((onTrain.first?["row_set_note"] as? String)?.contains("64 of 64 sampled training rows") == true)
        let onTest = try rows(["compare", path("m.nnm"), "--data", path("te.csv")])
        #expect(onTest.first?["row_set"] as? String == "other-data" && onTest.first?["rows"] as? Int == 60)
        let held = try rows(["compare", path("m.nnm"), "--data", csv])
        // The held-out rows of the training file are the rows of te.csv: the same metrics.
        #expect(held.first?["row_set"] as? String == "held-out")
        #expect(
            (held.first?["metrics"] as? [String: Any])?["rmse"] as? Double == (onTest.first?["metrics"] as? [String: Any])?["rmse"]
                as? Double)
    }

    @Test func modelsOfDifferentTargetsAreRankedApart() throws {
        let csv = path("d.csv")
        try Zoo.run(["data", "generate", "--rows", "200", "--seed", "3", "-o", csv])
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "BMI", "--out", path("bmi.nnm"), "-q"]).status == 0)
        #expect(try Zoo.run(["train", "linear", "--data", csv, "--target", "Age", "--out", path("age.nnm"), "-q"]).status == 0)
        let table = try Zoo.run(["compare", path("bmi.nnm"), path("age.nnm"), "--data", csv])
        let lines = table.stdout.split(separator: "\n")
        #expect(lines[2].hasPrefix("*  age.nnm") && lines[3].hasPrefix("*  bmi.nnm"))  // each the best of its target
        #expect(table.stderr.contains("different targets"))
    }
}
