import ArgumentParser
import Foundation

/// A size typed on the command line: `1048576`, `512KB`, `64MB`, `2GB` (binary multiples).
struct ByteCount: ExpressibleByArgument, Equatable {
    let bytes: Int

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).uppercased()
        let units: [(String, Int)] = [
            ("GB", 1 << 30), ("G", 1 << 30), ("MB", 1 << 20), ("M", 1 << 20), ("KB", 1 << 10), ("K", 1 << 10), ("B", 1),
        ]
        let (digits, scale) = units.first { text.hasSuffix($0.0) }.map { (String(text.dropLast($0.0.count)), $0.1) } ?? (text, 1)
        guard let value = Double(digits.trimmingCharacters(in: .whitespaces)), value > 0, value * Double(scale) < 1e18 else { return nil }
        bytes = Int(value * Double(scale))
    }
}
