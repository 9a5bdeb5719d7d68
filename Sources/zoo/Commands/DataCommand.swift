import ArgumentParser
import Foundation
import ModelZoo

struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Make data files.",
        subcommands: [GenerateCommand.self]
    )
}

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic BMI-like CSV in the schema of data/bmi_data.csv.",
        discussion: """
            Streams, so 10 million rows use little memory. Same seed → same file.

            Examples:
              zoo data generate --rows 1000000 --seed 402 -o /tmp/big.csv
              zoo data generate --rows 1000 --missing-rate 0.01 -o small.csv
            """
    )

    @Option(help: "Number of data rows.")
    var rows: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 402

    @Option(help: "Probability that each Height/Weight/BMI field is left empty.")
    var missingRate: Double = 0

    @Flag(help: "LF line endings instead of CRLF (the bundled file's).")
    var lf = false

    @Option(name: .shortAndLong, help: "Output file (`-` for stdout).")
    var output: String

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must be ≥ 0") }
        guard missingRate >= 0, missingRate <= 1 else { throw ValidationError("--missing-rate must be in [0, 1]") }
    }

    func run() throws {
        var gen = SyntheticBMI(rows: rows, seed: seed)
        gen.missingRate = missingRate
        gen.crlf = !lf
        try OutputGuard.checkNotAModel(output: output, writing: "generated data")
        let sink: OutputSink = output == "-" ? StandardOutputSink() : try AtomicOutput(path: output)
        do {
            try gen.generate { try sink.write($0) }
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }
}
