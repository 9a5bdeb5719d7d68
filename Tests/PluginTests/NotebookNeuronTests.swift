import Testing
@testable import ModelZoo
@testable import SingleNeuron

/// The teaching notebook's hand-computed numbers, reproduced to 1e-8.
@Suite struct NotebookNeuronTests {
    @Test func oneUpdateStepMatchesTheNotebook() throws {
        var h = NeuronHyperparameters()
        h.weights = [0.4, -0.2, 0.1]
        h.learningRate = 0.1
        h.epochs = 1
        h.shuffle = false
        let x = Matrix(rows: 1, cols: 2, values: [0.5, 0.3])
        var net = try SingleNeuron.initialNetwork(inputs: 2, h)
        let out0 = net.predict(x)[0]
        #expect(abs(out0 - 0.55971365) < 1e-8)
        #expect(abs((0.7 - out0) * (0.7 - out0) - 0.01968026) < 1e-8)

        let report = try DenseTrainer.train(&net, x: x, y: [0.7], config: SingleNeuron.config(h))
        #expect(abs(report.history!.loss[0] - 0.01968026) < 1e-8)  // loss before the update, as the notebook printed
        #expect(abs(net.parameters[0] - 0.40172857) < 1e-8)
        #expect(abs(net.parameters[1] - -0.19896286) < 1e-8)
        #expect(abs(net.parameters[2] - 0.10345714) < 1e-8)
        let out1 = net.predict(x)[0]
        #expect(abs(out1 - 0.56085495) < 1e-8)
        #expect(abs((0.7 - out1) * (0.7 - out1) - 0.01936134) < 1e-8)
    }

    @Test func wrongWeightCountIsAParameterError() {
        var h = NeuronHyperparameters()
        h.weights = [1, 2]
        #expect(throws: ZooError.invalidParameter(key: "weights", value: "2 numbers", expected: "4 numbers (3 weights, then the bias)")) {
            try SingleNeuron.initialNetwork(inputs: 3, h)
        }
    }

    @Test func scaledTargetLetsTheNeuronLearnBMI() throws {
        let (data, options) = try Fixtures.bmi(rows: 2000)
        let r = try Trainer.train(plugin: Plugin(SingleNeuron.self), parameters: ["epochs=20"], data: data, options: options)
        // The notebook's neuron on raw BMI targets sat at MSE ≈ 9,894; scaled, it must be close to the line.
        #expect(r.model.metadata.testMetrics!.r2 > 0.95)
        #expect(r.model.metadata.schema.targetScaler.kind == .minmax)
    }
}
