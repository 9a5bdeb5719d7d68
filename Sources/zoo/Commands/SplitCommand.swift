import ArgumentParser
import Foundation
import ModelZoo

struct SplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Write the train/test split that `zoo train` makes with the same options as two CSV files.",
        discussion: """
            The rows are those `zoo train` would use (rows missing the target, or with --impute drop any \
            feature, are left out), dealt by the same seeded shuffle, stratification or grouping; the \
            training file lists its rows in the order training sees them, so `zoo train ... --data \
            train.csv --test-fraction 0` fits the same model and scikit-learn's KFold on train.csv gives \
            the folds `zoo tune` uses. Rows are copied as read (quotes and number forms kept), LF line \
            endings. Without --target every column counts as a feature, which matches `zoo train`'s \
            default --features.

            Examples:
              zoo split data/bmi_data.csv --test-fraction 0.2 --seed 402 --train train.csv --test test.csv
              zoo split data/bmi_data.csv --target BMI --stratify BMI --train train.csv --test test.csv
              zoo split visits.csv --target cost --group patient --train train.csv --test test.csv
            """
    )

    @Argument(help: "CSV file to split (`-` for stdin).")
    var data: String

    @Option(help: "Target column (rows missing it are left out, as `zoo train` drops them).")
    var target: String?

    @Option(help: "Comma-separated feature columns (default: every column but the target).")
    var features: String?

    @Option(help: "Rows missing a feature: drop (default) or mean (kept, as `zoo train --impute mean` keeps them).")
    var impute: ImputeStrategy = .drop

    @OptionGroup var split: SplitOptionGroup

    @Option(help: "Where to write the training rows.")
    var train: String

    @Option(help: "Where to write the test rows.")
    var test: String

    @OptionGroup var csv: CSVOptionGroup

    func validate() throws {
        if impute == .mean && target == nil { throw ValidationError("--impute mean needs --target (only rows missing it are left out)") }
        if train == test { throw ValidationError("--train and --test must be different files") }
    }

    func run() throws {
        let csvOptions = try csv.csvOptions()
        let table = try CSVTable.read(path: data, options: csvOptions)
        var options = split.dataOptions(target: target ?? "", features: features.map(FeatureList.parse))
        options.impute = impute
        let (dealt, rows) = try DatasetBuilder.split(table, options: options, hasTarget: target != nil)
        try AtomicFile.write(SplitWriter.csv(table, rows: dealt.train, delimiter: csvOptions.delimiter), to: train)
        try AtomicFile.write(SplitWriter.csv(table, rows: dealt.test, delimiter: csvOptions.delimiter), to: test)
        var note = "wrote \(train) (\(Format.count(dealt.train.count)) rows) and \(test) (\(Format.count(dealt.test.count)) rows)"
        let dropped = rows.droppedMissingTarget + rows.droppedMissingFeatures
        if dropped > 0 { note += "; \(Format.count(dropped)) rows left out (missing values), as zoo train leaves them out" }
        Diagnostics.note(note)
    }
}

/// `--features a,b,c` as names.
enum FeatureList {
    static func parse(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
