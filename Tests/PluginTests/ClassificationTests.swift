import Foundation
import Testing
@testable import LinearBaseline
@testable import ModelZoo
@testable import RandomForest
import ZooPlugins
import TestScratch

/// The contract of every plugin's classifier (two classes and three), and the classifiers' own checks.
@Suite struct ClassifierConformanceTests {
    static let cases: [(String, Bool)] = builtinPlugins.classifierKinds.flatMap { [($0, false), ($0, true)] }

    func train(_ kind: String, binary: Bool, parameters: [String] = []) throws -> (TrainedModel, PreparedData) {
        let (data, options) = try Fixtures.bmiClasses(rows: 600, seed: 3, binary: binary)
        let plugin = try builtinPlugins.plugin(kind)
        let quick = try plugin.variant(for: .classification).quickFitParameters
        let r = try Trainer.train(plugin: plugin, parameters: quick + parameters, data: data, options: options)
        return (r.model, data)
    }

    @Test func everyPluginHasAClassifier() {
        #expect(builtinPlugins.classifierKinds == builtinPlugins.kinds)
    }

    @Test(arguments: cases)
    func shapesAndProbabilities(_ kind: String, _ binary: Bool) throws {
        let (model, data) = try train(kind, binary: binary)
        let k = binary ? 2 : 3
        #expect(model.classes == (binary ? ["no", "yes"] : ["high", "low", "mid"]))
        #expect(model.metadata.requires == [ModelMetadata.classificationRequirement])
        let c = try model.classify(encoded: data.testX)
        #expect(c.probabilities.rows == data.testX.rows && c.probabilities.cols == k)
        for r in 0..<c.count {
            let row = c[r].probabilities
            #expect(row.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(abs(row.reduce(0, +) - 1) < 1e-12)
            #expect(c.classIndices[r] == row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) })
        }
        let m = try #require(model.metadata.testClassification)
        #expect(m.rows == data.testX.rows && m.confusion.count == k)
        #expect(model.metadata.testMetrics == nil)
        #expect(model.metadata.layers.reduce(0) { $0 + $1.parameters } == model.metadata.parameterCount)
        #expect(model.metadata.parameterCount > 0)
    }

    @Test(arguments: cases)
    func sameSeedSameModel(_ kind: String, _ binary: Bool) throws {
        #expect(try train(kind, binary: binary).0.file().tensors == train(kind, binary: binary).0.file().tensors)
    }

    @Test(arguments: cases)
    func saveLoadPredictsBitIdentically(_ kind: String, _ binary: Bool) throws {
        let (model, data) = try train(kind, binary: binary)
        let loaded = try TrainedModel.load(try NNMFile.decode(try model.file().encode()), registry: builtinPlugins)
        let before = try model.classify(encoded: data.testX), after = try loaded.classify(encoded: data.testX)
        #expect(before.probabilities.values.map(\.bitPattern) == after.probabilities.values.map(\.bitPattern))
        #expect(try loaded.file().tensors == model.file().tensors)
        #expect(try loaded.file().metadata == model.metadata)
    }

    @Test(arguments: cases)
    func hostileFilesAreRefused(_ kind: String, _ binary: Bool) throws {
        let file = try train(kind, binary: binary).0.file()
        for victim in file.tensors.tensors where !victim.name.hasPrefix("history.") {
            let others = file.tensors.tensors.filter { $0.name != victim.name }
            var variants: [[Tensor]] = [others]
            variants.append(
                others + [
                    Tensor(name: victim.name, dtype: .u8, shape: [victim.count + 1], bytes: [UInt8](repeating: 0, count: victim.count + 1))
                ])
            if victim.dtype == .f64 {
                variants.append(others + [Tensor(victim.name, [Double](repeating: .nan, count: victim.count), shape: victim.shape)])
            }
            for v in variants {
                let bytes = try NNMFile(metadata: file.metadata, tensors: try TensorBundle(v)).encode()
                #expect(throws: NNMError.self, "\(kind): tensor \(victim.name)") {
                    try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins)
                }
            }
        }
        // Class lists that do not fit the tensors, repeat a label, or drop the requirement.
        for classes in [["a", "b", "c", "d", "e"], ["a", "a"], ["only"]] where classes.count != file.metadata.schema.classCount {
            var meta = file.metadata
            meta.schema.classes = classes
            #expect(throws: NNMError.self, "\(kind): classes \(classes)") {
                try TrainedModel.load(
                    try NNMFile.decode(try NNMFile(metadata: meta, tensors: file.tensors).encode()), registry: builtinPlugins)
            }
        }
        var meta = file.metadata
        meta.requires = []
        #expect(throws: NNMError.self) { try NNMFile.decode(try NNMFile(metadata: meta, tensors: file.tensors).encode()) }
        let stray = try NNMFile(metadata: file.metadata, tensors: TensorBundle(file.tensors.tensors + [Tensor("stray.weight", [1.0])]))
            .encode()
        #expect(throws: NNMError.unusedTensors(["stray.weight"])) {
            try TrainedModel.load(try NNMFile.decode(stray), registry: builtinPlugins)
        }
    }

    @Test(arguments: builtinPlugins.classifierKinds)
    func predictBeforeFitThrows(_ kind: String) throws {
        let model = try builtinPlugins.make(kind, task: .classification)
        #expect(throws: ZooError.notFitted(kind: kind)) { try model.predict(Matrix(rows: 1, cols: 4, values: [0, 0, 0, 0])) }
        #expect(throws: ZooError.notFitted(kind: kind)) { try model.exportState() }
        #expect(model.layers.isEmpty)
    }

    @Test(arguments: builtinPlugins.classifierKinds)
    func balancedClassWeightsAreAccepted(_ kind: String) throws {
        let (model, _) = try train(kind, binary: false, parameters: ["class_weight=balanced"])
        guard case .object(let o) = model.metadata.hyperparameters else { Issue.record("not an object"); return }
        #expect(o["class_weight"] == .string("balanced"))
    }

    @Test func forestSplitsByEntropyAndReportsOutOfBagAccuracy() throws {
        let gini = try train("forest", binary: false, parameters: ["oob=true"]).0
        let entropy = try train("forest", binary: false, parameters: ["criterion=entropy", "oob=true"]).0
        #expect(try gini.file().tensors != entropy.file().tensors)
        let oob = try #require(entropy.metadata.fit.outOfBagAccuracy)
        #expect(oob > 0.6 && oob <= 1)
        #expect(try #require(entropy.metadata.testClassification).accuracy > 0.7)
        let imp = try #require(entropy.metadata.fit.featureImportances)
        #expect(abs(imp.reduce(0, +) - 1) < 1e-12)
    }

    /// A forest's probability is the sum of its trees' leaf fractions over the tree count, divided
    /// as scikit-learn divides: with pure leaves, k of n trees is exactly k/n (3 of 20: 0.15, not the
    /// 0.15000000000000002 that multiplying by 1/20 gave, printed as such by `zoo predict`).
    @Test func forestProbabilitiesAreTheTreesShareExactly() throws {
        let (model, data) = try train("forest", binary: false)
        guard case .object(let o) = model.metadata.hyperparameters, case .int(let count)? = o["trees"] else {
            Issue.record("no tree count"); return
        }
        let trees = Double(count), p = try model.classify(encoded: data.testX).probabilities.values
        #expect(p.contains { $0 > 0 && $0 < 1 })
        for v in p { #expect(v == (v * trees).rounded() / trees, "\(v) of \(trees) trees") }
    }

    /// What `zoo plugins` documents for a classifier is what it stores.
    @Test(arguments: builtinPlugins.classifierKinds)
    func documentedDefaults(_ kind: String) throws {
        let variant = try builtinPlugins.plugin(kind).variant(for: .classification)
        let documented = JSONValue.object(Dictionary(uniqueKeysWithValues: variant.parameters.map { ($0.name, $0.defaultValue) }))
        #expect(documented == variant.defaults)
        for spec in variant.parameters { try spec.validate(spec.defaultValue) }
    }
}

@Suite struct LogisticRegressionTests {
    /// 40 rows, 2 features in [0, 1), 3 classes: the same data scikit-learn was given.
    static let y: [Int] = [
        0, 2, 2, 2, 1, 0, 1, 0, 1, 0, 0, 2, 1, 2, 2, 1, 1, 0, 0, 0, 0, 2, 2, 2, 1, 0, 2, 1, 1, 0, 0, 2, 2, 2, 2, 1, 1, 0, 1, 1,
    ]
    static var x: Matrix {
        var v: [Double] = []
        for i in 0..<40 {
            let a: Double = Double((i * 37) % 41) / 41
            let b: Double = Double((i * 17) % 43) / 43
            v += [a, b]
        }
        return Matrix(rows: 40, cols: 2, values: v)
    }

    func fit(_ y: [Int], classes: Int, _ params: [String]) throws -> LogisticRegression {
        var m = LogisticRegression(hyperparameters: try LogisticHyperparameters.parse(params, kind: "linear"))
        _ = try m.fit(TrainingData(x: Self.x, y: y.map(Double.init), featureNames: ["a", "b"], classCount: classes), context: FitContext())
        return m
    }

    func expectClose(_ a: [Double], _ b: [Double], _ tol: Double = 1e-6) {
        #expect(a.count == b.count)
        for (u, v) in zip(a, b) { #expect(abs(u - v) <= tol, "\(a) vs \(b)") }
    }

    /// `LogisticRegression(C=…, tol=1e-12, max_iter=10000).fit(X, y)` in scikit-learn 1.9.1.
    @Test func coefficientsEqualScikitLearns() throws {
        var m = try fit(Self.y, classes: 3, ["C=1"])
        expectClose(
            m.coefficients,
            [
                -1.794870784754342, 0.957043506741858, -0.26996988977125164, -0.19739727250787947,
                2.0648406745255934, -0.7596462342339785,
            ])
        expectClose(m.intercepts, [0.35709174108530717, 0.31344968685284424, -0.6705414279381475])
        m = try fit(Self.y, classes: 3, ["C=10"])
        expectClose(
            m.coefficients,
            [
                -5.560351842934357, 2.6560514917215676, -0.46370646017291395, -0.24316993635853257,
                6.024058303107273, -2.4128815553630365,
            ])
        expectClose(m.intercepts, [1.191882431966925, 0.8804455790695119, -2.0723280110364244])
        m = try fit(Self.y.map { $0 >= 1 ? 1 : 0 }, classes: 2, ["C=1"])
        expectClose(m.coefficients, [2.0749732922454616, -1.1296061545339906])
        expectClose(m.intercepts, [0.3250429220875783])
        m = try fit(Self.y, classes: 3, ["C=1", "class_weight=balanced"])
        expectClose(
            m.coefficients,
            [
                -1.8008988871201408, 0.9630181044897294, -0.24406595731684655, -0.20833418325517622,
                2.0449648444369872, -0.7546839212345532,
            ])
        expectClose(m.intercepts, [0.3714309428847689, 0.3285291563935043, -0.6999600992782716])
    }
}

@Suite struct ClassificationMetricsTests {
    /// scikit-learn 1.9.1 on the same labels and probabilities.
    @Test func metricsEqualScikitLearns() {
        let actual = [0, 1, 2, 2, 1, 0, 1, 2, 0, 1]
        let p = Matrix(
            rows: 10, cols: 3,
            values: [
                0.7, 0.2, 0.1, 0.1, 0.6, 0.3, 0.2, 0.2, 0.6, 0.1, 0.5, 0.4, 0.3, 0.4, 0.3, 0.5, 0.4, 0.1,
                0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.4, 0.4, 0.2, 0.3, 0.3, 0.4,
            ])
        let predicted = ClassDecision.argmax(p)
        #expect(predicted == [0, 1, 2, 1, 1, 0, 2, 2, 0, 2])
        let m = ClassificationMetrics(actual: actual, probabilities: p, predicted: predicted, labels: ["a", "b", "c"])
        #expect(abs(m.accuracy - 0.7) < 1e-12)
        #expect(abs(m.balancedAccuracy - 0.7222222222222222) < 1e-12)
        #expect(abs(m.macroF1 - 0.7142857142857143) < 1e-12)
        #expect(abs(m.weightedF1 - 0.7) < 1e-12)
        #expect(abs(m.logLoss - 0.7451434727619206) < 1e-12)
        #expect(abs(m.rocAUC! - 0.865079365079365) < 1e-12)
        #expect(m.perClass.map(\.precision) == [1.0, 2.0 / 3, 0.5])
        #expect(m.perClass.map(\.recall) == [1.0, 0.5, 2.0 / 3])
        #expect(m.confusion == [[3, 0, 0], [0, 2, 2], [0, 1, 2]])
        let auc = ClassificationCurves.auc(
            scores: [0.1, 0.8, 0.35, 0.4, 0.9, 0.2, 0.35, 0.6],
            positives: [false, true, true, false, true, false, true, true])
        #expect(abs(auc! - 0.8666666666666667) < 1e-12)
    }

    /// The sorted walk counts what the definition counts: every (positive, negative) pair, a tie half.
    @Test func aucEqualsThePairwiseCount() {
        var rng = SplitMix64(seed: 21)
        for trial in 0..<200 {
            let n = 2 + trial % 60
            // Few distinct scores, so ties are common.
            let scores = (0..<n).map { _ in Double(rng.below(1 + trial % 9)) / 8 }
            let positives = (0..<n).map { _ in rng.below(3) == 0 }
            let pos = zip(scores, positives).filter(\.1).map(\.0), neg = zip(scores, positives).filter { !$0.1 }.map(\.0)
            let auc = ClassificationCurves.auc(scores: scores, positives: positives)
            guard !pos.isEmpty, !neg.isEmpty else {
                #expect(auc == nil)
                continue
            }
            var pairs = 0.0
            for a in pos { for b in neg { pairs += a > b ? 1 : (a == b ? 0.5 : 0) } }
            #expect(auc == pairs / (Double(pos.count) * Double(neg.count)), "trial \(trial)")
        }
    }

    @Test func thresholdDecidesTwoClasses() throws {
        let p = Matrix(rows: 3, cols: 2, values: [0.8, 0.2, 0.6, 0.4, 0.3, 0.7])
        #expect(try ClassPredictions(probabilities: p, classes: ["n", "y"], threshold: 0.3).classIndices == [0, 1, 1])
        #expect(try ClassPredictions(probabilities: p, classes: ["n", "y"]).classIndices == [0, 0, 1])
        #expect(throws: ZooError.self) {
            try ClassPredictions(
                probabilities: Matrix(rows: 1, cols: 3, values: [0.2, 0.3, 0.5]), classes: ["a", "b", "c"], threshold: 0.5)
        }
    }
}

@Suite struct ClassificationDataTests {
    func table(_ text: String) throws -> CSVTable { try CSVTable.parse(Array(text.utf8)) }

    @Test func stratifiedSplitKeepsEveryClassShare() {
        let strata = (0..<1000).map { $0 < 700 ? 0 : ($0 < 950 ? 1 : 2) }
        let s = DataSplit.stratified(rows: Array(0..<1000), strata: strata, testFraction: 0.2, seed: 402)
        #expect(s.test.count == 200 && s.train.count == 800)
        #expect(s.test.filter { $0 < 700 }.count == 140)
        #expect(s.test.filter { $0 >= 700 && $0 < 950 }.count == 50)
        #expect(s.test.filter { $0 >= 950 }.count == 10)
        #expect(Set(s.test + s.train) == Set(0..<1000))
        #expect(s == DataSplit.stratified(rows: Array(0..<1000), strata: strata, testFraction: 0.2, seed: 402))
    }

    @Test func taskFollowsTheTarget() throws {
        let rows = (0..<120).map { "\($0),\($0 % 2)" }.joined(separator: "\n")
        let t = try table("x,y\n" + rows + "\n")
        #expect(throws: ZooError.self) { try DatasetBuilder.prepare(t, options: DataOptions(target: "y")) }
        var o = DataOptions(target: "y")
        o.task = .classification
        let c = try DatasetBuilder.prepare(t, options: o)
        #expect(c.schema.classes == ["0", "1"] && c.schema.task == .classification)
        o.task = .regression
        #expect(try DatasetBuilder.prepare(t, options: o).schema.classes == nil)
        // Numbers sort numerically, text by code points.
        let n = try table("x,y\n" + (0..<40).map { "\($0),\([10, 9, -1][$0 % 3])" }.joined(separator: "\n") + "\n")
        var on = DataOptions(target: "y")
        on.task = .classification
        #expect(try DatasetBuilder.prepare(n, options: on).schema.classes == ["-1", "9", "10"])
        let s = try table("x,y\n" + (0..<40).map { "\($0),\(["b", "B", "a"][$0 % 3])" }.joined(separator: "\n") + "\n")
        #expect(try DatasetBuilder.prepare(s, options: DataOptions(target: "y")).schema.classes == ["B", "a", "b"])
    }

    /// A regressor's comparison row keeps the JSON keys it had before classifiers; a classifier's adds its own.
    @Test func comparisonRowsKeepTheirKeys() throws {
        let (data, options) = try Fixtures.bmi(rows: 200)
        let plugin = Plugin(LinearRegression.self, classifier: LogisticRegression.self)
        var r = ModelEvaluation(name: "r", path: "r")
        try ModelComparison.measure(
            try Trainer.train(plugin: plugin, data: data, options: options).model, x: data.testX,
            actual: data.testY, into: &r)
        let rj = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        #expect(!rj.contains("task") && !rj.contains("classification_metrics") && rj.contains("\"metrics\""))
        let (cd, co) = try Fixtures.bmiClasses(rows: 200)
        var c = ModelEvaluation(name: "c", path: "c")
        try ModelComparison.measureClassifier(
            try Trainer.train(plugin: plugin, data: cd, options: co).model, x: cd.testX,
            actual: cd.testY.map { Int($0) }, into: &c)
        let cj = String(decoding: try JSONEncoder().encode(c), as: UTF8.self)
        #expect(cj.contains("\"task\":\"classify\"") && cj.contains("classification_metrics"))
    }

    @Test func batchPredictionWritesLabelAndProbabilities() throws {
        let (data, options) = try Fixtures.bmiClasses(rows: 300, binary: true)
        let model = try Trainer.train(
            plugin: Plugin(LinearRegression.self, classifier: LogisticRegression.self), data: data,
            options: options
        ).model
        let csv = "Sex,Age,Height(Inches),Weight(Pounds)\nMale,30,70,200\nFemale,25,62,100\n"
        let path = Scratch.unique("cls", suffix: ".csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        final class Collect: OutputSink {
            var bytes: [UInt8] = []
            func write(_ b: [UInt8]) throws { bytes += b }
            func commit() throws {}
            func abandon() {}
        }
        func run(_ configure: (inout PredictOptions) -> Void) throws -> [[String]] {
            var o = PredictOptions()
            configure(&o)
            let sink = Collect()
            _ = try BatchPredictor.run(model: model, input: try InputSource(path: path), output: sink, options: o)
            return String(decoding: sink.bytes, as: UTF8.self).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
        }
        let out = try run { _ in }
        #expect(out[0] == ["Sex", "Age", "Height(Inches)", "Weight(Pounds)", "Class_pred", "Class_proba_no", "Class_proba_yes"])
        for row in out.dropFirst() {
            let p = row[5...6].map { Double($0)! }
            #expect(abs(p[0] + p[1] - 1) < 1e-12)
            #expect(row[4] == (p[1] > p[0] ? "yes" : "no"))
        }
        #expect(try run { $0.probabilities = false }[0].last == "Class_pred")
        #expect(try run { $0.threshold = 0 }.dropFirst().allSatisfy { $0[4] == "yes" })
        #expect(throws: ZooError.self) { try run { $0.threshold = 1.01 } }
    }
}
