import Foundation
import Testing
@testable import ModelZoo
import ZooPlugins

/// The shipped zoo in `models/` must keep loading and predicting exactly as when it was trained:
/// a format or plugin change that orphans these files fails here.
@Suite struct ShippedModelsTests {
    static let dir = Fixtures.root.appendingPathComponent("models")
    static let files: [String] = {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".nnm") }.sorted()
    }()

    @Test func everyBuiltinKindIsShipped() {
        #expect(Set(Self.files) == Set(builtinPlugins.kinds.map { "bmi-\($0).nnm" }))
    }

    @Test(arguments: files)
    func reproducesItsStoredTestMetrics(_ name: String) throws {
        let model = try TrainedModel.load(path: Self.dir.appendingPathComponent(name).path, registry: builtinPlugins)
        let meta = model.metadata
        var options = DataOptions(target: meta.schema.target)
        if case .int(let seed)? = meta.training["seed"] { options.seed = UInt64(seed) }
        if let f = meta.training["test_fraction"]?.doubleValue { options.testFraction = f }
        let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_data.csv").path)
        let data = try DatasetBuilder.prepare(table, options: options)
        let m = RegressionMetrics(actual: data.testY, predicted: model.predict(encoded: data.testX))
        let stored = try #require(meta.testMetrics)
        #expect(m.rows == stored.rows)
        #expect(abs(m.mse - stored.mse) <= 1e-12 * stored.mse)
        #expect(abs(m.maxError - stored.maxError) <= 1e-9)
    }

    /// Predictions of the shipped models for rows 1–3 of data/bmi_data.csv (true BMI 18.357646,
    /// 18.762652, 22.338985), pinned when the zoo was trained; `zoo demo` reproduces them (same seed).
    static let pinned: [String: [Double]] = [
        "bmi-linear.nnm": [18.432443309403368, 18.751359795593608, 22.48185711378545],
        "bmi-neuron.nnm": [18.387273220205103, 18.727521172293883, 22.35910448164922],
        "bmi-two-layer.nnm": [18.405631019632988, 18.715316105653116, 22.331360143858596],
        "bmi-mlp.nnm": [18.422258747569863, 18.748421334708382, 22.45730720012283],
        "bmi-forest.nnm": [18.358853067899982, 18.73752329769999, 22.266215923700006],
    ]

    @Test(arguments: files)
    func pinnedPredictionsOnTheFirstRows(_ name: String) throws {
        let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_data.csv").path)
        let model = try TrainedModel.load(path: Self.dir.appendingPathComponent(name).path, registry: builtinPlugins)
        let enc = try FeatureEncoder(schema: model.schema, header: table.header)
        var x = [Double](repeating: 0, count: 3 * enc.width)
        var mismatches = CaseMismatches()
        for r in 0..<3 {
            let problem = x.withUnsafeMutableBufferPointer { enc.encode(table, row: r, into: $0.baseAddress! + r * enc.width, caseMismatches: &mismatches) }
            #expect(problem == nil)
        }
        let p = model.predict(encoded: Matrix(rows: 3, cols: enc.width, values: x))
        let expected = try #require(Self.pinned[name])
        for (got, want) in zip(p, expected) {
            #expect(abs(got - want) <= 1e-9 * abs(want), "\(name): \(got) vs \(want)")
        }
    }
}
