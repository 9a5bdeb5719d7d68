/// Batch-1 plain SGD on a one-layer network (the neuron, regressor or classifier) in one loop over raw
/// pointers. The generic batch path spends ~2,100 instructions a sample on BMI's 4 inputs × 3 classes
/// (callgrind: per-layer array lookups, retains, configuration copies), ten times the arithmetic.
/// Every operation is the generic path's in the same order, so the trained weights are bit-identical
/// (test `perSampleEpochMatchesTheBatchPath`).
extension EpochRunner {
    /// Whether `epoch` can take the per-sample loop: one layer, batch 1, SGD without momentum or L2.
    static func runsPerSample(_ net: DenseNetwork, batch: Int, config: DenseTrainingConfig) -> Bool {
        guard net.layerCount == 1, batch == 1, config.l2 == 0, case let .sgd(_, momentum) = config.optimizer else { return false }
        return momentum == 0
    }

    /// One epoch of per-sample updates over the first `rows` rows in `order`; returns the mean loss.
    mutating func perSampleEpoch(_ net: inout DenseNetwork, number: Int) throws -> Double {
        if config.shuffle { rng.shuffle(&order) }
        let nIn = net.sizes[0], nOut = net.sizes[1]
        let step = PerSampleStep(
            nIn: nIn, nOut: nOut, activation: net.activations[0], config: config, z: ws.output, d: ws.outputDelta)
        var sumLoss: Double?
        let (x, y, order) = (self.x, self.y, self.order)
        net.parameters.withUnsafeMutableBufferPointer { P in
            x.values.withUnsafeBufferPointer { X in
                y.withUnsafeBufferPointer { Y in
                    let run = (order: order[0..<rows], x: X.baseAddress!, y: Y.baseAddress!)
                    // Two to four outputs (a softmax over a few classes) run a lane per output.
                    sumLoss =
                        (2...4).contains(nOut)
                        ? step.lanes(run.order, x: run.x, y: run.y, parameters: P.baseAddress!)
                        : step.scalar(run.order, x: run.x, y: run.y, parameters: P.baseAddress!)
                }
            }
        }
        guard let sumLoss else { throw ZooError.diverged(epoch: number, hint: "try a smaller learning_rate") }
        self.step += rows
        let loss = sumLoss / Double(rows)
        guard loss.isFinite, loss <= divergedAbove, net.parameters.allSatisfy(\.isFinite) else {
            throw ZooError.diverged(epoch: number, hint: "try a smaller learning_rate")
        }
        return loss
    }
}

/// One sample's forward pass, loss, delta and update, with the generic path's arithmetic.
struct PerSampleStep {
    let nIn: Int, nOut: Int
    let activation: Activation
    let linear: Bool
    let lr: Double, scale: Double
    let crossEntropy: Bool
    let weights: [Double]?
    /// Scratch for the outputs and their deltas (`nOut` each).
    let z: UnsafeMutablePointer<Double>, d: UnsafeMutablePointer<Double>

    init(
        nIn: Int, nOut: Int, activation: Activation, config: DenseTrainingConfig, z: UnsafeMutablePointer<Double>,
        d: UnsafeMutablePointer<Double>
    ) {
        guard case let .sgd(lr, _) = config.optimizer else { preconditionFailure("per-sample epochs are plain SGD") }
        (self.nIn, self.nOut, self.activation, linear) = (nIn, nOut, activation, activation == .linear)
        (self.lr, scale, crossEntropy, weights) = (lr, config.gradientScale, config.loss == .crossEntropy, config.sampleWeights)
        (self.z, self.d) = (z, d)
    }

    /// The loss of the row whose outputs are in `z`, with dLoss/dz (through the activation) in `d`;
    /// nil when it is not finite.
    @inline(__always)
    func lossAndDelta(row: Int, y: UnsafePointer<Double>) -> Double? {
        if !linear { for j in 0..<nOut { z[j] = activation.apply(z[j]) } }
        let w = weights?[row] ?? 1
        let loss: Double
        if crossEntropy {
            loss = EpochRunner.crossEntropyRow(z, d, outputs: nOut, scale: scale, weight: w, cls: Int(y[row]))
        } else {
            let e = z[0] - y[row]
            loss = weights == nil ? 0 + e * e : 0 + w * e * e
            d[0] = weights == nil ? scale * e : scale * w * e
        }
        guard loss.isFinite else { return nil }
        if !linear { for j in 0..<nOut { d[j] *= activation.derivative(output: z[j]) } }
        return loss
    }

    /// Any output count, one output at a time. The batch path's gradient starts at 0 and gets `+ 0`
    /// for the absent L2 term: both turn a −0 into +0, which can decide the sign of a zero weight.
    func scalar(_ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters W: UnsafeMutablePointer<Double>)
        -> Double?
    {
        let B = W + nIn * nOut
        var sum = 0.0
        for row in order {
            let xr = X + row &* nIn
            for j in 0..<nOut {
                var a = B[j], wij = W + j
                for i in 0..<nIn {
                    a += xr[i] * wij.pointee
                    wij += nOut
                }
                z[j] = a
            }
            guard let loss = lossAndDelta(row: row, y: y) else { return nil }
            sum += loss
            // Output by output, as the sums above (each weight is updated once: the same values in
            // any order), so one output's update is one contiguous pass.
            for j in 0..<nOut {
                let dj = d[j]
                var wij = W + j
                for i in 0..<nIn {
                    wij.pointee -= lr * ((0 + xr[i] * dj) + 0)
                    wij += nOut
                }
                B[j] -= lr * ((0 + 1 * dj) + 0)
            }
        }
        return sum
    }

    /// Up to four outputs as the lanes of one SIMD4: each lane's sums and updates are the scalar
    /// loop's, in the same order. The weights live in a padded copy for the epoch (3 classes, BMI:
    /// 690 → 418 instructions a sample, 29 → 27 ms for 20 epochs: the chain through exp and the updated weights, not the instruction count, bounds it).
    func lanes(_ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters P: UnsafeMutablePointer<Double>)
        -> Double?
    {
        let W = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: nIn + 1)
        defer { W.deallocate() }
        for i in 0...nIn {
            var v = SIMD4<Double>(repeating: 0)
            for j in 0..<nOut { v[j] = P[i * nOut + j] }
            (W + i).initialize(to: v)
        }
        defer { for i in 0...nIn { for j in 0..<nOut { P[i * nOut + j] = W[i][j] } } }
        let vlr = SIMD4<Double>(repeating: lr), zero = SIMD4<Double>(repeating: 0)
        var sum = 0.0
        for row in order {
            let xr = X + row &* nIn
            var a = W[nIn]
            for i in 0..<nIn { a += SIMD4(repeating: xr[i]) * W[i] }
            for j in 0..<nOut { z[j] = a[j] }
            guard let loss = lossAndDelta(row: row, y: y) else { return nil }
            sum += loss
            var dv = zero
            for j in 0..<nOut { dv[j] = d[j] }
            for i in 0..<nIn { W[i] -= vlr * ((zero + SIMD4(repeating: xr[i]) * dv) + zero) }
            W[nIn] -= vlr * ((zero + SIMD4(repeating: 1) * dv) + zero)
        }
        return sum
    }
}
