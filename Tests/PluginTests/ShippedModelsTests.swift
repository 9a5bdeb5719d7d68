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
        #expect(
            Set(Self.files)
                == Set(builtinPlugins.kinds.map { "bmi-\($0).nnm" } + builtinPlugins.classifierKinds.map { "bmi-category-\($0).nnm" }))
    }

    @Test(arguments: files)
    func reproducesItsStoredTestMetrics(_ name: String) throws {
        let model = try TrainedModel.load(path: Self.dir.appendingPathComponent(name).path, registry: builtinPlugins)
        let meta = model.metadata
        var options = DataOptions(target: meta.schema.target)
        options.seed = try #require(meta.training.seed)
        options.testFraction = try #require(meta.training.testFraction)
        if let classes = meta.schema.classes {
            options.task = .classification
            options.stratify = meta.training.stratified ?? true
            let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_category.csv").path)
            let data = try DatasetBuilder.prepare(table, options: options)
            #expect(data.schema.classes == classes)
            let c = try model.classify(encoded: data.testX)
            let m = ClassificationMetrics(
                actual: data.testY.map { Int($0) }, probabilities: c.probabilities, predicted: c.classIndices, labels: classes)
            let stored = try #require(meta.testClassification)
            #expect(m.rows == stored.rows && m.confusion == stored.confusion && m.accuracy == stored.accuracy)
            #expect(abs(m.logLoss - stored.logLoss) <= 1e-12 * stored.logLoss)
            return
        }
        let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_data.csv").path)
        let data = try DatasetBuilder.prepare(table, options: options)
        let m = RegressionMetrics(actual: data.testY, predicted: try model.predict(encoded: data.testX))
        let stored = try #require(meta.testMetrics)
        #expect(m.rows == stored.rows)
        #expect(abs(m.mse - stored.mse) <= 1e-12 * stored.mse)
        #expect(abs(m.mae - stored.mae) <= 1e-12 * stored.mae)
        #expect(abs(m.r2 - stored.r2) <= 1e-12)
        #expect(abs(m.maxError - stored.maxError) <= 1e-9)
    }

}
