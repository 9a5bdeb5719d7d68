import Testing
@testable import LinearBaseline
@testable import ModelZoo
@testable import SingleNeuron

@Suite struct LinearRegressionTests {
    @Test func recoversExactCoefficientsThroughCollinearOneHot() throws {
        // y = 5 + 3·a − 2·b + 4·[g = u]; columns: a, b, g=t, g=u (one-hot: collinear with the intercept).
        var rng = SplitMix64(seed: 5)
        var values: [Double] = [], y: [Double] = []
        for _ in 0..<200 {
            let a = rng.uniform(), b = rng.uniform(), u = rng.below(2) == 1
            values += [a, b, u ? 0 : 1, u ? 1 : 0]
            y.append(5 + 3 * a - 2 * b + (u ? 4 : 0))
        }
        let x = Matrix(rows: 200, cols: 4, values: values)
        var m = LinearRegression(hyperparameters: LinearHyperparameters())
        _ = try m.fit(TrainingData(x: x, y: y, featureNames: ["a", "b", "g=t", "g=u"]), context: FitContext())
        #expect(m.rank == 3)
        #expect(abs(m.coefficients[0] - 3) < 1e-10)
        #expect(abs(m.coefficients[1] + 2) < 1e-10)
        #expect(abs((m.coefficients[3] - m.coefficients[2]) - 4) < 1e-10)
        for (p, t) in zip(try m.predict(x), y) { #expect(abs(p - t) < 1e-10) }
    }

    /// The blocked QR for many rows gives the pivoted QR's rank and fitted values, and with
    /// independent columns its coefficients: noisy data over a row count that leaves a partial last
    /// block, at one and two threads. Dependent columns: a one-hot pair, a constant column and a
    /// repeated one (which of two equal columns carries the weight is a tie either solver may break
    /// either way).
    @Test(arguments: [1, 2])
    func blockedQRMatchesThePivotedQR(threads: Int) throws {
        let n = 4 * TallSkinnyQR.blockRows + 123
        var rng = SplitMix64(seed: 9)
        var rows: [[Double]] = [], b: [Double] = []
        for _ in 0..<n {
            let u = rng.below(2) == 1, x0 = rng.normal(), x1 = 1e3 * rng.uniform(), x2 = rng.normal()
            rows.append([x0, x1, x2, u ? 0.5 : -0.5, u ? -0.5 : 0.5, 0, x0])
            b.append(2 * x0 - 0.003 * x1 + (u ? 1.5 : 0) + 4 * x2 + 0.1 * rng.normal())
        }
        for p in [4, 7] {  // independent columns; then with the dependent ones
            // The blocked solve centres each block's rows itself: the direct one gets them centred.
            let mean = (0..<p).map { c in rows.reduce(0) { $0 + $1[c] } / Double(n) }
            var a = [Double](repeating: 0, count: n * p)
            for r in 0..<n { for c in 0..<p { a[c * n + r] = rows[r][c] - mean[c] } }
            var (a1, b1) = (a, b)
            let direct = LinearRegression.solveLeastSquares(&a1, &b1, rows: n, cols: p)
            let x = rows.flatMap { $0[..<p] }
            let blocked = Parallel.withMaxThreads(threads) {
                x.withUnsafeBufferPointer { TallSkinnyQR.solve(rowMajor: $0.baseAddress!, mean: mean, b, rows: n, cols: p) }
            }
            #expect(blocked.1 == direct.1 && direct.1 == 4)
            if p == 4 { for (x, y) in zip(blocked.0, direct.0) { #expect(abs(x - y) <= 1e-10 * max(1, abs(y))) } }
            for r in stride(from: 0, to: n, by: 97) {
                let fit = { (beta: [Double]) in (0..<p).reduce(0.0) { $0 + rows[r][$1] * beta[$1] } }
                #expect(abs(fit(blocked.0) - fit(direct.0)) <= 1e-10 * max(1, abs(fit(direct.0))))
            }
        }
    }

    @Test func constantColumnGetsZeroWeight() throws {
        let x = Matrix(rows: 4, cols: 2, values: [1, 7, 2, 7, 3, 7, 4, 7])
        var m = LinearRegression(hyperparameters: LinearHyperparameters())
        _ = try m.fit(TrainingData(x: x, y: [2, 4, 6, 8], featureNames: ["a", "c"]), context: FitContext())
        #expect(m.coefficients[1] == 0)
        #expect(abs(m.coefficients[0] - 2) < 1e-12)
        #expect(abs(m.intercept) < 1e-12)
    }

    @Test func bundledBMIMetrics() throws {
        let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_data.csv").path)
        let options = DataOptions(target: "BMI")
        let data = try DatasetBuilder.prepare(table, options: options)
        let r = try Trainer.train(plugin: Plugin(LinearRegression.self), data: data, options: options)
        let m = r.model.metadata.testMetrics!
        // Same order as scikit-learn's LinearRegression on its own split (MSE 0.00788, R² 0.9967).
        #expect(m.mse < 0.0085)
        #expect(m.r2 > 0.996)
    }
}

/// scikit-learn's LinearRegression on the bundled file (rows with a missing value dropped, Sex as
/// Male = 1, unscaled features), computed once with scikit-learn 1.x and pinned here.
@Suite struct LinearMatchesScikitLearn {
    @Test func coefficientsAndPredictionsAgree() throws {
        let table = try CSVTable.read(path: Fixtures.root.appendingPathComponent("data/bmi_data.csv").path)
        var options = DataOptions(target: "BMI")
        options.testFraction = 0
        options.scaler = .none
        let data = try DatasetBuilder.prepare(table, options: options)
        #expect(data.rows.train == 24_950)
        let r = try Trainer.train(plugin: Plugin(LinearRegression.self), data: data, options: options)
        let m = r.model.model as! LinearRegression
        let sklearnIntercept = 38.665966998035884
        let sklearnCoef = [-0.0025347987185065195, -8.208905890688678e-05, -0.5696293517737471, 0.15258071454104638]
        #expect(abs(m.intercept - sklearnIntercept) < 1e-8)
        for (a, b) in zip(m.coefficients, sklearnCoef) { #expect(abs(a - b) < 1e-9) }
        let x = Matrix(rows: 2, cols: 4, values: [1, 30, 68, 140, 0, 21, 60.5, 100.25])
        let p = try r.model.predict(encoded: x)
        #expect(abs(p[0] - 21.28747364) < 1e-6)
        #expect(abs(p[1] - 19.49788398) < 1e-6)
    }
}

@Suite struct CoefficientTableTests {
    /// The original-unit weights predict raw rows as the model does (scalers folded in exactly).
    @Test func originalUnitsPredictLikeTheModel() throws {
        for scaler in [AffineScaler.Kind.minmax, .standard] {
            var options = DataOptions(target: "BMI")
            options.scaler = scaler
            var g = SyntheticBMI(rows: 400, seed: 9)
            g.missingRate = 0
            var bytes: [UInt8] = []
            try g.generate { bytes += $0 }
            let table = try CSVTable.parse(bytes)
            let data = try DatasetBuilder.prepare(table, options: options)
            let r = try Trainer.train(plugin: Plugin(LinearRegression.self), data: data, options: options)
            let coefficients = try #require(CoefficientTable(r.model))
            let predicted = try r.model.predict(encoded: data.testX)
            for row in 0..<data.testX.rows {
                // Undo each numeric column's scaling to get the raw row back.
                var raw: [Double] = []
                var k = 0
                for c in data.schema.columns {
                    for _ in 0..<c.width {
                        let v = data.testX[row, k]
                        raw.append(c.kind == .numeric ? (c.scaler ?? .identity).invert(v) : v)
                        k += 1
                    }
                }
                #expect(abs(coefficients.predict(raw: raw) - predicted[row]) <= 1e-9 * abs(predicted[row]))
            }
        }
    }

    @Test func onlyLinearModelsHaveCoefficients() throws {
        let (data, options) = try Fixtures.bmi(rows: 200)
        let r = try Trainer.train(plugin: Plugin(SingleNeuron.self), parameters: ["epochs=1"], data: data, options: options)
        #expect(CoefficientTable(r.model) == nil)
    }
}
