import Foundation
@testable import ModelZoo
import Testing

/// The MLP's wide-layer training splits each batch into a fixed number of row blocks: the same seed
/// must give the same model bit for bit on one thread or two.
@Suite struct BlockGradientsTests {
    func trained(threads: Int, hidden: [Int], batch: Int) throws -> (params: [Double], loss: [Double]) {
        var g = SplitMix64(seed: 3)
        let rows = 600, cols = 8
        let values = (0..<(rows * cols)).map { _ in g.uniform() }
        let y = (0..<rows).map { r in (0..<cols).reduce(0.0) { $0 + values[r * cols + $1] * Double($1 + 1) } + 0.1 * g.normal() }
        let x = Matrix(rows: rows, cols: cols, values: values)
        var rng = SplitMix64(seed: 5)
        var net = DenseNetwork(
            sizes: [cols] + hidden + [1], activations: hidden.map { _ in .relu } + [.linear],
            initialization: .glorot, rng: &rng)
        var config = DenseTrainingConfig(epochs: 3, batchSize: batch, optimizer: .adam(learningRate: 0.001))
        config.seed = 9
        let report = try Parallel.withMaxThreads(threads) { try DenseTrainer.train(&net, x: x, y: y, config: config) }
        return (net.parameters, report.history?.loss ?? [])
    }

    @Test func wideLayersSameModelOnOneAndTwoThreads() throws {
        var probe = SplitMix64(seed: 5)
        #expect(
            BlockGradients.worthIt(
                DenseNetwork(
                    sizes: [8, 128, 128, 1], activations: [.relu, .relu, .linear],
                    initialization: .glorot, rng: &probe), batch: 256))
        let one = try trained(threads: 1, hidden: [128, 128], batch: 256)
        let two = try trained(threads: 2, hidden: [128, 128], batch: 256)
        #expect(one.params.map(\.bitPattern) == two.params.map(\.bitPattern))
        #expect(one.loss.map(\.bitPattern) == two.loss.map(\.bitPattern))
        #expect(one.loss.last! < one.loss.first!)
    }

    @Test(arguments: [[4, 6, 3, 1], [4, 64, 64, 1], [4, 256, 256, 1]])
    func narrowerLayersStayInOneBlock(sizes: [Int]) {
        var probe = SplitMix64(seed: 5)
        #expect(
            !BlockGradients.worthIt(
                DenseNetwork(sizes: sizes, activations: [.relu, .relu, .linear], initialization: .glorot, rng: &probe), batch: 32))
    }
}
