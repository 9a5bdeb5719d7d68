import ArgumentParser
import Foundation
import ModelZoo
import ZooPlugins

/// `zoo`: train, inspect, compare and run small predictive models stored as `.nnm` files.
@main
struct Zoo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zoo",
        abstract: "Train small predictive models from CSV files and use a directory of .nnm files as a zoo.",
        discussion: """
            Exit codes: 0 success, 1 usage or input error (flags, CSV data), 2 model-file error \
            (missing, corrupt, unsupported .nnm).

            Shell completion (commands, flags, model kinds, .nnm files): \
            zoo --generate-completion-script bash|zsh|fish.

            Examples:
              zoo demo
              zoo train mlp --data data/bmi_data.csv --target BMI --out models/bmi-mlp.nnm
              zoo predict models/bmi-linear.nnm people.csv -o predicted.csv
              zoo list models/
              zoo compare models/ --data data/bmi_data.csv
              zoo split data/bmi_data.csv --train train.csv --test test.csv
              zoo tune forest --data data/bmi_data.csv --target BMI --grid trees=50|100 --grid max_depth=none|10 --out best.nnm
            """,
        version: ModelZooVersion.version,
        subcommands: [
            PluginsCommand.self, TrainCommand.self, SplitCommand.self, TuneCommand.self, PredictCommand.self, ListCommand.self,
            CompareCommand.self, ReportCommand.self, InspectCommand.self, ExportCommand.self, DemoCommand.self, DataCommand.self,
            BenchCommand.self, ServeCommand.self,
        ]
    )

    /// Runs a command and maps failures to the documented exit codes, messages on stderr.
    static func main() {
        InterruptCleanup.install()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Foundation.exit(report(error))
        }
    }

    static func report(_ error: Error) -> Int32 {
        switch error {
        case let e as ModelFileFailure:
            // I/O errors already name the path.
            if case .io = e.error { Diagnostics.error(e.error.description) } else { Diagnostics.error("\(e.path): \(e.error)") }
            return 2
        case let e as ZooError:
            Diagnostics.error(e.description)
            return 1
        case let e as NNMError:
            Diagnostics.error(e.description)
            return 2
        case let e as ExitCode:
            return e.rawValue
        default:
            if let typo = UsageSuggestions.problem(in: Array(CommandLine.arguments.dropFirst())) {
                Diagnostics.write(typo)
                return 1
            }
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            // Usage errors: swift-argument-parser's message, with our lower-case `error:` prefix.
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message = "error: " + message.dropFirst(7) }
            Diagnostics.write(message + "\n")
            return 1
        }
    }
}
