import ArgumentParser
import Foundation
import ModelZoo

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One row per .nnm model in a directory.",
        discussion: """
            Reads only each file's header, never the weights. Files that cannot be read are \
            reported on stderr and skipped (exit code 2 if any).

            Examples:
              zoo list models/
              zoo list models/ --format json | jq '.[].test_rmse'
            """
    )

    @Argument(help: "Directory to list (default: models).", completion: .directory)
    var directory: String = "models"

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    struct Row: Encodable {
        var file, kind, summary, created: String
        var parameters, bytes: Int
        var testRMSE, testR2: Double?
        /// Classifiers only (absent for regressors).
        var task: LearningTask?
        var testAccuracy, testLogLoss: Double?
        enum CodingKeys: String, CodingKey {
            case file, kind, summary, created, parameters, bytes, task
            case testRMSE = "test_rmse", testR2 = "test_r2", testAccuracy = "test_accuracy", testLogLoss = "test_log_loss"
        }
    }

    func run() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir) else {
            throw ZooError.io(path: directory, message: "no such directory (zoo list DIR lists the .nnm files in DIR)")
        }
        guard isDir.boolValue else { throw ZooError.io(path: directory, message: "not a directory (use zoo inspect for one file)") }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".nnm") }.sorted()
        var rows: [Row] = []
        var failed = false
        for name in names {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                let (m, size) = try NNMFile.readMetadata(path: path)
                rows.append(
                    Row(
                        file: name, kind: m.kind, summary: m.summary, created: m.created, parameters: m.parameterCount,
                        bytes: size, testRMSE: m.testMetrics?.rmse, testR2: m.testMetrics?.r2,
                        task: m.task == .classification ? .classification : nil,
                        testAccuracy: m.testClassification?.accuracy, testLogLoss: m.testClassification?.logLoss))
            } catch {
                Diagnostics.warning("\(path): \(error)")
                failed = true
            }
        }
        if format == .json {
            print(try Format.json(rows))
        } else if rows.isEmpty {
            Diagnostics.note("no .nnm files in \(directory)")
        } else {
            // Classifiers' accuracy and log-loss get columns only when there is a classifier.
            let classifiers = rows.contains { $0.task == .classification }
            let extra = classifiers ? ["test accuracy", "test log-loss"] : []
            var t = TextTable(
                ["file", "kind", "params", "test RMSE", "test R²"] + extra + ["size", "created"],
                rightAligned: Set(2...(classifiers ? 7 : 5)))
            for r in rows {
                let more = classifiers ? [Format.metric(r.testAccuracy), Format.metric(r.testLogLoss)] : []
                t.add(
                    [
                        r.file, r.kind, Format.count(r.parameters), Format.metric(r.testRMSE),
                        r.testR2.map { String(format: "%.5f", $0) } ?? "-",
                    ] + more + [Format.bytes(r.bytes), r.created])
            }
            print(t.render(), terminator: "")
        }
        if failed { throw ExitCode(2) }
    }
}
