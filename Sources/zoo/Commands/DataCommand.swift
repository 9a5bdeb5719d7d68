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
        abstract: "Write a synthetic BMI-like CSV in the schema of data/bmi_data.csv, or a wide table (--features N).",
        discussion: """
            Streams, so 10 million rows use little memory. Same seed → same file. With --features N: \
            columns f0…f(N-1) of N(0,1) doubles at full precision (shortest round-trip digits, as \
            pandas and numpy write them; --decimals D rounds them), a 5-level category `cat` and the \
            target `y` (as ../shared/peers/gen_wide.py), LF line endings.

            Examples:
              zoo data generate --rows 1000000 --seed 402 -o /tmp/big.csv
              zoo data generate --rows 1000 --missing-rate 0.01 -o small.csv
              zoo data generate --rows 1000000 --features 50 -o /tmp/wide.csv
            """
    )

    @Option(help: "Number of data rows.")
    var rows: Int

    @Option(help: "Random seed.")
    var seed: UInt64 = 402

    @Option(help: "Probability that each Height/Weight/BMI field is left empty.")
    var missingRate: Double = 0

    @Option(help: "A wide table of this many numeric features instead of BMI rows.")
    var features: Int?

    @Option(help: "With --features: decimal places of the features (default: full precision).")
    var decimals: Int?

    @Flag(help: "With --features: leave out the target column y.")
    var noTarget = false

    @Flag(help: "LF line endings instead of CRLF (the bundled file's).")
    var lf = false

    @Option(name: .shortAndLong, help: "Output file (`-` for stdout).")
    var output: String

    func validate() throws {
        guard rows >= 0 else { throw ValidationError("--rows must be ≥ 0") }
        guard missingRate >= 0, missingRate <= 1 else { throw ValidationError("--missing-rate must be in [0, 1]") }
        if let features, features < 1 || features > 100_000 { throw ValidationError("--features must be in 1…100000") }
        if let decimals, decimals < 0 || decimals > 15 { throw ValidationError("--decimals must be in 0…15") }
        if features == nil, decimals != nil || noTarget { throw ValidationError("--decimals and --no-target go with --features") }
    }

    func run() throws {
        var gen = SyntheticBMI(rows: rows, seed: seed)
        gen.missingRate = missingRate
        gen.crlf = !lf
        try OutputGuard.checkNotAModel(output: output, writing: "generated data")
        var wide = features.map { SyntheticWide(rows: rows, features: $0, seed: seed) }
        wide?.decimals = decimals
        wide?.target = !noTarget
        let sink: OutputSink = output == "-" ? StandardOutputSink() : try AtomicOutput(path: output)
        do {
            if let wide { try wide.generate { try sink.write($0) } } else { try gen.generate { try sink.write($0) } }
            try sink.commit()
        } catch {
            sink.abandon()
            throw error
        }
    }
}
