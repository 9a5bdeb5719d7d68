import ArgumentParser
import Foundation
import ModelZoo

/// Typos the argument parser reports unhelpfully, found in the raw arguments after a parse failed:
/// a mistyped subcommand ("Unexpected argument"), `zoo help` of an unknown command (top-level help,
/// exit 0), and an unknown long flag (reported as the required flag it was meant to be).
enum UsageSuggestions {
    /// A complete error text (with a "did you mean" hint when one is close), or nil if none of these applies.
    static func problem(in arguments: [String]) -> String? {
        if arguments.first == "help" { return unknownCommand(in: Array(arguments.dropFirst()), helpPath: true) }
        if let text = unknownCommand(in: arguments, helpPath: false) { return text }
        let (command, path, rest) = resolve(arguments)
        return unknownOption(in: rest, command: command, path: path)
    }

    /// Walks subcommand names from the root; returns the command reached and the arguments left.
    static func resolve(_ arguments: [String]) -> (ParsableCommand.Type, [String], ArraySlice<String>) {
        var command: ParsableCommand.Type = Zoo.self
        var path: [String] = []
        var rest = arguments[...]
        while let next = rest.first, let sub = subcommand(named: next, of: command) {
            command = sub
            path.append(next)
            rest = rest.dropFirst()
        }
        return (command, path, rest)
    }

    static func subcommand(named name: String, of command: ParsableCommand.Type) -> ParsableCommand.Type? {
        command.configuration.subcommands.first { commandName($0) == name }
    }

    static func commandName(_ command: ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    /// The first word where a subcommand was expected that names none. `helpPath`: every word is a command name.
    static func unknownCommand(in arguments: [String], helpPath: Bool) -> String? {
        let (command, path, rest) = resolve(arguments)
        guard let word = rest.first, !word.hasPrefix("-"), helpPath || !command.configuration.subcommands.isEmpty else { return nil }
        let names = command.configuration.subcommands.map(commandName)
        let parent = (["zoo"] + path).joined(separator: " ")
        var text = "error: unknown command '\(word)' for '\(parent)'"
        if let near = nearestName(to: word, in: names) { text += "; did you mean '\(near)'?" }
        text += names.isEmpty ? "\n" : "\ncommands: \(names.joined(separator: ", "))\n"
        return text + "See '\(parent) --help' for more information.\n"
    }

    /// The first `--flag` the command does not know (before a `--` terminator), with the nearest it does.
    static func unknownOption(in arguments: ArraySlice<String>, command: ParsableCommand.Type, path: [String]) -> String? {
        let known = longOptionNames(path: path)
        guard !known.isEmpty else { return nil }
        for argument in arguments.prefix(while: { $0 != "--" }) where argument.hasPrefix("--") {
            let name = String(argument.dropFirst(2).prefix { $0 != "=" })
            if known.contains(name) { continue }
            let usage = (["zoo"] + path).joined(separator: " ")
            var text = "error: unknown option '--\(name)'"
            if let near = nearestName(to: name, in: known) { text += "; did you mean '--\(near)'?" }
            return text + "\nSee '\(usage) --help' for the options.\n"
        }
        return nil
    }

    /// Every long option name of the command at `path`, from the parser's own description of it
    /// (`--experimental-dump-help`), plus the ones the parser adds to every command.
    static func longOptionNames(path: [String]) -> [String] {
        var names = ["help", "version", "generate-completion-script", "experimental-dump-help"]
        do {
            _ = try Zoo.parseAsRoot(path + ["--experimental-dump-help"])
        } catch {
            let json = Zoo.fullMessage(for: error)
            guard let root = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                let command = root["command"] as? [String: Any],
                let arguments = command["arguments"] as? [[String: Any]]
            else { return [] }
            for argument in arguments {
                for name in argument["names"] as? [[String: Any]] ?? [] where name["kind"] as? String == "long" {
                    if let n = name["name"] as? String { names.append(n) }
                }
            }
        }
        return names
    }
}
