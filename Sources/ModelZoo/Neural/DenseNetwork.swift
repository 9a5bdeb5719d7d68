import CZooKernels
/// How dense-layer weights start.
public enum WeightInit: String, Codable, Sendable, CaseIterable {
    /// Uniform in [0, 1), biases too: the notebook's `np.random.rand`.
    case uniform
    /// Glorot/Xavier uniform, limit √(6 / (fan_in + fan_out)), zero biases (Keras's default).
    case glorot
    /// He uniform, limit √(6 / fan_in), zero biases (suits relu).
    case he
    /// All zeros (for tests and the single neuron's reproducible start).
    case zeros
}

/// A stack of fully connected layers: the one engine behind `neuron`, `two-layer` and `mlp`.
///
/// All parameters live in one contiguous `parameters` array: for layer `l`, the weight matrix
/// (`sizes[l]` rows × `sizes[l+1]` columns, row-major, so each column is one neuron, as in the
/// notebook's `W1`), then its biases.
public struct DenseNetwork: Sendable, Equatable {
    public let sizes: [Int]
    public let activations: [Activation]
    public var parameters: [Double]
    public let weightOffsets: [Int]
    public let biasOffsets: [Int]

    public var inputs: Int { sizes[0] }
    public var layerCount: Int { activations.count }

    /// Parameter count of a network with these layer sizes.
    public static func parameterCount(_ sizes: [Int]) -> Int {
        zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    public init(sizes: [Int], activations: [Activation], parameters: [Double]) {
        precondition(sizes.count >= 2 && activations.count == sizes.count - 1 && sizes.allSatisfy { $0 > 0 })
        precondition(parameters.count == DenseNetwork.parameterCount(sizes))
        self.sizes = sizes
        self.activations = activations
        self.parameters = parameters
        var w: [Int] = [], b: [Int] = []
        var o = 0
        for l in 0..<activations.count {
            w.append(o); o += sizes[l] * sizes[l + 1]
            b.append(o); o += sizes[l + 1]
        }
        weightOffsets = w
        biasOffsets = b
    }

    /// A network with seeded initial weights.
    public init(sizes: [Int], activations: [Activation], initialization: WeightInit, rng: inout SplitMix64) {
        var p = [Double](repeating: 0, count: DenseNetwork.parameterCount(sizes))
        var o = 0
        for l in 0..<activations.count {
            let fanIn = sizes[l], fanOut = sizes[l + 1]
            let nw = fanIn * fanOut
            switch initialization {
            case .uniform:
                for k in 0..<(nw + fanOut) { p[o + k] = rng.uniform() }
            case .glorot, .he:
                let limit = initialization == .glorot ? (6.0 / Double(fanIn + fanOut)).squareRoot() : (6.0 / Double(fanIn)).squareRoot()
                for k in 0..<nw { p[o + k] = (rng.uniform() * 2 - 1) * limit }
            case .zeros: break
            }
            o += nw + fanOut
        }
        self.init(sizes: sizes, activations: activations, parameters: p)
    }

    /// Scratch space for a forward/backward pass over up to `capacity` rows: one allocation per run,
    /// none per batch or sample.
    public final class Workspace {
        let capacity: Int
        /// Activations of layer l (l ≥ 1) at `activations[l]`, `sizes[l] × capacity` each.
        let activations: [UnsafeMutablePointer<Double>]
        /// dLoss/d(activation) of layer l, same layout; the last one is set by the caller before `backward`.
        public let deltas: [UnsafeMutablePointer<Double>]
        private let storage: UnsafeMutablePointer<Double>

        public init(_ net: DenseNetwork, capacity: Int) {
            self.capacity = capacity
            let total = net.sizes.reduce(0, +) * capacity * 2
            storage = .allocate(capacity: max(total, 1))
            storage.initialize(repeating: 0, count: max(total, 1))
            var a: [UnsafeMutablePointer<Double>] = [], d: [UnsafeMutablePointer<Double>] = []
            var o = 0
            for n in net.sizes { a.append(storage + o); o += n * capacity }
            for n in net.sizes { d.append(storage + o); o += n * capacity }
            activations = a
            deltas = d
        }

        /// The output layer's activations for the last forward pass.
        public var output: UnsafeMutablePointer<Double> { activations[activations.count - 1] }
        /// dLoss/dOutput, to be filled before `backward`.
        public var outputDelta: UnsafeMutablePointer<Double> { deltas[deltas.count - 1] }

        deinit { storage.deallocate() }
    }

    /// Forward pass of `rows` (≤ capacity) rows starting at `x` (row-major, `inputs` columns),
    /// leaving every layer's activations in `ws`.
    public func forward(_ x: UnsafePointer<Double>, rows: Int, _ ws: Workspace) {
        parameters.withUnsafeBufferPointer { P in
            var input = x
            for l in 0..<activations.count {
                let nIn = sizes[l], nOut = sizes[l + 1]
                let W = P.baseAddress! + weightOffsets[l], B = P.baseAddress! + biasOffsets[l]
                let act = activations[l]
                let a = ws.activations[l + 1]
                VectorKernels.affine(rows: rows, nIn: nIn, nOut: nOut, input, W, B, a)
                Self.activate(act, a, count: rows * nOut)
                input = UnsafePointer(a)
            }
        }
    }

    /// Outputs (first output unit) for every row of `x`, in blocks so the workspace stays small.
    public func predict(_ x: Matrix) -> [Double] {
        precondition(x.cols == inputs)
        let block = 256
        let ws = Workspace(self, capacity: block)
        var out = [Double](repeating: 0, count: x.rows)
        let nOut = sizes.last!
        x.values.withUnsafeBufferPointer { X in
            var r = 0
            while r < x.rows {
                let n = min(block, x.rows - r)
                forward(X.baseAddress! + r * inputs, rows: n, ws)
                for k in 0..<n { out[r + k] = ws.output[k * nOut] }
                r += n
            }
        }
        return out
    }

    /// Every output unit for every row of `x` (rows × output units).
    public func outputs(_ x: Matrix) -> Matrix {
        precondition(x.cols == inputs)
        let block = 256
        let ws = Workspace(self, capacity: block)
        let nOut = sizes.last!
        var out = [Double](repeating: 0, count: x.rows * nOut)
        x.values.withUnsafeBufferPointer { X in
            out.withUnsafeMutableBufferPointer { O in
                var r = 0
                while r < x.rows {
                    let n = min(block, x.rows - r)
                    forward(X.baseAddress! + r * inputs, rows: n, ws)
                    (O.baseAddress! + r * nOut).update(from: ws.output, count: n * nOut)
                    r += n
                }
            }
        }
        return Matrix(rows: x.rows, cols: nOut, values: out)
    }

    /// Class probabilities of a classifier network whose outputs are logits: a sigmoid of the one
    /// output (columns: 1 − p, p) or a softmax over several.
    public func probabilities(_ x: Matrix) -> Matrix {
        let z = outputs(x)
        let k = z.cols
        if k == 1 {
            var p = [Double](repeating: 0, count: 2 * z.rows)
            for r in 0..<z.rows { let s = ClassDecision.sigmoid(z.values[r]); p[2 * r] = 1 - s; p[2 * r + 1] = s }
            return Matrix(rows: z.rows, cols: 2, values: p)
        }
        var v = z.values
        v.withUnsafeMutableBufferPointer { V in for r in 0..<z.rows { ClassDecision.softmax(V.baseAddress! + r * k, k) } }
        return Matrix(rows: z.rows, cols: k, values: v)
    }

    /// a[k] = act(a[k]) for k < count. ReLU, the common case, gets a C kernel with the dense kernels'
    /// vector widths (with the switch inside the loop it was 8% of training hidden 64,64; Swift's
    /// own loop, two lanes wide, with its derivative and the bias sums still 8% on AVX-512).
    @inline(__always)
    static func activate(_ act: Activation, _ a: UnsafeMutablePointer<Double>, count: Int) {
        switch act {
        case .linear: return
        case .relu: zoo_relu(Int64(count), a, 0)
        default: for k in 0..<count { a[k] = act.apply(a[k]) }
        }
    }

    /// d[k] *= act'(output a[k]) for k < count (ReLU as `activate`).
    @inline(__always)
    static func scaleByDerivative(
        _ act: Activation, _ d: UnsafeMutablePointer<Double>, outputs a: UnsafeMutablePointer<Double>, count: Int
    ) {
        switch act {
        case .linear: return
        case .relu: zoo_relu_deltas(Int64(count), d, a, 0)
        default: for k in 0..<count { d[k] *= act.derivative(output: a[k]) }
        }
    }

    /// Accumulates into `grad` (layout of `parameters`) the loss gradient for the last forward pass
    /// of `rows` rows, given dLoss/dOutput in `ws.outputDelta`.
    public func backward(_ x: UnsafePointer<Double>, rows: Int, _ ws: Workspace, grad: UnsafeMutablePointer<Double>) {
        parameters.withUnsafeBufferPointer { P in
            var l = activations.count - 1
            while l >= 0 {
                let nIn = sizes[l], nOut = sizes[l + 1]
                let act = activations[l]
                let gW = grad + weightOffsets[l], gB = grad + biasOffsets[l]
                let W = P.baseAddress! + weightOffsets[l]
                let A = ws.activations[l + 1], D = ws.deltas[l + 1]
                // delta_l = dL/da_l ⊙ act'(a_l), in place.
                Self.scaleByDerivative(act, D, outputs: A, count: rows * nOut)
                let input: UnsafePointer<Double> = l == 0 ? x : UnsafePointer(ws.activations[l])
                zoo_add_rows(Int64(rows), Int64(nOut), D, gB, 0)
                VectorKernels.accumulateOuter(rows: rows, nIn: nIn, nOut: nOut, input, UnsafePointer(D), gW)
                if l > 0 {
                    // prev[r, i] = VectorKernels.dot(nOut, D + r·nOut, W + i·nOut), four rows at a time in C.
                    zoo_backprop_deltas(Int64(rows), Int64(nIn), Int64(nOut), D, W, ws.deltas[l], 0)
                }
                l -= 1
            }
        }
    }

}

extension WeightInit: ParameterChoice {}
