import CZooKernels
import Foundation

/// Batch-1 plain SGD on a one-layer network (the neuron, regressor or classifier) in one loop over raw
/// pointers. The generic batch path spends ~2,100 instructions a sample on BMI's 4 inputs × 3 classes
/// (callgrind: per-layer array lookups, retains, configuration copies), ten times the arithmetic.
/// Weighted rows and more than four outputs take the generic path's operations in the same order
/// (the trained weights are bit-identical); one output sums in four partial sums, unweighted
/// classifiers take a vector exp and unweighted two-class ones compute each row's z from the
/// weights before the last update (`zoo_logistic_epoch`), so those equal it to rounding (test
/// `perSampleEpochMatchesTheBatchPath`).
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
        let rule = PerSampleStep(
            nIn: nIn, nOut: nOut, activation: net.activations[0], config: config, z: ws.output, d: ws.outputDelta)
        var sumLoss: Double? = 0
        // Rows before `split` update the weights; from `split` on each update is also added to the
        // averaged-SGD sum.
        let split = min(rows, max(0, averageFrom - self.step))
        let (x, y, order) = (self.x, self.y, self.order)
        net.parameters.withUnsafeMutableBufferPointer { P in
            averageSum.withUnsafeMutableBufferPointer { A in
                x.values.withUnsafeBufferPointer { X in
                    y.withUnsafeBufferPointer { Y in
                        for (part, sum) in [(order[0..<split], nil), (order[split..<rows], A.baseAddress)] where !part.isEmpty {
                            let loss = rule.run(part, x: X.baseAddress!, y: Y.baseAddress!, parameters: P.baseAddress!, sum: sum)
                            sumLoss = loss.flatMap { l in sumLoss.map { $0 + l } }
                        }
                    }
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
    /// `NegativeExp`'s table, its address read once an epoch instead of once a row.
    let powers = NegativeExp.powers

    init(
        nIn: Int, nOut: Int, activation: Activation, config: DenseTrainingConfig, z: UnsafeMutablePointer<Double>,
        d: UnsafeMutablePointer<Double>
    ) {
        guard case let .sgd(lr, _) = config.optimizer else { preconditionFailure("per-sample epochs are plain SGD") }
        (self.nIn, self.nOut, self.activation, linear) = (nIn, nOut, activation, activation == .linear)
        (self.lr, scale, crossEntropy, weights) = (lr, config.gradientScale, config.loss == .crossEntropy, config.sampleWeights)
        (self.z, self.d) = (z, d)
    }

    /// Updates the weights `W` row by row over `order` and returns the rows' summed loss (nil when one is
    /// not finite); with `sum`, adds the weights after each update into it (averaged SGD). One output
    /// (two classes, or a regressor) sums in four chains; two to four outputs (a softmax over a few
    /// classes) run a lane per output.
    func run(
        _ order: ArraySlice<Int>, x: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters W: UnsafeMutablePointer<Double>,
        sum: UnsafeMutablePointer<Double>?
    ) -> Double? {
        switch nOut {
        case 1: single(order, x: x, y: y, parameters: W, sum: sum)
        case 2...4: lanes(order, x: x, y: y, parameters: W, sum: sum)
        default: scalar(order, x: x, y: y, parameters: W, sum: sum)
        }
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
    /// for the absent L2 term: both turn a −0 into +0, which can decide the sign of a zero weight
    /// (one `0 +` does it: the second addition cannot change a value that is not −0).
    func scalar(
        _ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters W: UnsafeMutablePointer<Double>,
        sum A: UnsafeMutablePointer<Double>?
    ) -> Double? {
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
                    wij.pointee -= lr * (0 + xr[i] * dj)
                    wij += nOut
                }
                B[j] -= lr * (0 + 1 * dj)
            }
            if let A { add(W, into: A, count: (nIn + 1) * nOut) }
        }
        return sum
    }

    /// `A[k] += W[k]` for `count` weights: averaged SGD's sum after an update.
    @inline(__always)
    func add(_ W: UnsafePointer<Double>, into A: UnsafeMutablePointer<Double>, count: Int) {
        for k in 0..<count { A[k] += W[k] }
    }

    /// One output, whose weights are contiguous. The sum runs in four partial sums: as one chain of
    /// dependent adds it bounded the fit (breast cancer, 30 inputs: 83 ns a sample, 45% of it the
    /// chain), so this path equals the batch path to rounding, not bit for bit; the updates are
    /// the batch path's.
    func single(
        _ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters W: UnsafeMutablePointer<Double>,
        sum A: UnsafeMutablePointer<Double>?
    ) -> Double? {
        // Unweighted two classes: `zoo_logistic_epoch`, whose rows do not wait on the last row's update
        // (each z from the weights before it and x'.x). Breast cancer, 20 epochs, medians of 20
        // fits: 0.45-0.56 -> 0.35-0.36 ms.
        if crossEntropy && linear && weights == nil {
            let loss = order.withUnsafeBufferPointer { o in
                o.withMemoryRebound(to: Int64.self) { o in
                    zoo_logistic_epoch(Int64(nIn), X, y, o.baseAddress, Int64(o.count), W, A, lr, scale, powers, 0)
                }
            }
            return loss.isFinite ? loss : nil
        }
        let B = W + nIn, quads = nIn & ~3
        var sum = 0.0
        for row in order {
            let xr = X + row &* nIn
            var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0, i = 0
            while i < quads {
                s0 += xr[i] * W[i]
                s1 += xr[i + 1] * W[i + 1]
                s2 += xr[i + 2] * W[i + 2]
                s3 += xr[i + 3] * W[i + 3]
                i += 4
            }
            while i < nIn {
                s0 += xr[i] * W[i]
                i += 1
            }
            z[0] = B[0] + ((s0 + s1) + (s2 + s3))
            guard let loss = lossAndDelta(row: row, y: y) else { return nil }
            sum += loss
            let d0 = d[0]
            // Averaged SGD sums each updated weight as it is written (a second pass over the
            // weights made breast cancer's fit 0.44 -> 0.46 ms; fused, 0.443).
            if let A {
                for i in 0..<nIn {
                    let w = W[i] - lr * (0 + xr[i] * d0)
                    W[i] = w
                    A[i] += w
                }
                B[0] -= lr * (0 + 1 * d0)
                A[nIn] += B[0]
            } else {
                for i in 0..<nIn { W[i] -= lr * (0 + xr[i] * d0) }
                B[0] -= lr * (0 + 1 * d0)
            }
        }
        return sum
    }

    /// Up to four outputs as the lanes of one SIMD4: each lane's sums and updates are the scalar
    /// loop's, in the same order (unweighted softmaxes: `softmaxRows`). The weights live in a padded
    /// copy for the epoch (3 classes, BMI: 690 → 418 instructions a sample, 29 → 27 ms for 20 epochs:
    /// the chain through exp and the updated weights, not the instruction count, bounds it).
    func lanes(
        _ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, parameters P: UnsafeMutablePointer<Double>,
        sum A: UnsafeMutablePointer<Double>?
    ) -> Double? {
        let W = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: nIn + 1)
        defer { W.deallocate() }
        for i in 0...nIn {
            var v = SIMD4<Double>(repeating: 0)
            for j in 0..<nOut { v[j] = P[i * nOut + j] }
            (W + i).initialize(to: v)
        }
        defer { for i in 0...nIn { for j in 0..<nOut { P[i * nOut + j] = W[i][j] } } }
        // The averaged-SGD sum in the same padded layout, added back into `A` at the end.
        let S = UnsafeMutablePointer<SIMD4<Double>>.allocate(capacity: A == nil ? 0 : nIn + 1)
        S.initialize(repeating: .zero, count: A == nil ? 0 : nIn + 1)
        defer {
            if let A { for i in 0...nIn { for j in 0..<nOut { A[i * nOut + j] += S[i][j] } } }
            S.deallocate()
        }
        let vlr = SIMD4<Double>(repeating: lr), zero = SIMD4<Double>(repeating: 0)
        if crossEntropy && linear && weights == nil { return softmaxRows(order, x: X, y: y, weights: W, sum: A == nil ? nil : S) }
        var sum = 0.0
        for row in order {
            let xr = X + row &* nIn
            var a = W[nIn]
            for i in 0..<nIn { a += SIMD4(repeating: xr[i]) * W[i] }
            for j in 0..<nOut { z[j] = a[j] }
            guard let loss = lossAndDelta(row: row, y: y) else { return nil }
            sum += loss
            let dv = SIMD4(d[0], d[1], nOut > 2 ? d[2] : 0, nOut > 3 ? d[3] : 0)
            if A != nil {
                for i in 0..<nIn {
                    let w = W[i] - vlr * (zero + SIMD4(repeating: xr[i]) * dv)
                    W[i] = w
                    S[i] += w
                }
                W[nIn] -= vlr * (zero + SIMD4(repeating: 1) * dv)
                S[nIn] += W[nIn]
            } else {
                for i in 0..<nIn { W[i] -= vlr * (zero + SIMD4(repeating: xr[i]) * dv) }
                W[nIn] -= vlr * (zero + SIMD4(repeating: 1) * dv)
            }
        }
        return sum
    }

    /// `lanes` for unweighted rows: each row's logits come from the weights before the last
    /// row's update, z' = (b + x'W) - lr d (1 + x'.x), as `zoo_logistic_epoch` does for one output,
    /// so they do not wait on the update. Returns the rows' summed log-loss. Medians of 20 fits
    /// (seeds 0-9, 20 epochs): BMI categories 16.0-16.4 -> 14.2-14.4 ms, wine 0.246 -> 0.208 ms;
    /// mean test log-loss unchanged to four digits (0.04688, 0.01610).
    func softmaxRows(
        _ order: ArraySlice<Int>, x X: UnsafePointer<Double>, y: UnsafePointer<Double>, weights W: UnsafeMutablePointer<SIMD4<Double>>,
        sum S: UnsafeMutablePointer<SIMD4<Double>>?
    ) -> Double? {
        guard let first = order.first else { return 0 }
        let vlr = SIMD4<Double>(repeating: lr), zero = SIMD4<Double>(repeating: 0)
        var losses = LogProduct()
        var x = X + first &* nIn
        var a = W[nIn]
        for i in 0..<nIn { a += SIMD4(repeating: x[i]) * W[i] }
        for k in order.indices {
            let next = k + 1 < order.endIndex ? X + order[k + 1] &* nIn : x
            var ahead = W[nIn], overlap = 1.0
            for i in 0..<nIn {
                ahead += SIMD4(repeating: next[i]) * W[i]
                overlap += next[i] * x[i]
            }
            let dv = softmaxDelta(a, cls: Int(y[order[k]]), losses: &losses)
            for i in 0..<nIn {
                let w = W[i] - vlr * (zero + SIMD4(repeating: x[i]) * dv)
                W[i] = w
                S?[i] += w
            }
            W[nIn] -= vlr * (zero + SIMD4(repeating: 1) * dv)
            S?[nIn] += W[nIn]
            a = ahead - vlr * dv * SIMD4(repeating: overlap)
            x = next
        }
        return -losses.log
    }

    /// An unweighted row's softmax delta from its logits in registers, its probability of class
    /// `cls` multiplied into `losses`: `crossEntropyRow`'s arithmetic to rounding (one vector exp,
    /// a pairwise sum). Vectors are built from whole lanes: writing one lane of a vector in memory
    /// and reading the vector back stalls the store forwarding (14% of the fit on BMI categories
    /// went to one such read).
    @inline(__always)
    func softmaxDelta(_ a: SIMD4<Double>, cls: Int, losses: inout LogProduct) -> SIMD4<Double> {
        var m = a[0]
        for j in 1..<nOut where a[j] > m { m = a[j] }
        let lanes = SIMD4<Int64>(0, 1, 2, 3)
        let e = NegativeExp.exp(a - SIMD4(repeating: m), powers: powers).replacing(with: 0, where: lanes .>= Int64(nOut))
        let s = (e[0] + e[1]) + (e[2] + e[3])
        let p = e / SIMD4(repeating: s)
        losses.multiply(by: max(p[cls], 1e-300))
        let target = SIMD4<Double>(repeating: 0).replacing(with: 1, where: lanes .== Int64(cls))
        return SIMD4(repeating: scale) * (p - target)
    }
}

/// A product of probabilities kept as a mantissa in [0.5, 1) and a binary exponent, so that the sum
/// of their logs (a log-loss) takes one `log` at the end instead of one a row: `log` was 17% of
/// a per-sample fit on breast cancer. Factors in [1e-300, 1] keep the product normal.
struct LogProduct {
    private var mantissa = 1.0
    private var exponent = 0

    @inline(__always)
    mutating func multiply(by p: Double) {
        let product = mantissa * p
        // A factor out of range (NaN from a diverged fit) makes the log NaN, for the caller to see.
        guard product.isNormal else { return mantissa = .nan }
        let bits = product.bitPattern
        exponent += Int((bits >> 52) & 0x7ff) - 1022
        mantissa = Double(bitPattern: (bits & ~(0x7ff << 52)) | (1022 << 52))
    }

    /// The sum of the factors' natural logs.
    var log: Double { Foundation.log(mantissa) + Double(exponent) * M_LN2 }
}
