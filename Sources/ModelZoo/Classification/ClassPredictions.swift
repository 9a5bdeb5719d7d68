/// A classifier's predictions for a batch of rows: per row the decided class and the probability of
/// every class (columns in `classes` order). What `zoo predict`, serving and export hand on.
public struct ClassPredictions: Sendable, Equatable {
    /// The class labels, in probability-column order.
    public let classes: [String]
    /// Rows × classes, each row in [0, 1] summing to 1.
    public let probabilities: Matrix
    /// The decided class of each row, an index into `classes`.
    public let classIndices: [Int]

    /// Decides each row by the largest probability, or for two classes by `threshold` on the second's.
    public init(probabilities: Matrix, classes: [String], threshold: Double? = nil) throws {
        precondition(probabilities.cols == classes.count)
        self.classes = classes
        self.probabilities = probabilities
        if let threshold {
            guard classes.count == 2 else {
                throw ZooError.invalidInput("--threshold needs a two-class model; this one has \(classes.count) classes")
            }
            classIndices = ClassDecision.thresholded(probabilities, threshold: threshold)
        } else {
            classIndices = ClassDecision.argmax(probabilities)
        }
    }

    public var count: Int { classIndices.count }
    /// The decided label of row `r`.
    public func label(_ r: Int) -> String { classes[classIndices[r]] }
    /// One row as a value: its label and probabilities.
    public subscript(r: Int) -> ClassPrediction {
        ClassPrediction(
            label: label(r), classIndex: classIndices[r],
            probabilities: Array(probabilities.values[(r * classes.count)..<((r + 1) * classes.count)]))
    }
}

/// One row's classification.
public struct ClassPrediction: Sendable, Equatable {
    public var label: String
    public var classIndex: Int
    /// One per class, in the model's `classes` order.
    public var probabilities: [Double]
}
