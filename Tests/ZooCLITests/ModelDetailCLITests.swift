import Foundation
import Testing

/// What training reports and what `inspect` reveals of the learned state, through the built `zoo`.
@Suite(.serialized) struct ModelDetailCLITests {
    let dir: URL
    init() throws { dir = try Zoo.tempDir() }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func generated(rows: Int = 600) throws -> String {
        let csv = path("d.csv")
        #expect(try Zoo.run(["data", "generate", "--rows", "\(rows)", "--seed", "4", "-o", csv]).status == 0)
        return csv
    }

    func train(_ args: [String]) throws -> Zoo.Result {
        let r = try Zoo.run(["train"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return r
    }

    @Test func earlyStoppingIsPrintedStoredAndInspected() throws {
        let csv = try generated(), model = path("m.nnm")
        let r = try train([
            "mlp", "--data", csv, "--target", "BMI", "--out", model, "-p", "epochs=400", "-p", "patience=2",
            "-p", "learning_rate=0.05",
        ])
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("early stopping:") })
        // "early stopping: stopped at epoch S of 400, restored the weights of epoch B (lowest validation loss)"
        let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 3 && numbers[1] == 400 && numbers[0] == numbers[2] + 2)
        let inspected = try Zoo.run(["inspect", model])
        #expect(inspected.stdout.contains(String(line)))
        let json = try Zoo.run(["inspect", model, "--format", "json"])
        let meta = try #require(
            (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])?["metadata"] as? [String: Any])
        let stop = try #require((meta["fit"] as? [String: Any])?["early_stopping"] as? [String: Int])
        #expect(stop == ["stopped_epoch": numbers[0], "epochs": 400, "best_epoch": numbers[2]])
    }

    @Test func outOfBagR2IsPrintedAfterTraining() throws {
        let csv = try generated()
        let r = try train(["forest", "--data", csv, "--target", "BMI", "--out", path("f.nnm"), "-p", "trees=10", "-p", "oob=true"])
        let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("out-of-bag R²: ") })
        let value = try #require(Double(line.dropFirst("out-of-bag R²: ".count)))
        #expect(value > 0.9 && value < 1)
        #expect(try Zoo.run(["inspect", path("f.nnm")]).stdout.contains(String(line)))
    }

    @Test func linearCoefficientsAndTensorDumps() throws {
        let csv = try generated(), model = path("l.nnm")
        _ = try train(["linear", "--data", csv, "--target", "BMI", "--out", model])
        let text = try Zoo.run(["inspect", model]).stdout
        let table = text.components(separatedBy: "Coefficients:\n")[1].split(separator: "\n")
        #expect(table[0].hasPrefix("feature") && table[0].hasSuffix("per raw unit (BMI units)"))
        #expect(
            table[2...6].map { String($0.split(separator: " ")[0]) } == [
                "Sex=Male", "Age", "Height(Inches)", "Weight(Pounds)", "(intercept)",
            ])
        // The CSV dump of one tensor is its values, one per line, exactly as the JSON dump of all.
        let coef = try Zoo.run(["inspect", model, "--tensor", "coef"])
        #expect(coef.status == 0)
        let csvValues = coef.stdout.split(separator: "\n").map { Double($0)! }
        // JSONDecoder, not JSONSerialization: on Linux the latter rounds some doubles.
        struct Dumped: Decodable { var name: String; var values: [Double] }
        let all = try JSONDecoder().decode([Dumped].self, from: Data(try Zoo.run(["inspect", model, "--tensors"]).stdout.utf8))
        #expect(all.map(\.name) == ["coef", "intercept", "rank"])
        #expect(all[0].values == csvValues && csvValues.count == 4)
        struct Report: Decodable {
            struct Table: Decodable { struct Row: Decodable { var scaled: Double }; var rows: [Row] }; var coefficients: Table
        }
        let json = try Zoo.run(["inspect", model, "--format", "json"])
        #expect(try JSONDecoder().decode(Report.self, from: Data(json.stdout.utf8)).coefficients.rows.map(\.scaled) == csvValues)
        let missing = try Zoo.run(["inspect", model, "--tensor", "nope"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: no tensor 'nope'; the model has: coef, intercept, rank\n")
    }
}
