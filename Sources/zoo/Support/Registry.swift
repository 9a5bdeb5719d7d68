import ModelZoo
import ZooPlugins

/// The registry every command uses.
let builtinRegistry = builtinPlugins
