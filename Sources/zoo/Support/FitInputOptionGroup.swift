import ArgumentParser
import ModelZoo

/// What `train` and `tune` fit: the model kind, the training data, its target and features, and
/// the hyperparameters given with -p.
struct FitInputOptionGroup: ParsableArguments {
    @Argument(help: "Model kind (see `zoo plugins`).", completion: .list(builtinRegistry.kinds))
    var kind: String

    @Option(help: "Training CSV file (`-` for stdin).")
    var data: String

    @Option(help: "Name of the column to predict.")
    var target: String

    @Option(
        name: [.customShort("p"), .customLong("param")],
        help: "Hyperparameter as key=value (repeatable; `zoo tune` fixes it for every candidate).")
    var params: [String] = []

    @Option(help: "Comma-separated feature columns (default: every column but the target).")
    var features: String?

    func validate() throws {
        guard builtinRegistry.kinds.contains(kind) else {
            throw ValidationError(ZooError.unknownKind(kind, known: builtinRegistry.kinds).description)
        }
    }

    var featureList: [String]? { features.map(FeatureList.parse) }

    /// The plugin, its -p parameters checked before any data is read: for the task given, or (the
    /// data deciding the task later) for its regressor or its classifier.
    func checkedPlugin(task: LearningTask?) throws -> Plugin {
        let plugin = try builtinRegistry.plugin(kind)
        var firstError: Error?
        for t in task.map({ [$0] }) ?? [.regression, .classification] {
            do {
                _ = try plugin.variant(for: t).make(params)
                return plugin
            } catch {
                firstError = firstError ?? error
            }
        }
        throw firstError!
    }
}
