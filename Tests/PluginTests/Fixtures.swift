import Foundation
@testable import ModelZoo

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Prepared synthetic BMI data (same schema as the bundled file).
    static func bmi(rows: Int = 600, seed: UInt64 = 3) throws -> (PreparedData, DataOptions) {
        var g = SyntheticBMI(rows: rows, seed: seed)
        g.missingRate = 0
        var bytes: [UInt8] = []
        try g.generate { bytes += $0 }
        let options = DataOptions(target: "BMI")
        return (try DatasetBuilder.prepare(try CSVTable.parse(bytes), options: options), options)
    }

    /// Small hyperparameters per kind so the conformance suite stays fast.
    static func quickParameters(_ kind: String) -> [String] {
        switch kind {
        case "neuron": return ["epochs=3"]
        case "two-layer": return ["epochs=3"]
        case "mlp": return ["epochs=3", "hidden=4,3"]
        case "forest": return ["trees=5"]
        default: return []
        }
    }
}
