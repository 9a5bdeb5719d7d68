import Testing
@testable import MLP
@testable import ModelZoo
@testable import TwoLayerNet

@Suite struct TwoLayerNetTests {
    /// The notebook's forward pass (its own `two_layers` returned the wrong variable; this is the right one).
    @Test func notebookForwardPass() {
        // W1 = [[0.4, −0.2], [0.1, 0.6]], each column one neuron; b1 = [0.1, −0.2]; W2 = [0.1, −0.2]; b2 = 0.2.
        let net = DenseNetwork(
            sizes: [2, 2, 1], activations: [.sigmoid, .sigmoid],
            parameters: [0.4, -0.2, 0.1, 0.6, 0.1, -0.2, 0.1, -0.2, 0.2])
        let ws = DenseNetwork.Workspace(net, capacity: 1)
        [0.5, 0.3].withUnsafeBufferPointer { net.forward($0.baseAddress!, rows: 1, ws) }
        #expect(abs(ws.activations[1][0] - 0.58175938) < 1e-8)
        #expect(abs(ws.activations[1][1] - 0.47003595) < 1e-8)
        #expect(abs(ws.output[0] - 0.54095026) < 1e-8)
    }

    @Test func learnsScaledBMI() throws {
        let (data, options) = try Fixtures.bmi(rows: 2000)
        let r = try Trainer.train(plugin: Plugin(TwoLayerNet.self), data: data, options: options)
        #expect(r.model.metadata.testMetrics!.r2 > 0.9)
        #expect(r.model.metadata.parameterCount == 4 * 2 + 2 + 2 + 1)
        #expect(r.model.history?.loss.count == 30)
    }

    /// The notebook's uniform [0, 1) weights saturate the hidden sigmoids once there are more than
    /// a few inputs (20 here): the net predicts the mean. The default Glorot start learns.
    @Test func learnsTwentyInputsWhereTheNotebookStartSaturates() throws {
        var bytes: [UInt8] = []
        try SyntheticWide(rows: 2000, features: 20, seed: 5).generate { bytes += $0 }
        let options = DataOptions(target: "y")
        let data = try DatasetBuilder.prepare(try CSVTable.parse(bytes), options: options)
        let plugin = Plugin(TwoLayerNet.self)
        let glorot = try Trainer.train(plugin: plugin, data: data, options: options)
        let uniform = try Trainer.train(plugin: plugin, parameters: ["init=uniform"], data: data, options: options)
        #expect(glorot.model.metadata.testMetrics!.r2 > 0.7)
        #expect(uniform.model.metadata.testMetrics!.r2 < 0.05)
    }
}

@Suite struct MLPTests {
    @Test func summaryOfTheNotebookNetwork() throws {
        let (data, options) = try Fixtures.bmi(rows: 300)
        let r = try Trainer.train(plugin: Plugin(MLP.self), parameters: ["epochs=2"], data: data, options: options)
        let m = r.model.metadata
        #expect(m.parameterCount == 55)
        #expect(m.layers.map(\.parameters) == [30, 21, 4])
        #expect(m.layers.map(\.outputShape) == ["(None, 6)", "(None, 3)", "(None, 1)"])
        #expect(m.summary == "MLP(inputs: 4, hidden: [6, 3], activation: relu)")
        #expect(r.model.history?.validationLoss.count == 2)
    }

    @Test func learnsBMIWell() throws {
        let (data, options) = try Fixtures.bmi(rows: 3000)
        let r = try Trainer.train(plugin: Plugin(MLP.self), parameters: ["epochs=40"], data: data, options: options)
        #expect(r.model.metadata.testMetrics!.r2 > 0.99)
    }

    @Test func sgdAndOtherActivationsTrain() throws {
        let (data, options) = try Fixtures.bmi(rows: 500)
        for params in [
            ["optimizer=sgd", "learning_rate=0.01", "epochs=5"], ["activation=tanh", "epochs=3", "hidden=8"],
            ["activation=sigmoid", "hidden=", "epochs=2", "l2=0.001"],
        ] {
            let r = try Trainer.train(plugin: Plugin(MLP.self), parameters: params, data: data, options: options)
            #expect(r.model.metadata.testMetrics!.mse.isFinite, "\(params)")
        }
    }

    @Test func divergingTrainingWritesNothingAndSuggestsSmallerRate() throws {
        let (data, options) = try Fixtures.bmi(rows: 300)
        #expect {
            try Trainer.train(
                plugin: Plugin(MLP.self), parameters: ["optimizer=sgd", "learning_rate=10", "momentum=0.99", "hidden=64,64"],
                data: data, options: options)
        } throws: { e in
            guard case ZooError.diverged(_, let hint) = e else { return false }
            return hint.contains("smaller learning_rate")
        }
    }

    @Test func earlyStoppingStopsAndRestoresBest() throws {
        let (data, _) = try Fixtures.bmi(rows: 400)
        let scaler = AffineScaler.fit(.minmax, data.trainY)
        let y = data.trainY.map(scaler.apply)
        var rng = SplitMix64(seed: 5)
        var net = DenseNetwork(
            sizes: [data.trainX.cols, 6, 3, 1], activations: [.relu, .relu, .linear], initialization: .glorot, rng: &rng)
        var config = DenseTrainingConfig(epochs: 300, batchSize: 32, optimizer: .adam(learningRate: 0.05))
        config.validationFraction = 0.2
        config.patience = 2
        let report = try DenseTrainer.train(&net, x: data.trainX, y: y, config: config)
        let h = try #require(report.history), stop = try #require(report.earlyStopping)
        // Stopped early, `patience` epochs after the best one, and says so.
        #expect(stop.stoppedEpoch == h.loss.count && stop.stoppedEpoch < 300 && stop.epochs == 300)
        let best = h.validationLoss.indices.min { h.validationLoss[$0] < h.validationLoss[$1] }! + 1
        #expect(stop.bestEpoch == best)
        #expect(stop.stoppedEpoch - stop.bestEpoch == 2)
        // The weights in the network are the best epoch's: their validation loss is that epoch's, bit for bit.
        let nTrain = data.trainX.rows - Int(Double(data.trainX.rows) * 0.2)
        let restored = DenseTrainer.mse(net, data.trainX, y, from: nTrain, to: data.trainX.rows)
        #expect(restored.bitPattern == h.validationLoss[best - 1].bitPattern)
        #expect(restored < h.validationLoss.last!)
    }
}
