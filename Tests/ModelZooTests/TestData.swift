import Foundation
@testable import ModelZoo

/// Paths and small data sets shared by the tests.
enum TestData {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var bmiPath: String { root.appendingPathComponent("data/bmi_data.csv").path }

    static func synthetic(rows: Int, seed: UInt64 = 1, missingRate: Double = 0) throws -> CSVTable {
        var g = SyntheticBMI(rows: rows, seed: seed)
        g.missingRate = missingRate
        var bytes: [UInt8] = []
        try g.generate { bytes += $0 }
        return try CSVTable.parse(bytes)
    }
}
