import ArgumentParser
import ModelZoo

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the model kinds and their hyperparameters.",
        discussion: """
            Set a hyperparameter with `zoo train KIND -p key=value`; the names in "also" (scikit-learn's and \
            Keras's) are accepted too.

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
    }

    func run() throws {
        let entries = builtinRegistry.plugins.map { p in
            Entry(kind: p.kind, summary: p.summary, version: p.version, targetScaling: p.targetScaling.rawValue,
                  parameters: p.parameters.map { .init(name: $0.name, type: $0.type.typeName, help: $0.help, aliases: $0.aliases,
                                             default: $0.defaultValue, valid: $0.type.expected) })
        }
        if format == .json { print(try Format.json(entries)); return }
        for e in entries {
            print("\(e.kind) — \(e.summary)")
            var t = TextTable(["  parameter", "also", "type", "default", "valid", "help"])
            for p in e.parameters {
                let shown = p.default.description.isEmpty ? "(empty)" : p.default.description
                t.add(["  " + p.name, p.aliases.joined(separator: ", "), p.type, shown, p.valid, p.help])
            }
            print(e.parameters.isEmpty ? "  (no hyperparameters)\n" : t.render())
        }
    }
}
