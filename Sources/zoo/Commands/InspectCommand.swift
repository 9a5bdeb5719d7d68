import ArgumentParser
import Foundation
import ModelZoo

/// InspectExtras has its own `print`; this reaches the escaping one below.
private func inspectPrint(_ s: String) { print(s) }
/// Everything printed here may quote the file (summary, kind, names): control characters are escaped.
private func print(_ s: String, terminator: String = "\n") { Swift.print(Diagnostics.safe(s), terminator: terminator) }

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show everything a model file records, with a Keras-style layer summary.",
        discussion: """
            Verifies the whole file (checksums, tensors) before printing.

            A linear model's coefficients are shown per encoded feature, as fitted (scaled inputs) and \
            per unit of the raw column in target units. `--tensors` dumps every tensor as JSON; \
            `--tensor NAME` dumps one as CSV (a 2-D tensor one row per line) or, with --format json, JSON.

            Examples:
              zoo inspect models/bmi-mlp.nnm
              zoo inspect models/bmi-forest.nnm --format json
              zoo inspect models/bmi-linear.nnm --tensors
              zoo inspect models/bmi-mlp.nnm --tensor layer0.weight > w0.csv
            """
    )

    @Argument(help: "The .nnm model file.", completion: .file(extensions: ["nnm"]))
    var file: String

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    @Flag(help: "Dump every tensor's values as JSON.")
    var tensors = false

    @Option(help: "Dump one tensor's values (CSV, or JSON with --format json).")
    var tensor: String?

    func validate() throws {
        if tensors && tensor != nil { throw ValidationError("--tensors and --tensor cannot be used together") }
    }

    struct JSONReport: Encodable {
        var file: String
        var bytes: Int
        var metadata: ModelMetadata
        var coefficients: CoefficientTable?
        var tensors: [TensorInfo]
        struct TensorInfo: Encodable { var name, dtype: String; var shape: [Int] }
    }

    func run() throws {
        let model = try ModelLoader.load(file)
        let size = FileBytes.size(of: file) ?? 0
        let m = model.metadata
        let tensors = (try? model.file().tensors.tensors) ?? []
        if self.tensors || tensor != nil {
            try TensorDump.print(tensors, only: tensor, format: format)
            return
        }
        if format == .json {
            Swift.print(
                try Format.json(
                    JSONReport(
                        file: file, bytes: size, metadata: m, coefficients: CoefficientTable(model),
                        tensors: tensors.map { .init(name: $0.name, dtype: $0.dtype.description, shape: $0.shape) })))
            return
        }
        print("Model: \(file) — \(m.summary)")
        print("kind: \(m.kind) (plugin v\(m.pluginVersion)), written by \(m.writer) at \(m.created), \(Format.bytes(size))")
        print("hyperparameters: \(m.hyperparameters.description.isEmpty ? "(none)" : m.hyperparameters.description)")
        if !m.training.summary.isEmpty {
            print("training: " + m.training.summary)
        }
        for line in InspectProvenance.lines(m.training) { print(line) }
        let r = m.rows
        print(
            "rows: read \(Format.count(r.read)), dropped \(Format.count(r.droppedMissingTarget)) (target missing) + \(Format.count(r.droppedMissingFeatures)) (feature missing), imputed \(Format.count(r.imputed)), train \(Format.count(r.train)), test \(Format.count(r.test))"
        )
        print("")
        var features = TextTable(["feature", "kind", "encoding"])
        for c in m.schema.columns {
            switch c.kind {
            case .numeric:
                let s = c.scaler ?? .identity
                var enc: String
                switch s.kind {
                case .minmax: enc = "minmax [\(Format.metric(s.center)), \(Format.metric(s.center + s.scale))]"
                case .standard: enc = "standard mean \(Format.metric(s.center)) sd \(Format.metric(s.scale))"
                case .none: enc = "unscaled"
                }
                if let i = c.impute { enc += ", missing → \(Format.metric(i))" }
                features.add([c.name, "numeric", enc])
            case .categorical:
                let levels = c.levels ?? []
                features.add([
                    c.name, "categorical",
                    c.isBinary
                        ? "0/1: \(levels[1]) = 1, \(levels[0]) = 0"
                        : "one-hot: " + levels.joined(separator: ", "),
                ])
            }
        }
        let ts = m.schema.targetScaler
        features.add([
            m.schema.target, "target",
            ts.kind == .none ? "unscaled" : "\(ts.kind.rawValue) (center \(Format.metric(ts.center)), scale \(Format.metric(ts.scale)))",
        ])
        print("Features (\(m.schema.encodedWidth) encoded inputs):")
        print(features.render())

        var layers = TextTable(["Layer (type)", "Output Shape", "Param #"], rightAligned: [2])
        for l in m.layers { layers.add([l.name, l.outputShape, Format.count(l.parameters)]) }
        print(layers.render(), terminator: "")
        print("Total params: \(Format.count(m.parameterCount))\n")

        if let classes = m.schema.classes {
            print("Classes (\(classes.count), in probability-column order): \(classes.joined(separator: ", "))")
            var metrics = TextTable(
                ["split", "rows", "log-loss", "accuracy", "bal. acc.", "macro F1", "weighted F1", "ROC AUC"],
                rightAligned: Set(1...7))
            for (label, mm) in [("train", m.trainClassification), ("test", m.testClassification)] {
                guard let mm else { continue }
                metrics.add([
                    label, Format.count(mm.rows), Format.metric(mm.logLoss), Format.metric(mm.accuracy),
                    Format.metric(mm.balancedAccuracy), Format.metric(mm.macroF1), Format.metric(mm.weightedF1),
                    mm.rocAUC.map { Format.metric($0) } ?? "-",
                ])
            }
            print("Metrics:")
            print(metrics.render())
            if let test = m.testClassification {
                print("Test split per class (confusion matrix: rows true, columns predicted):")
                for line in TrainingRun.classificationTable(test) { print(line) }
                print("")
            }
        } else {
            var metrics = TextTable(["split", "rows", "MSE", "RMSE", "MAE", "R²", "max error"], rightAligned: [1, 2, 3, 4, 5, 6])
            for (label, mm) in [("train", m.trainMetrics), ("test", m.testMetrics)] {
                guard let mm else { continue }
                metrics.add([
                    label, Format.count(mm.rows), Format.metric(mm.mse), Format.metric(mm.rmse), Format.metric(mm.mae),
                    String(format: "%.5f", mm.r2), Format.metric(mm.maxError),
                ])
            }
            print("Metrics (\(m.schema.target) units):")
            print(metrics.render())
        }
        if let h = model.history, !h.loss.isEmpty {
            var line = "history: \(h.loss.count) epochs, loss \(Format.metric(h.loss.first)) → \(Format.metric(h.loss.last))"
            if let v = h.validationLoss.last { line += ", val_loss → \(Format.metric(v))" }
            print(line)
        }
        for line in TrainingRun.fitLines(m.fit) { print(line) }
        if let search = m.search { InspectSearch.print(search) }
        if let table = CoefficientTable(model) { InspectCoefficients.print(table, target: m.schema.target) }
        InspectExtras.print(m.extras)
        if let imp = m.fit.featureImportances { InspectExtras.printImportances(zip(m.schema.encodedNames, imp).map { ($0, $1) }) }
        print("tensors: " + tensors.map { "\($0.name) \($0.dtype)\($0.shape)" }.joined(separator: ", "))
    }
}

/// Prints plugin extras as `key: value`, and importances as a sorted bar table.
enum InspectExtras {
    static func print(_ extras: [String: JSONValue]) {
        for key in extras.keys.sorted() {
            switch extras[key]! {
            case .object(let o) where key == "feature_importances":  // files written before FitReport
                printImportances(o.compactMap { k, v in v.doubleValue.map { (k, $0) } })
            case let v:
                inspectPrint("\(key): \(v)")
            }
        }
    }

    static func printImportances(_ pairs: [(String, Double)]) {
        inspectPrint("Feature importances:")
        let items = pairs.sorted { $0.1 > $1.1 }
        let width = items.map(\.0.count).max() ?? 0
        for (k, v) in items {
            let bar = String(repeating: "█", count: v.isFinite ? Int((min(max(v, 0), 1) * 40).rounded()) : 0)
            inspectPrint("  " + k.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %.4f  ", v) + bar)
        }
    }
}

/// A linear model's weights: fitted on scaled inputs, and per raw unit in target units.
enum InspectCoefficients {
    static func print(_ table: CoefficientTable, target: String) {
        var t = TextTable(["feature", "coefficient (scaled input)", "per raw unit (\(target) units)"], rightAligned: [1, 2])
        for r in table.rows + [table.intercept] { t.add([r.feature, Format.metric(r.scaled), Format.metric(r.original)]) }
        inspectPrint("Coefficients:")
        inspectPrint(t.render())
    }
}

/// Where the training data came from: its fingerprint and the command line.
enum InspectProvenance {
    static func lines(_ t: TrainingRecord) -> [String] {
        var out: [String] = []
        if let d = t.data {
            out.append("data: \(d.hash), \(Format.count(d.rows)) rows, columns \(d.columns.joined(separator: ", "))")
        }
        if let c = t.command { out.append("command: " + c.map(shellQuoted).joined(separator: " ")) }
        return out
    }

    static func shellQuoted(_ s: String) -> String {
        let plain =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_./=,:@%+".unicodeScalars.contains($0) }
        return plain ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The search a model was chosen by: how, and the top of its leaderboard.
enum InspectSearch {
    static let shown = 10

    static func print(_ s: SearchRecord) {
        let over = s.parameters.isEmpty ? "" : " over \(s.parameters.joined(separator: ", "))"
        var head = "Search: \(s.method)\(over), \(s.candidates) candidates × \(s.folds) folds, scoring \(s.scoring)"
        if !s.fixed.isEmpty { head += ", fixed \(s.fixed.joined(separator: " "))" }
        if s.failed > 0 { head += ", \(s.failed) failed" }
        Swift.print(head + (s.leaderboard.count > shown ? " (best \(shown) of \(s.leaderboard.count) shown)" : "") + ":")
        Swift.print(LeaderboardOutput.table(Array(s.leaderboard.prefix(shown)), halving: s.method.contains("halving")), terminator: "")
    }
}
