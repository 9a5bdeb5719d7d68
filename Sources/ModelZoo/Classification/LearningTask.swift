#if canImport(Glibc)
    import Glibc
#endif

/// What a model predicts: a number (regression) or one of a fixed set of class labels
/// (classification). Chosen from the target column (`zoo train --task` overrides), stored in the
/// file through the schema's `classes`.
public enum LearningTask: String, Codable, Sendable, CaseIterable {
    case regression = "regress"
    case classification = "classify"
}

/// scikit-learn's `class_weight`: how much each training row counts, by its class.
public enum ClassWeight: String, ParameterChoice {
    /// Every row counts once.
    case none
    /// Row weight n / (k · n_c): every class weighs as much in total (scikit-learn's "balanced").
    case balanced

    /// Per-row weights for class indices `y` among `classCount` classes; nil when every row counts once.
    public func sampleWeights(_ y: [Double], classCount: Int) -> [Double]? {
        guard self == .balanced else { return nil }
        let counts = ClassCounts(y, classCount: classCount).counts
        let n = Double(y.count), k = Double(counts.filter { $0 > 0 }.count)
        let perClass = counts.map { $0 > 0 ? n / (k * Double($0)) : 0 }
        return y.map { perClass[Int($0)] }
    }
}

/// How many rows each class has.
public struct ClassCounts: Sendable, Equatable {
    public var counts: [Int]
    public init(_ y: [Double], classCount: Int) {
        var c = [Int](repeating: 0, count: classCount)
        for v in y { c[Int(v)] += 1 }
        counts = c
    }
}

/// A classifier plugin: a `Model` whose `fit` receives class indices (0, 1, ... in the schema's
/// `classes` order) as `TrainingData.y`, and that predicts a probability per class. `predict` gives
/// the most probable class index (ties: the first), as a Double.
public protocol Classifier: Model {
    /// One row per row of `x`, one column per class (the fitted class count), each row in [0, 1] summing to 1.
    /// Throws `ZooError.notFitted` before `fit`.
    func predictProbabilities(_ x: Matrix) throws -> Matrix
    /// Rebuilds a fitted classifier of `classCount` classes from a file's tensors.
    init(hyperparameters: Hyperparameters, state: TensorBundle, featureCount: Int, classCount: Int) throws
}

extension Classifier {
    public func predict(_ x: Matrix) throws -> [Double] {
        let p = try predictProbabilities(x)
        return ClassDecision.argmax(p).map(Double.init)
    }

    /// A classifier's file always says how many classes it has; this entry point is never used for one.
    public init(hyperparameters: Hyperparameters, state: TensorBundle, featureCount: Int) throws {
        throw NNMError.invalidMetadata("\(Self.info.kind) classifier loaded without its classes")
    }
}

/// Turning probabilities into class indices.
public enum ClassDecision {
    /// The most probable class of each row (the first on ties, as numpy's argmax).
    public static func argmax(_ p: Matrix) -> [Int] {
        (0..<p.rows).map { r in
            var best = 0
            for c in 1..<max(1, p.cols) where p[r, c] > p[r, best] { best = c }
            return best
        }
    }

    /// The second class when its probability reaches `threshold` (two classes only), else the first.
    public static func thresholded(_ p: Matrix, threshold: Double) -> [Int] {
        precondition(p.cols == 2)
        return (0..<p.rows).map { p[$0, 1] >= threshold ? 1 : 0 }
    }

    /// Softmax of each row of `z` in place (shifted by the row's maximum, so exp never overflows).
    @inline(__always)
    public static func softmax(_ z: UnsafeMutablePointer<Double>, _ k: Int) {
        var m = z[0]
        for j in 1..<max(1, k) where z[j] > m { m = z[j] }
        var s = 0.0
        for j in 0..<k { z[j] = exp(z[j] - m); s += z[j] }
        for j in 0..<k { z[j] /= s }
    }

    /// σ(z), without overflow for large |z|.
    @inline(__always)
    public static func sigmoid(_ z: Double) -> Double {
        z >= 0
            ? 1 / (1 + exp(-z))
            : {
                let e = exp(z); return e / (1 + e)
            }()
    }
}

/// The class labels of a classification target, in the stored order: numbers in ascending numeric
/// order, text in ascending code-point order (scikit-learn's `np.unique`).
public enum ClassLabels {
    public static func sorted(_ labels: Set<String>) -> [String] {
        let numbers = labels.map { Double($0) }
        if numbers.allSatisfy({ $0 != nil }) {
            return labels.sorted { Double($0)! < Double($1)! || (Double($0)! == Double($1)! && $0 < $1) }
        }
        return labels.sorted { Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value)) }
    }

    /// The label of a numeric target value: an integer without a decimal point, otherwise its shortest text.
    public static func label(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
        return "\(v)"
    }
}
