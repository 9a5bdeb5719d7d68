import Foundation
import ModelZoo
import Testing
import ZooPlugins

/// Whole `--help` texts of every command (Golden/help-*.txt, at the 120 columns the runner sets), and
/// `zoo plugins` checked against the registry, so hyperparameter changes need no golden update.
/// After a deliberate change to a command's help, `ZOO_UPDATE_GOLDENS=1 swift test --filter HelpGoldenTests`
/// rewrites the files; review the diff.
@Suite struct HelpGoldenTests {
    static let commands: [[String]] = [
        [], ["plugins"], ["train"], ["split"], ["tune"], ["predict"], ["list"], ["compare"], ["report"],
        ["inspect"], ["export"],
        ["demo"], ["data"], ["data", "generate"], ["bench"], ["serve"],
    ]
    static let goldenDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    @Test(arguments: commands) func wholeHelpText(_ command: [String]) throws {
        let file = Self.goldenDir.appendingPathComponent("help-\((["zoo"] + command).joined(separator: "-")).txt")
        let r = try Zoo.run(command + ["--help"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        if ProcessInfo.processInfo.environment["ZOO_UPDATE_GOLDENS"] == "1" {
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        #expect(r.stdout == (try String(contentsOf: file, encoding: .utf8)), "zoo \(command.joined(separator: " ")) --help")
    }

    @Test(arguments: commands.filter { !$0.isEmpty }) func helpSubcommandPrintsTheSame(_ command: [String]) throws {
        let viaHelp = try Zoo.run(["help"] + command), direct = try Zoo.run(command + ["--help"])
        #expect(viaHelp.status == 0 && viaHelp.stdout == direct.stdout)
    }

    /// The plugins table: per kind its title line, then one row per hyperparameter in the registry's order.
    @Test func pluginsListsEveryKindAndParameter() throws {
        let r = try Zoo.run(["plugins"])
        #expect(r.status == 0 && r.stderr.isEmpty)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var at = 0
        for plugin in builtinPlugins.plugins {
            let title = lines[at...].firstIndex(of: "\(plugin.kind) — \(plugin.summary)")
            #expect(title != nil, "\(plugin.kind)")
            guard let title else { continue }
            at = title + 1
            if plugin.parameters.isEmpty { #expect(lines[at] == "  (no hyperparameters)"); continue }
            #expect(lines[at].hasPrefix("  parameter"))
            let rows = lines[(at + 2)...].prefix(plugin.parameters.count)
            for (row, p) in zip(rows, plugin.parameters) {
                let defaultText = p.defaultValue.description.isEmpty ? "(empty)" : p.defaultValue.description
                let also = p.aliases.isEmpty ? [] : [p.aliases.joined(separator: ", ")]
                let cells = [p.name] + also + [p.type.typeName, defaultText, p.type.expected, p.help]
                #expect(row.hasPrefix("  \(p.name) ") && row.hasSuffix(p.help), "\(plugin.kind): \(row)")
                #expect(row.split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == cells)
            }
            at += 2 + plugin.parameters.count
        }
    }

    /// `zoo plugins --format json` is the registry, field for field.
    @Test func pluginsJSONIsTheRegistry() throws {
        let r = try Zoo.run(["plugins", "--format", "json"])
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["kind"] as? String } == builtinPlugins.kinds)
        for (entry, plugin) in zip(entries, builtinPlugins.plugins) {
            #expect(entry["summary"] as? String == plugin.summary)
            #expect(entry["version"] as? Int == plugin.version)
            #expect(entry["target_scaling"] as? String == plugin.targetScaling.rawValue)
            let parameters = entry["parameters"] as? [[String: Any]] ?? []
            #expect(parameters.map { $0["name"] as? String } == plugin.parameters.map(\.name))
            for (json, p) in zip(parameters, plugin.parameters) {
                #expect(json["type"] as? String == p.type.typeName && json["valid"] as? String == p.type.expected)
                #expect(json["help"] as? String == p.help)
                #expect(json["aliases"] as? [String] == p.aliases)
                let expected = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(p.defaultValue), options: .fragmentsAllowed)
                #expect(json["default"] as? NSObject == expected as? NSObject, "\(plugin.kind).\(p.name)")
            }
        }
    }
}
