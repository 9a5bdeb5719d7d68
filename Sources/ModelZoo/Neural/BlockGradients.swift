/// A mini-batch's gradient computed in a fixed number of row blocks, one forward/backward pass per
/// block on its own core, the block gradients then summed in block order. The number of blocks
/// depends only on the network and batch sizes, so the same seed gives the same bits whatever
/// `--threads` says (one thread runs the blocks one after the other, with the same sums).
final class BlockGradients {
    /// Blocks per batch when it pays (wide layers).
    static let count = 2
    let workspaces: [DenseNetwork.Workspace]
    /// Block b's gradient at `grads[b * parameters ..< (b + 1) * parameters]`.
    let grads: UnsafeMutablePointer<Double>
    let parameters: Int
    var losses: [Double]

    /// Worth it from ~4M multiply-adds a batch: handing the second block to another core costs
    /// about as much as 2M multiply-adds on this machine. Measured on BMI, idle, one thread → two,
    /// after the C dense kernels: hidden 256,256 batch 256 (17M) 3.04 → 1.88 s for 10 epochs,
    /// 512,512 batch 32 (8.4M) 4.01 → 3.53 s for 2; slower in two blocks: 256,256 batch 32 (2.1M)
    /// 3.09 → 3.20 s, 128,128 (0.55M) 0.79 → 1.47 s, 64,64 (0.14M); the notebook's 6,3 is 1.4k.
    static func worthIt(_ net: DenseNetwork, batch: Int) -> Bool {
        let perRow = zip(net.sizes, net.sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 }
        return batch >= 2 * count && perRow * batch >= 4_000_000
    }

    init(_ net: DenseNetwork, batch: Int) {
        let per = (batch + BlockGradients.count - 1) / BlockGradients.count
        workspaces = (0..<BlockGradients.count).map { _ in DenseNetwork.Workspace(net, capacity: per) }
        parameters = net.parameters.count
        grads = .allocate(capacity: parameters * BlockGradients.count)
        grads.initialize(repeating: 0, count: parameters * BlockGradients.count)
        losses = [Double](repeating: 0, count: BlockGradients.count)
    }

    deinit { grads.deallocate() }

    /// Writes the gradient of rows `0..<rows` of `xb` into `g` and returns their summed squared error;
    /// `target(k)` is row k's target, `scale` the factor of dLoss/dOutput.
    func gradient(
        _ net: DenseNetwork, _ xb: UnsafePointer<Double>, cols: Int, rows: Int, scale: Double,
        into g: UnsafeMutablePointer<Double>, target: (Int) -> Double
    ) -> Double {
        let blocks = BlockGradients.count, p = parameters
        losses.withUnsafeMutableBufferPointer { L in
            Parallel.forEach(blocks) { b in
                let lo = rows * b / blocks, hi = rows * (b + 1) / blocks
                let ws = workspaces[b], gb = grads + b * p
                gb.update(repeating: 0, count: p)
                L[b] = 0
                guard hi > lo else { return }
                net.forward(xb + lo * cols, rows: hi - lo, ws)
                var loss = 0.0
                for k in 0..<(hi - lo) {
                    let e = ws.output[k] - target(lo + k)
                    loss += e * e
                    ws.outputDelta[k] = scale * e
                }
                L[b] = loss
                net.backward(xb + lo * cols, rows: hi - lo, ws, grad: gb)
            }
        }
        // Fixed order: block 0 + block 1 + ...
        g.update(from: grads, count: p)
        for b in 1..<blocks {
            let gb = grads + b * p
            for k in 0..<p { g[k] += gb[k] }
        }
        return losses.reduce(0, +)
    }
}
