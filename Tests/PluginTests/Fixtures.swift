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

extension Fixtures {
    /// Synthetic BMI rows with the BMI replaced by a class: its tertile (`low`, `mid`, `high`), or
    /// with `binary` its half (`no`, `yes`), so every class is well populated.
    static func bmiClasses(rows: Int = 600, seed: UInt64 = 3, binary: Bool = false) throws -> (PreparedData, DataOptions) {
        var g = SyntheticBMI(rows: rows, seed: seed)
        g.missingRate = 0
        var bytes: [UInt8] = []
        try g.generate { bytes += $0 }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }).map(
            String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let target = header.firstIndex(of: "BMI")!
        let bmi = lines.dropFirst().map { Double($0.split(separator: ",", omittingEmptySubsequences: false)[target])! }
        let sorted = bmi.sorted()
        let cuts = binary ? [sorted[sorted.count / 2]] : [sorted[sorted.count / 3], sorted[2 * sorted.count / 3]]
        let names = binary ? ["no", "yes"] : ["low", "mid", "high"]
        var csv = header.enumerated().map { $0.offset == target ? "Class" : $0.element }.joined(separator: ",") + "\n"
        for (i, line) in lines.dropFirst().enumerated() {
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[target] = names[cuts.filter { bmi[i] >= $0 }.count]
            csv += cells.joined(separator: ",") + "\n"
        }
        let options = DataOptions(target: "Class")
        return (try DatasetBuilder.prepare(try CSVTable.parse(Array(csv.utf8)), options: options), options)
    }
}
