import ArgumentParser
import ModelZoo

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the model kinds and their hyperparameters.",
        discussion: """
            Set a hyperparameter with `zoo train KIND -p key=value`; the names in "also" (scikit-learn's and \
            Keras's) are accepted too. A categorical target gets the kind's classifier, whose \
            hyperparameters are listed after the regressor's.

            Examples:
              zoo plugins
              zoo plugins --format json
            """
    )

    @Option(help: "table or json.")
    var format: OutputFormat = .table

    struct Entry: Encodable {
        struct Param: Encodable { var name, type, help: String; var aliases: [String]; var `default`: JSONValue; var valid: String }
        var kind, summary: String
        var version: Int
        var targetScaling: String
        var parameters: [Param]
        /// The plugin's classifier (for a categorical target), with its own hyperparameters.
        var classifier: Classifier?
        struct Classifier: Encodable { var summary: String; var version: Int; var parameters: [Param] }
    }

    static func params(_ specs: [ParameterSpec]) -> [Entry.Param] {
        specs.map {
            .init(
                name: $0.name, type: $0.type.typeName, help: $0.help, aliases: $0.aliases, default: $0.defaultValue,
                valid: $0.type.expected)
        }
    }

    static func table(_ parameters: [Entry.Param]) -> String {
        var t = TextTable(["  parameter", "also", "type", "default", "valid", "help"])
        for p in parameters {
            let shown = p.default.description.isEmpty ? "(empty)" : p.default.description
            t.add(["  " + p.name, p.aliases.joined(separator: ", "), p.type, shown, p.valid, p.help])
        }
        return parameters.isEmpty ? "  (no hyperparameters)\n" : t.render()
    }

    func run() throws {
        let entries = builtinRegistry.plugins.map { p in
            Entry(
                kind: p.kind, summary: p.summary, version: p.version, targetScaling: p.targetScaling.rawValue,
                parameters: Self.params(p.parameters),
                classifier: p.classifier.map { .init(summary: $0.summary, version: $0.version, parameters: Self.params($0.parameters)) })
        }
        if format == .json { print(try Format.json(entries)); return }
        for e in entries {
            print("\(e.kind) — \(e.summary)")
            print(Self.table(e.parameters))
            if let c = e.classifier {
                print("\(e.kind) classifier (categorical target) — \(c.summary)")
                print(Self.table(c.parameters))
            }
        }
    }
}
