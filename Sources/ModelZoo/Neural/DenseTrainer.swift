import CZooKernels
import Foundation

/// Optimizers for `DenseTrainer`, with Keras's defaults.
public enum Optimizer: Sendable, Equatable {
    /// Plain or momentum SGD: v = μ·v − η·g; w += v.
    case sgd(learningRate: Double, momentum: Double)
    /// Adam (Kingma & Ba) with bias correction, as Keras computes it.
    case adam(learningRate: Double, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-7)
}

/// What a `DenseNetwork` is trained to minimise.
public enum DenseLoss: Sendable, Equatable {
    /// Mean squared error of the single output.
    case squaredError
    /// Cross-entropy of class indices in `y`: the outputs are logits, turned into probabilities by a
    /// sigmoid (one output: two classes) or a softmax (one output per class); dLoss/dlogit = p − onehot.
    case crossEntropy
}

/// How to train a `DenseNetwork` on mean squared error or cross-entropy.
public struct DenseTrainingConfig: Sendable {
    public var loss = DenseLoss.squaredError
    /// Per-row weights of the training loss (class weights); nil weighs every row once.
    public var sampleWeights: [Double]?
    public var epochs: Int
    public var batchSize: Int
    public var optimizer: Optimizer
    /// L2 penalty λ: adds λ·w to each weight's gradient (biases are not penalised).
    public var l2 = 0.0
    /// dLoss/dOutput = scale·(output − target)/batch. 2 is the true MSE gradient (Keras, PyTorch);
    /// 1 is the notebook's rule, which drops the factor 2.
    public var gradientScale = 2.0
    /// Reshuffle the training rows every epoch (seeded).
    public var shuffle = true
    /// The last fraction of rows held out for validation loss (Keras's `validation_split`).
    public var validationFraction = 0.0
    /// Stop after this many epochs without validation improvement (0 = never); the best weights are restored.
    public var patience = 0
    public var seed: UInt64 = 0
    /// Averaged SGD (Polyak–Ruppert): the trained weights are the mean of the weights after each of
    /// the last `averageFraction` of all updates, not the last update's (0: the last). Batch-1 plain
    /// SGD only (`EpochRunner.runsPerSample`); a large constant step keeps hopping around the optimum,
    /// and the mean of the hops sits much closer to it.
    public var averageFraction = 0.0

    public init(epochs: Int, batchSize: Int, optimizer: Optimizer) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
    }
}

/// Mini-batch gradient descent over a `DenseNetwork`: contiguous buffers, no allocation per batch.
public enum DenseTrainer {
    /// Trains `net` in place; returns per-epoch losses (mean squared error in the data's units) and,
    /// with a validation split and patience, where early stopping ended and which epoch's weights
    /// were restored. Throws `ZooError.diverged` as soon as the loss stops being finite, or grows past
    /// a million times the target's variance (the loss of always predicting the mean): such a run
    /// never recovers.
    public static func train(
        _ net: inout DenseNetwork, x: Matrix, y: [Double], config: DenseTrainingConfig,
        progress: (TrainingProgress) -> Void = { _ in }
    ) throws -> FitReport {
        precondition(x.rows == y.count && x.cols == net.inputs)
        precondition(config.loss == .crossEntropy || net.sizes.last == 1, "DenseTrainer fits one output by squared error")
        let nVal = config.validationFraction > 0 ? min(x.rows - 1, Int(Double(x.rows) * config.validationFraction)) : 0
        let nTrain = x.rows - nVal
        guard nTrain > 0 else { throw ZooError.insufficientData("no rows left to train on after the validation split") }
        var run = EpochRunner(net, x: x, y: y, rows: nTrain, config: config)
        var history = TrainingHistory()
        var best = (loss: Double.infinity, params: net.parameters, epoch: 0)
        var lastEpoch = 0
        for epoch in 1...max(1, config.epochs) {
            let t0 = Date()
            let loss = try run.epoch(&net, number: epoch)
            history.loss.append(loss)
            var monitored = loss
            if nVal > 0 {
                monitored =
                    config.loss == .crossEntropy
                    ? crossEntropy(net, x, y, from: nTrain, to: x.rows)
                    : mse(net, x, y, from: nTrain, to: x.rows)
                history.validationLoss.append(monitored)
            }
            let dt = Date().timeIntervalSince(t0)
            progress(
                TrainingProgress(
                    step: epoch, totalSteps: config.epochs, unit: .epoch, loss: loss,
                    validationLoss: nVal > 0 ? monitored : nil, rowsPerSecond: Double(nTrain) / max(dt, 1e-9)))
            lastEpoch = epoch
            if monitored < best.loss { best = (monitored, net.parameters, epoch) }
            if config.patience > 0, epoch - best.epoch >= config.patience { break }
        }
        if let averaged = run.averagedParameters() { net.parameters = averaged }
        guard nVal > 0 && config.patience > 0 else { return FitReport(history: history) }
        net.parameters = best.params
        return FitReport(
            history: history, earlyStopping: EarlyStopping(stoppedEpoch: lastEpoch, epochs: config.epochs, bestEpoch: best.epoch))
    }

    /// Mean squared error of `net` on rows `from..<to`.
    static func mse(_ net: DenseNetwork, _ x: Matrix, _ y: [Double], from: Int, to: Int) -> Double {
        let sub = Matrix(rows: to - from, cols: x.cols, values: Array(x.values[(from * x.cols)..<(to * x.cols)]))
        let p = net.predict(sub)
        var s = 0.0
        for k in 0..<p.count { let e = p[k] - y[from + k]; s += e * e }
        return s / Double(max(1, p.count))
    }

    /// Mean cross-entropy of `net`'s class probabilities on rows `from..<to` (probabilities clipped at 1e-15).
    static func crossEntropy(_ net: DenseNetwork, _ x: Matrix, _ y: [Double], from: Int, to: Int) -> Double {
        let sub = Matrix(rows: to - from, cols: x.cols, values: Array(x.values[(from * x.cols)..<(to * x.cols)]))
        let p = net.probabilities(sub)
        var s = 0.0
        for k in 0..<p.rows { s -= log(max(p[k, Int(y[from + k])], 1e-15)) }
        return s / Double(max(1, p.rows))
    }

    @inline(__always)
    static func applyUpdate(
        _ params: inout [Double], _ G: UnsafeMutableBufferPointer<Double>, _ m: inout [Double], _ v: inout [Double],
        _ isWeight: [Bool], _ config: DenseTrainingConfig, _ step: Int
    ) {
        let n = params.count
        params.withUnsafeMutableBufferPointer { P in
            m.withUnsafeMutableBufferPointer { M in
                v.withUnsafeMutableBufferPointer { V in
                    isWeight.withUnsafeBufferPointer { W in
                        let l2 = config.l2
                        switch config.optimizer {
                        case let .sgd(lr, mu):
                            for k in 0..<n {
                                let g = G[k] + (l2 > 0 && W[k] ? l2 * P[k] : 0)
                                if mu == 0 { P[k] -= lr * g } else { M[k] = mu * M[k] - lr * g; P[k] += M[k] }
                            }
                        case let .adam(lr, b1, b2, eps):
                            let t = Double(step)
                            // Keras: lr_t = lr·√(1−β2^t)/(1−β1^t); w −= lr_t·m/(√v + ε).
                            let lrT = lr * (1 - pow(b2, t)).squareRoot() / (1 - pow(b1, t))
                            // Elementwise in C (vector square roots, subnormals flushed: see zoo_adam_step): all
                            // at once, or with L2 a run of weights (penalised) or of biases (not) at a time. With L2
                            // the Swift loop this replaced took 13.6 s for hidden 64,64 on BMI on an Intel Xeon.
                            var k = 0
                            while k < n {
                                var end = l2 == 0 ? n : k + 1
                                while end < n && W[end] == W[k] { end += 1 }
                                zoo_adam_step(
                                    Int64(end - k), P.baseAddress! + k, M.baseAddress! + k, V.baseAddress! + k, G.baseAddress! + k,
                                    W[k] ? l2 : 0, b1, b2, lrT, eps, 0)
                                k = end
                            }
                        }
                    }
                }
            }
        }
    }
}

/// One epoch of mini-batches at a time over the first `rows` rows of `x`, with the buffers (batch,
/// gradient, optimizer moments, row order) allocated once for the whole run.
struct EpochRunner {
    let x: Matrix
    let y: [Double]
    let rows: Int
    let batch: Int
    let config: DenseTrainingConfig
    let ws: DenseNetwork.Workspace
    var grad: [Double], m: [Double], v: [Double]
    let isWeight: [Bool]
    var xb: [Double]
    var order: [Int]
    var rng: SplitMix64
    var step = 0
    let divergedAbove: Double
    /// Row blocks per batch, each forward/backward on its own core (`BlockGradients`); fixed by the
    /// network's and batch's size, never by the thread count, so the model is the same on any machine.
    let blocks: BlockGradients?
    /// One layer, batch 1, plain SGD: `perSampleEpoch`'s loop.
    let perSample: Bool
    /// Averaged SGD: the sum of the weights after each update from update number `averageFrom` on
    /// (counted over the whole run, so `step − averageFrom` of them have been added).
    var averageSum: [Double] = []
    let averageFrom: Int

    init(_ net: DenseNetwork, x: Matrix, y: [Double], rows: Int, config: DenseTrainingConfig) {
        self.x = x
        self.y = y
        self.rows = rows
        self.config = config
        batch = max(1, min(config.batchSize, rows))
        ws = DenseNetwork.Workspace(net, capacity: batch)
        let p = net.parameters.count
        grad = [Double](repeating: 0, count: p)
        m = grad
        v = grad
        var w = [Bool](repeating: false, count: p)
        for l in 0..<net.layerCount { for k in net.weightOffsets[l]..<net.biasOffsets[l] { w[k] = true } }
        isWeight = w
        xb = [Double](repeating: 0, count: batch * x.cols)
        order = Array(0..<rows)
        rng = SplitMix64(seed: config.seed)
        if config.loss == .crossEntropy {
            divergedAbove = 1e6 * max(1, log(Double(max(2, net.sizes.last!))))
        } else {
            let yMean = y.reduce(0, +) / Double(y.count)
            let variance = y.reduce(0) { $0 + ($1 - yMean) * ($1 - yMean) } / Double(y.count)
            divergedAbove = 1e6 * max(variance, yMean * yMean, 1e-12)
        }
        // Row blocks compute the squared error's delta only: cross-entropy and weighted rows stay on one block.
        let plainSquaredError = config.loss == .squaredError && config.sampleWeights == nil
        blocks = plainSquaredError && BlockGradients.worthIt(net, batch: batch) ? BlockGradients(net, batch: batch) : nil
        perSample = EpochRunner.runsPerSample(net, batch: batch, config: config)
        precondition(config.averageFraction == 0 || perSample, "averaged SGD runs on the per-sample path only")
        let updates = rows * max(1, config.epochs)
        averageFrom = updates - Int((config.averageFraction * Double(updates)).rounded(.up))
        if config.averageFraction > 0 { averageSum = [Double](repeating: 0, count: net.parameters.count) }
    }

    /// The mean of the weights summed for averaged SGD; nil when none were (no averaging).
    func averagedParameters() -> [Double]? {
        let added = step - averageFrom
        guard !averageSum.isEmpty, added > 0 else { return nil }
        let n = Double(added)
        return averageSum.map { $0 / n }
    }

    /// Trains one epoch and returns its mean training loss.
    mutating func epoch(_ net: inout DenseNetwork, number: Int) throws -> Double {
        try perSample ? perSampleEpoch(&net, number: number) : batchEpoch(&net, number: number)
    }

    /// One epoch of mini-batches through the network's forward and backward passes.
    mutating func batchEpoch(_ net: inout DenseNetwork, number: Int) throws -> Double {
        if config.shuffle { rng.shuffle(&order) }
        var sumLoss = 0.0
        var start = 0
        while start < rows {
            let n = min(batch, rows - start)
            let batchLoss = gradient(net, from: start, count: n)
            guard batchLoss.isFinite else { throw ZooError.diverged(epoch: number, hint: "try a smaller learning_rate") }
            sumLoss += batchLoss
            step += 1
            grad.withUnsafeMutableBufferPointer { G in
                DenseTrainer.applyUpdate(&net.parameters, G, &m, &v, isWeight, config, step)
            }
            start += n
        }
        let loss = sumLoss / Double(rows)
        guard loss.isFinite, loss <= divergedAbove, net.parameters.allSatisfy(\.isFinite) else {
            throw ZooError.diverged(epoch: number, hint: "try a smaller learning_rate")
        }
        return loss
    }

    /// Fills `grad` for the `n` rows at `order[start...]` and returns their summed squared error.
    mutating func gradient(_ net: DenseNetwork, from start: Int, count n: Int) -> Double {
        let cols = x.cols, scale = config.gradientScale / Double(n)
        let (x, y, order, ws) = (self.x, self.y, self.order, self.ws)
        var batchLoss = 0.0
        x.values.withUnsafeBufferPointer { X in
            xb.withUnsafeMutableBufferPointer { XB in
                grad.withUnsafeMutableBufferPointer { G in
                    for k in 0..<n {
                        (XB.baseAddress! + k * cols).update(from: X.baseAddress! + order[start + k] * cols, count: cols)
                    }
                    if let blocks {
                        batchLoss = blocks.gradient(net, XB.baseAddress!, cols: cols, rows: n, scale: scale, into: G.baseAddress!) { k in
                            y[order[start + k]]
                        }
                        return
                    }
                    net.forward(XB.baseAddress!, rows: n, ws)
                    if config.loss == .crossEntropy {
                        batchLoss = EpochRunner.crossEntropyDelta(
                            ws, rows: n, outputs: net.sizes.last!, scale: scale,
                            y: y, order: order, start: start, weights: config.sampleWeights)
                    } else if let w = config.sampleWeights {
                        for k in 0..<n {
                            let e = ws.output[k] - y[order[start + k]], wk = w[order[start + k]]
                            batchLoss += wk * e * e
                            ws.outputDelta[k] = scale * wk * e
                        }
                    } else {
                        for k in 0..<n {
                            let e = ws.output[k] - y[order[start + k]]
                            batchLoss += e * e
                            ws.outputDelta[k] = scale * e
                        }
                    }
                    G.update(repeating: 0)
                    net.backward(XB.baseAddress!, rows: n, ws, grad: G.baseAddress!)
                }
            }
        }
        return batchLoss
    }

    /// dLoss/dlogit = w·(p − onehot)·scale for the batch's logits in `ws.output`; returns the summed
    /// (weighted) cross-entropy.
    static func crossEntropyDelta(
        _ ws: DenseNetwork.Workspace, rows n: Int, outputs k: Int, scale: Double, y: [Double],
        order: [Int], start: Int, weights: [Double]?
    ) -> Double {
        var loss = 0.0
        for r in 0..<n {
            let row = order[start + r]
            loss += EpochRunner.crossEntropyRow(
                ws.output + r * k, ws.outputDelta + r * k, outputs: k, scale: scale, weight: weights?[row] ?? 1, cls: Int(y[row]))
        }
        return loss
    }

    /// dLoss/dlogit = w·(p − onehot)·scale into `d` for one row's logits `z`; returns its cross-entropy.
    @inline(__always)
    static func crossEntropyRow(
        _ z: UnsafeMutablePointer<Double>, _ d: UnsafeMutablePointer<Double>, outputs k: Int, scale: Double,
        weight w: Double, cls: Int
    ) -> Double {
        var loss = 0.0
        if k == 1 {
            let p = ClassDecision.sigmoid(z[0])
            let t = cls == 1 ? 1.0 : 0.0
            loss -= w * log(max(cls == 1 ? p : 1 - p, 1e-300))
            d[0] = scale * w * (p - t)
        } else {
            for j in 0..<k { d[j] = z[j] }
            ClassDecision.softmax(d, k)
            loss -= w * log(max(d[cls], 1e-300))
            for j in 0..<k { d[j] = scale * w * (d[j] - (j == cls ? 1 : 0)) }
        }
        return loss
    }
}
