import Foundation
import ModelZoo

/// The models of a directory, kept current: every `.nnm` is a model named by its file stem. A
/// scan (at start, then every `interval`) loads new and replaced files and drops removed ones. A
/// request takes a `ServedModel` reference and finishes on it whatever the scans do meanwhile. A
/// file that fails to load (corrupt, truncated, unsupported) is refused with a log line, and the
/// version already loaded keeps serving; the same broken file is not retried until it changes.
final class ModelStore: @unchecked Sendable {
    let directory: String
    let registry: PluginRegistry
    private let lock = NSLock()
    private var models: [String: ServedModel] = [:]
    /// Files that failed to load, by name, with the identity that failed (not retried until it changes).
    private var refused: [String: FileIdentity] = [:]
    private let log: @Sendable (String) -> Void
    /// Called after each load attempt: (model name, outcome "loaded" | "refused" | "removed").
    var onReload: (@Sendable (String, String) -> Void)?

    init(directory: String, registry: PluginRegistry, log: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.registry = registry
        self.log = log
    }

    /// The model named `name`, as it is now.
    func model(_ name: String) -> ServedModel? {
        lock.lock()
        defer { lock.unlock() }
        return models[name]
    }

    /// Every model, sorted by name.
    func all() -> [ServedModel] {
        lock.lock()
        defer { lock.unlock() }
        return models.values.sorted { $0.name < $1.name }
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return models.count
    }

    /// Brings the set of models in line with the directory. Returns the names whose state changed.
    @discardableResult
    func scan() -> [String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".nnm") && !$0.hasPrefix(".") }
        } catch {
            log("warning: cannot list \(directory): \(error.localizedDescription); keeping the models loaded")
            return []
        }
        var changed: [String] = []
        var present = Set<String>()
        for file in names.sorted() {
            let name = String(file.dropLast(4))
            present.insert(name)
            let path = (directory as NSString).appendingPathComponent(file)
            guard let id = FileIdentity.of(path) else { continue }
            lock.lock()
            let current = models[name]?.identity
            let failed = refused[name]
            lock.unlock()
            if current == id || failed == id { continue }
            do {
                let trained = try TrainedModel.load(path: path, registry: registry)
                // The file may have been replaced while it was read: keep the identity that was read
                // only when it is still the file's (else the next scan loads the newer one).
                let served = try ServedModel(name: name, path: path, trained: trained, identity: id)
                lock.lock()
                models[name] = served
                refused[name] = nil
                lock.unlock()
                log(
                    "\(current == nil ? "loaded" : "reloaded") model '\(name)' (\(trained.metadata.kind), target \(trained.schema.target)) from \(path)"
                )
                onReload?(name, "loaded")
                changed.append(name)
            } catch {
                lock.lock()
                refused[name] = id
                lock.unlock()
                let keeping = current == nil ? "not serving it" : "still serving the version loaded before"
                log("warning: refused \(path): \(error); \(keeping)")
                onReload?(name, "refused")
                changed.append(name)
            }
        }
        lock.lock()
        let gone = models.keys.filter { !present.contains($0) }
        for name in gone { models[name] = nil }
        for name in refused.keys where !present.contains(name) { refused[name] = nil }
        lock.unlock()
        for name in gone.sorted() {
            log("removed model '\(name)' (its file is gone)")
            onReload?(name, "removed")
            changed.append(name)
        }
        return changed
    }
}
