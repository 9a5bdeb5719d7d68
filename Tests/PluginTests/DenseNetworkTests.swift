import Testing
@testable import ModelZoo

/// Analytic gradients of every layer type and activation against central finite differences.
@Suite struct DenseNetworkTests {
    func loss(_ net: DenseNetwork, _ x: Matrix, _ y: [Double]) -> Double {
        let p = net.predict(x)
        return zip(p, y).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(y.count)
    }

    @Test(arguments: Activation.allCases)
    func gradientsMatchFiniteDifferences(_ act: Activation) {
        var rng = SplitMix64(seed: 11)
        let sizes = [3, 5, 4, 1]
        var net = DenseNetwork(sizes: sizes, activations: [act, act, .linear], initialization: .glorot, rng: &rng)
        // Nudge biases off zero so relu kinks are unlikely to sit at a sample.
        for l in 0..<net.layerCount { for k in 0..<sizes[l + 1] { net.parameters[net.biasOffsets[l] + k] = rng.uniform() * 0.2 - 0.1 } }
        let rows = 7
        let x = Matrix(rows: rows, cols: 3, values: (0..<(rows * 3)).map { _ in rng.uniform() * 2 - 1 })
        let y = (0..<rows).map { _ in rng.uniform() }
        let ws = DenseNetwork.Workspace(net, capacity: rows)
        var grad = [Double](repeating: 0, count: net.parameters.count)
        x.values.withUnsafeBufferPointer { X in
            net.forward(X.baseAddress!, rows: rows, ws)
            for k in 0..<rows { ws.outputDelta[k] = 2 * (ws.output[k] - y[k]) / Double(rows) }
            grad.withUnsafeMutableBufferPointer { net.backward(X.baseAddress!, rows: rows, ws, grad: $0.baseAddress!) }
        }
        for k in 0..<net.parameters.count {
            let h = 1e-6
            var plus = net, minus = net
            plus.parameters[k] += h
            minus.parameters[k] -= h
            let numeric = (loss(plus, x, y) - loss(minus, x, y)) / (2 * h)
            let rel = abs(numeric - grad[k]) / max(1e-8, abs(numeric) + abs(grad[k]))
            #expect(rel < 1e-6 || abs(numeric - grad[k]) < 1e-9, "parameter \(k) (\(act)): analytic \(grad[k]) numeric \(numeric)")
        }
    }

    @Test func parameterCountsOfTheNotebookNetworks() {
        #expect(DenseNetwork.parameterCount([2, 6, 3, 1]) == 43)
        #expect(DenseNetwork.parameterCount([4, 6, 3, 1]) == 55)  // the BMI file's four encoded features
    }

    @Test func divergenceStopsWithAHint() {
        var rng = SplitMix64(seed: 1)
        var net = DenseNetwork(sizes: [1, 1], activations: [.linear], initialization: .glorot, rng: &rng)
        let x = Matrix(rows: 4, cols: 1, values: [1e3, 2e3, 3e3, 4e3])
        let config = DenseTrainingConfig(epochs: 50, batchSize: 1, optimizer: .sgd(learningRate: 10, momentum: 0))
        #expect {
            try DenseTrainer.train(&net, x: x, y: [1, 2, 3, 4], config: config)
        } throws: { e in
            guard case ZooError.diverged(_, let hint) = e else { return false }
            return hint.contains("smaller learning_rate")
        }
    }
}
