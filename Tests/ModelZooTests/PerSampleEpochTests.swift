import Foundation
import Testing

@testable import ModelZoo

/// The per-sample loop must train what the generic batch path trains with batch 1: the same bits
/// for two outputs or more; to rounding for one output, whose sums run in four partial sums.
@Suite struct PerSampleEpochTests {
    static func data(rows: Int, cols: Int, classes: Int) -> (Matrix, [Double]) {
        var rng = SplitMix64(seed: 7)
        let x = (0..<(rows * cols)).map { _ in rng.uniform() * 2 - 1 }
        // Classes from a noisy linear rule, so the logits keep moving for every epoch.
        let y = (0..<rows).map { r -> Double in
            let s = (0..<cols).reduce(0.0) { $0 + x[r * cols + $1] * Double($1 + 1) } + rng.uniform() - 0.5
            return classes == 0 ? s : Double(min(classes - 1, max(0, Int((s + 2) / 4 * Double(classes)))))
        }
        return (Matrix(rows: rows, cols: cols, values: x), y)
    }

    @Test(arguments: [
        (classes: 0, activation: Activation.sigmoid, weighted: false),
        (classes: 0, activation: Activation.sigmoid, weighted: true),
        (classes: 2, activation: Activation.linear, weighted: false),
        (classes: 3, activation: Activation.linear, weighted: true),
        (classes: 3, activation: Activation.linear, weighted: false),
        (classes: 4, activation: Activation.linear, weighted: false),
        (classes: 9, activation: Activation.linear, weighted: false),
    ])
    func perSampleEpochMatchesTheBatchPath(classes: Int, activation: Activation, weighted: Bool) throws {
        let (x, y) = Self.data(rows: 300, cols: 10, classes: classes)
        let outputs = classes == 0 || classes == 2 ? 1 : classes
        var rng = SplitMix64(seed: 3)
        let start = DenseNetwork(sizes: [10, outputs], activations: [activation], initialization: .uniform, rng: &rng)
        var config = DenseTrainingConfig(epochs: 4, batchSize: 1, optimizer: .sgd(learningRate: 0.05, momentum: 0))
        config.gradientScale = 1
        config.seed = 11
        if classes > 0 { config.loss = .crossEntropy }
        if weighted { config.sampleWeights = (0..<300).map { 0.5 + Double($0 % 3) } }
        var fast = start, slow = start
        var a = EpochRunner(fast, x: x, y: y, rows: 300, config: config)
        var b = EpochRunner(slow, x: x, y: y, rows: 300, config: config)
        #expect(a.perSample)
        // One output sums in four partial sums; unweighted softmaxes of up to four classes take a
        // vector exp and their losses the log of a product. The rest is the batch path's arithmetic.
        let sameBits = outputs > 1 && (weighted || outputs > 4)
        for epoch in 1...4 {
            let la = try a.perSampleEpoch(&fast, number: epoch)
            let lb = try b.batchEpoch(&slow, number: epoch)
            #expect(abs(la - lb) <= 1e-13 * lb, "epoch \(epoch) loss \(la) vs \(lb)")
            if sameBits { #expect(la.bitPattern == lb.bitPattern) }
        }
        if sameBits { #expect(fast.parameters.map(\.bitPattern) == slow.parameters.map(\.bitPattern)) }
        for (f, s) in zip(fast.parameters, slow.parameters) { #expect(abs(f - s) <= 1e-12 * max(1, abs(s))) }
        #expect(fast.parameters != start.parameters)
        #expect(a.step == b.step)
    }

    @Test func logProductSumsTheLogsOfItsFactors() {
        var rng = SplitMix64(seed: 5)
        var product = LogProduct(), sum = 0.0
        for i in 0..<100_000 {
            // Factors across the whole range: most near 1, some as small as 1e-300.
            let p = i % 97 == 0 ? pow(10, -300 * rng.uniform()) : 1 - rng.uniform() * 0.999
            product.multiply(by: p)
            sum += log(p)
        }
        #expect(abs(product.log - sum) <= 1e-12 * abs(sum), "\(product.log) vs \(sum)")
        product.multiply(by: .nan)
        product.multiply(by: 0.5)
        #expect(product.log.isNaN)
    }

    @Test func otherConfigurationsTakeTheBatchPath() {
        var rng = SplitMix64(seed: 1)
        let oneLayer = DenseNetwork(sizes: [3, 1], activations: [.sigmoid], initialization: .uniform, rng: &rng)
        let twoLayers = DenseNetwork(sizes: [3, 2, 1], activations: [.sigmoid, .sigmoid], initialization: .uniform, rng: &rng)
        let sgd = DenseTrainingConfig(epochs: 1, batchSize: 1, optimizer: .sgd(learningRate: 0.1, momentum: 0))
        var momentum = sgd
        momentum.optimizer = .sgd(learningRate: 0.1, momentum: 0.9)
        var l2 = sgd
        l2.l2 = 0.01
        #expect(EpochRunner.runsPerSample(oneLayer, batch: 1, config: sgd))
        #expect(!EpochRunner.runsPerSample(twoLayers, batch: 1, config: sgd))
        #expect(!EpochRunner.runsPerSample(oneLayer, batch: 2, config: sgd))
        #expect(!EpochRunner.runsPerSample(oneLayer, batch: 1, config: momentum))
        #expect(!EpochRunner.runsPerSample(oneLayer, batch: 1, config: l2))
        let adam = DenseTrainingConfig(epochs: 1, batchSize: 1, optimizer: .adam(learningRate: 0.1))
        #expect(!EpochRunner.runsPerSample(oneLayer, batch: 1, config: adam))
    }

    /// Averaged SGD by hand: plain per-sample logistic (or softmax) regression in the trainer's row
    /// order, summing the weights after each of the last `fraction` of the updates.
    static func averagedByHand(
        _ start: [Double], x: Matrix, y: [Double], outputs k: Int, lr: Double, epochs: Int, seed: UInt64, fraction: Double
    ) -> [Double] {
        let (n, p) = (x.rows, x.cols)
        var w = start, sum = [Double](repeating: 0, count: w.count), added = 0, update = 0
        let from = n * epochs - Int((fraction * Double(n * epochs)).rounded(.up))
        var rng = SplitMix64(seed: seed)
        var order = Array(0..<n)
        for _ in 0..<epochs {
            rng.shuffle(&order)
            for r in order {
                // Logits: weights [p, k] row-major, then k biases.
                var z = (0..<k).map { j in (0..<p).reduce(w[p * k + j]) { $0 + x[r, $1] * w[$1 * k + j] } }
                if k == 1 {
                    z[0] = 1 / (1 + exp(-z[0])) - (y[r] == 1 ? 1 : 0)
                } else {
                    let m = z.max()!, e = z.map { exp($0 - m) }, s = e.reduce(0, +)
                    z = (0..<k).map { e[$0] / s - ($0 == Int(y[r]) ? 1 : 0) }
                }
                for j in 0..<k {
                    for i in 0..<p { w[i * k + j] -= lr * x[r, i] * z[j] }
                    w[p * k + j] -= lr * z[j]
                }
                update += 1
                if update > from {
                    for q in 0..<w.count { sum[q] += w[q] }
                    added += 1
                }
            }
        }
        return sum.map { $0 / Double(added) }
    }

    /// The trained weights are the mean of the weights after each of the last `averageFraction` of
    /// the updates, for one output (four partial sums), a few (SIMD lanes) and many (one at a time),
    /// averaging that starts inside an epoch (30% of 3 × 50 updates) and over the whole run.
    @Test(arguments: [(classes: 2, fraction: 0.3), (classes: 3, fraction: 0.3), (classes: 9, fraction: 0.3), (classes: 3, fraction: 1)])
    func averagedSGDIsTheMeanOfTheLastUpdates(classes: Int, fraction: Double) throws {
        let (x, y) = Self.data(rows: 50, cols: 6, classes: classes)
        let outputs = classes == 2 ? 1 : classes
        var rng = SplitMix64(seed: 3)
        var net = DenseNetwork(sizes: [6, outputs], activations: [.linear], initialization: .uniform, rng: &rng)
        let start = net.parameters
        var config = DenseTrainingConfig(epochs: 3, batchSize: 1, optimizer: .sgd(learningRate: 0.5, momentum: 0))
        (config.gradientScale, config.seed, config.loss, config.averageFraction) = (1, 11, .crossEntropy, fraction)
        _ = try DenseTrainer.train(&net, x: x, y: y, config: config)
        let expected = Self.averagedByHand(start, x: x, y: y, outputs: outputs, lr: 0.5, epochs: 3, seed: 11, fraction: fraction)
        for (got, want) in zip(net.parameters, expected) { #expect(abs(got - want) <= 1e-12 * max(1, abs(want)), "\(got) vs \(want)") }
        // The mean differs from the last update's weights.
        var last = DenseNetwork(sizes: [6, outputs], activations: [.linear], parameters: start)
        config.averageFraction = 0
        _ = try DenseTrainer.train(&last, x: x, y: y, config: config)
        #expect(zip(last.parameters, expected).contains { abs($0 - $1) > 1e-6 })
    }
}
