import Testing
@testable import ModelZoo
@testable import RandomForest

@Suite struct RandomForestTests {
    func forest(_ params: [String]) throws -> RandomForest {
        try ForestHyperparameters.parse(params, kind: "forest").pipe { RandomForest(hyperparameters: $0) }
    }

    func fit(_ params: [String], _ x: Matrix, _ y: [Double]) throws -> RandomForest {
        var f = try forest(params)
        _ = try f.fit(TrainingData(x: x, y: y, featureNames: (0..<x.cols).map { "x\($0)" }), context: FitContext())
        return f
    }

    @Test func singleTreeRecoversAStepExactly() throws {
        // y = 1 for x ≤ 0.3, else 5; second feature is noise.
        var rng = SplitMix64(seed: 2)
        var values: [Double] = [], y: [Double] = []
        for i in 0..<200 {
            let x = Double(i) / 200
            values += [x, rng.uniform()]
            y.append(x <= 0.3 ? 1 : 5)
        }
        let f = try fit(["trees=1", "bootstrap=false", "max_depth=1"], Matrix(rows: 200, cols: 2, values: values), y)
        #expect(f.trees.nodes.count == 3)  // a stump
        #expect(f.trees.nodes[0].feature == 0)
        #expect(abs(f.trees.nodes[0].value - (0.3 + 0.305) / 2) < 1e-12)  // midpoint between 0.3 and 0.305
        #expect(f.trees.nodes[1].value == 1 && f.trees.nodes[2].value == 5)
    }

    @Test func minSamplesLeafHoldsInEveryLeaf() throws {
        let (data, _) = try Fixtures.bmi(rows: 500)
        let f = try fit(["trees=3", "bootstrap=false", "min_samples_leaf=7"], data.trainX, data.trainY)
        // Count the training rows reaching each leaf of tree 0.
        var counts: [Int: Int] = [:]
        data.trainX.values.withUnsafeBufferPointer { X in
            f.trees.nodes.withUnsafeBufferPointer { N in
                for r in 0..<data.trainX.rows {
                    var i = 0
                    while N[i].feature >= 0 { i = X[r * data.trainX.cols + Int(N[i].feature)] <= N[i].value ? i + 1 : Int(N[i].right) }
                    counts[i, default: 0] += 1
                }
            }
        }
        #expect(counts.values.allSatisfy { $0 >= 7 })
        #expect(counts.count > 10)
    }

    @Test func identicalTreesEqualOneTree() throws {
        let (data, _) = try Fixtures.bmi(rows: 300)
        let one = try fit(["trees=1", "bootstrap=false"], data.trainX, data.trainY)
        let many = try fit(["trees=7", "bootstrap=false"], data.trainX, data.trainY)
        // Every tree is the single tree, node for node; averaged predictions agree to rounding.
        let size = one.trees.nodes.count
        #expect(many.trees.nodes.count == 7 * size)
        for t in 0..<7 { #expect(Array(many.trees.nodes[(t * size)..<((t + 1) * size)]) == one.trees.nodes) }
        for (a, b) in zip(try one.predict(data.testX), try many.predict(data.testX)) { #expect(abs(a - b) <= 1e-12 * abs(a)) }
    }

    @Test func sameSeedAnyThreadCountSameTrees() throws {
        let (data, _) = try Fixtures.bmi(rows: 400)
        let fits = try [1, 2, 5].map { threads in
            try Parallel.withMaxThreads(threads) { try fit(["trees=12", "max_features=0.5"], data.trainX, data.trainY) }
        }
        let a = fits[0]
        #expect(fits.allSatisfy { $0.trees.nodes == a.trees.nodes })
        let d = try fit(["trees=12", "seed=1", "max_features=0.5"], data.trainX, data.trainY)
        #expect(a.trees.nodes != d.trees.nodes)
    }

    @Test func oobAndImportances() throws {
        let (data, options) = try Fixtures.bmi(rows: 1500)
        let r = try Trainer.train(plugin: Plugin(RandomForest.self), parameters: ["trees=30", "oob=true"], data: data, options: options)
        let fit = r.model.metadata.fit
        let oob = try #require(fit.outOfBagR2)
        #expect(oob > 0.95 && oob < 1)
        let values = try #require(fit.featureImportances)
        #expect(abs(values.reduce(0, +) - 1) < 1e-9)
        let imp = Dictionary(uniqueKeysWithValues: zip(r.model.schema.encodedNames, values))
        // BMI depends on weight and height, not on sex or age.
        #expect(imp["Weight(Pounds)"]! > imp["Age"]!)
        #expect(imp["Height(Inches)"]! > imp["Sex=Male"]!)
    }

    @Test func hostileForestFilesAreRefused() throws {
        let (data, options) = try Fixtures.bmi(rows: 300)
        let r = try Trainer.train(plugin: Plugin(RandomForest.self), parameters: ["trees=3"], data: data, options: options)
        let good = try r.model.file()
        func load(_ replace: Tensor) throws {
            let ts = good.tensors.tensors.map { $0.name == replace.name ? replace : $0 }
            _ = try TrainedModel.load(
                NNMFile(metadata: good.metadata, tensors: try TensorBundle(ts)), registry: PluginRegistry([Plugin(RandomForest.self)]))
        }
        let t = good.tensors
        // A split feature ≥ the feature count.
        let sf = try t.indices("forest.split_feature", count: try t.tensor("forest.split_feature").count)
        #expect(throws: NNMError.self) { try load(Tensor("forest.split_feature", sf.map { _ in UInt32(9) })) }
        // Shape bits that make a tree end inside a split, or run on after its last leaf (no cycles are expressible).
        let bits = try t.uint8s("forest.shape")
        #expect(throws: NNMError.self) { try load(Tensor("forest.shape", bits.map { _ in UInt8(0xFF) })) }
        #expect(throws: NNMError.self) { try load(Tensor("forest.shape", bits.map { _ in UInt8(0) })) }
        // Node counts that disagree with the bits.
        let counts = try t.uint32s("forest.tree_nodes")
        #expect(throws: NNMError.self) { try load(Tensor("forest.tree_nodes", counts.map { $0 + 2 })) }
        #expect(throws: NNMError.self) { try load(Tensor("forest.tree_nodes", [UInt32.max, 1, 1])) }
        // Threshold and leaf indices past their tables.
        let thr = try t.tensor("forest.split_threshold")
        #expect(throws: NNMError.self) { try load(Tensor("forest.split_threshold", [UInt32](repeating: 1 << 30, count: thr.count))) }
        let lv = try t.tensor("forest.leaf_value")
        #expect(throws: NNMError.self) { try load(Tensor("forest.leaf_value", [UInt32](repeating: 1 << 30, count: lv.count))) }
        // Offsets that do not rise.
        #expect(throws: NNMError.self) { try load(Tensor("forest.threshold_offsets", [UInt32](repeating: 3, count: 5))) }
    }
}

extension ForestHyperparameters {
    func pipe<T>(_ f: (Self) -> T) -> T { f(self) }
}

@Suite struct WideForestTests {
    /// Over 256 features (more than a byte can index): fit, save, load and predict agree with each
    /// other and with walking the training-time nodes one row at a time.
    @Test func moreThan256FeaturesRoundTrip() throws {
        var rng = SplitMix64(seed: 8)
        let n = 60, p = 300
        let x = Matrix(rows: n, cols: p, values: (0..<(n * p)).map { _ in rng.uniform() })
        let y = (0..<n).map { r in x[r, 7] * 3 + x[r, 290] }
        var f = RandomForest(hyperparameters: try ForestHyperparameters.parse(["trees=3"], kind: "forest"))
        _ = try f.fit(TrainingData(x: x, y: y, featureNames: (0..<p).map { "f\($0)" }), context: FitContext())
        #expect(f.trees.nodes.contains { $0.feature >= 256 })
        let walked = x.values.withUnsafeBufferPointer { X in
            f.trees.nodes.withUnsafeBufferPointer { N in
                (0..<n).map { r in
                    f.trees.starts.reduce(0.0) { $0 + TreeNode.walk(N.baseAddress! + $1, X.baseAddress! + r * p) } / 3
                }  // as predict: sum, then ÷ trees
            }
        }
        let bundle = try TensorBundle(try f.exportState())
        let loaded = try RandomForest(hyperparameters: f.hyperparameters, state: bundle, featureCount: p)
        #expect(try f.predict(x).map(\.bitPattern) == walked.map(\.bitPattern))
        #expect(try loaded.predict(x).map(\.bitPattern) == walked.map(\.bitPattern))
    }
}
