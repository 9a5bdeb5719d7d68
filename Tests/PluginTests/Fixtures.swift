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
}
