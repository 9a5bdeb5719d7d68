import Foundation
import Testing
@testable import ModelZoo
import ZooPlugins

/// `zoo compare` scoring: rows it cannot use are skipped and counted, and the rest are scored exactly
/// as a file holding only them (row slices run on all cores; targets must stay with their rows).
@Suite struct ModelEvaluationTests {
    /// An overflowing score is the model's error row, never a number to rank or to write as JSON.
    @Test func overflowingErrorsAreAnErrorRow() throws {
        let path = Fixtures.root.appendingPathComponent("models/bmi-linear.nnm").path
        let csv = "Sex,Age,Height(Inches),Weight(Pounds),BMI\nMale,30,65,150,1e200\nFemale,20,60,100,20\n"
        let row = ModelComparison.evaluate(path: path, table: try CSVTable.parse(Array(csv.utf8)), target: nil, registry: builtinPlugins)
        #expect(row.metrics == nil)
        #expect(row.error == "the model's errors overflow on these rows (MSE inf): a prediction or a target is too large to score")
    }

    @Test func unusableRowsAreSkippedAndTheRestScoredInOrder() throws {
        var g = SyntheticBMI(rows: 100_000, seed: 21)
        g.missingRate = 0
        var bytes: [UInt8] = []
        try g.generate { bytes += $0 }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)  // CRLF is one Character
        var messy = [String(lines[0])], clean = [String(lines[0])]
        var bad = 0
        for (i, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            switch i % 997 {
            case 5: f[4] = ""  // no target
            case 6: f[0] = "Other"  // unknown category
            case 7: f[1] = "old"  // text where a number belongs
            default:
                clean.append(line.description)
                messy.append(line.description)
                continue
            }
            bad += 1
            messy.append(f.joined(separator: ","))
        }
        let model = Fixtures.root.appendingPathComponent("models/bmi-linear.nnm").path
        func evaluate(_ rows: [String]) throws -> ModelEvaluation {
            let table = try CSVTable.parse(Array((rows.joined(separator: "\n") + "\n").utf8))
            return ModelComparison.evaluate(path: model, table: table, target: nil, registry: builtinPlugins)
        }
        let m = try evaluate(messy), c = try evaluate(clean)
        #expect(m.error == nil && c.error == nil)
        #expect(bad > 250)
        #expect(m.skippedRows == bad)
        #expect(c.skippedRows == 0)
        #expect(m.actual == c.actual && m.predicted == c.predicted)
        #expect(m.metrics == c.metrics)
    }

    /// Scoring in chunks (as a wide model's matrix is built: at most 64 MiB of encoded rows at a
    /// time) gives the same rows, predictions and metrics as encoding the whole table at once, with
    /// unusable rows and rows left out by `only` anywhere, including across chunk edges.
    @Test(arguments: ["bmi-forest", "bmi-category-mlp"]) func chunkedScoringEqualsScoringAtOnce(_ name: String) throws {
        let csv = try String(contentsOf: Fixtures.root.appendingPathComponent("data/bmi_data.csv"), encoding: .utf8)
        var lines = csv.split(whereSeparator: \.isNewline).prefix(3001).map(String.init)
        lines[7] = "Other,30,65,150,20"  // unknown category
        lines[8] = "Male,30,65,150,"  // no target
        let table = try CSVTable.parse(Array((lines.joined(separator: "\n") + "\n").utf8))
        let model = try TrainedModel.load(path: Fixtures.root.appendingPathComponent("models/\(name).nnm").path, registry: builtinPlugins)
        let only = Array(stride(from: 0, to: table.rowCount, by: 3))
        for rows in [nil, only] {
            var whole = ModelEvaluation(name: name, path: ""), chunked = ModelEvaluation(name: name, path: "")
            let target = model.classes == nil ? "BMI" : "Category"
            if let classes = model.classes {
                let withCategory = try CSVTable.parse(Array(categoryCSV(lines).utf8))
                try ModelComparison.evaluateClassifier(model, classes: classes, table: withCategory, target: target, only: rows, into: &whole)
                try ModelComparison.evaluateClassifier(
                    model, classes: classes, table: withCategory, target: target, only: rows, into: &chunked,
                    maxMatrixBytes: 7 * 8 * model.schema.encodedWidth)
                #expect(whole.classification == chunked.classification && whole.actualClasses == chunked.actualClasses)
                #expect(whole.probabilities == chunked.probabilities && whole.classification != nil)
            } else {
                try ModelComparison.score(model, table, target: target, only: rows, into: &whole)
                try ModelComparison.score(model, table, target: target, only: rows, into: &chunked, maxMatrixBytes: 7 * 8 * model.schema.encodedWidth)
                #expect(whole.metrics == chunked.metrics && whole.predicted == chunked.predicted && whole.actual == chunked.actual)
                #expect(whole.metrics != nil)
            }
            #expect(whole.skippedRows == chunked.skippedRows && whole.skippedRows > 0)
        }
    }

    /// The BMI rows with the BMI replaced by its WHO category (as data/bmi_category.csv).
    func categoryCSV(_ lines: [String]) -> String {
        var out = lines[0].replacingOccurrences(of: ",BMI", with: ",Category") + "\n"
        for line in lines.dropFirst() {
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if let bmi = Double(cells[4]) { cells[4] = bmi < 18.5 ? "underweight" : bmi < 25 ? "normal" : bmi < 30 ? "overweight" : "obese" }
            out += cells.joined(separator: ",") + "\n"
        }
        return out
    }
}
