import Foundation

/// Refuses outputs that would destroy what a command reads or what a zoo holds: an `-o` that names
/// one of the command's inputs (the same file by device and inode, so through symlinks and hard
/// links too), and a data output about to replace a model file.
public enum OutputGuard {
    /// Throws when `output` is the same file as any of `inputs` (directories stand for their `.nnm` files).
    public static func check(output: String, against inputs: [String]) throws {
        guard output != "-", let out = identity(output) else { return }
        for input in inputs where input != "-" {
            for file in members(input) where identity(file) == out {
                throw ZooError.invalidInput(
                    "refusing to write \(output): it is \(file == input ? "" : "in ")the input \(input), "
                        + "which writing would destroy; choose another output path")
            }
        }
    }

    /// Throws when `output` is an existing `.nnm` model and the command writes something else there.
    public static func checkNotAModel(output: String, writing what: String) throws {
        guard output != "-", isModelFile(output) else { return }
        throw ZooError.invalidInput(
            "refusing to write \(what) to \(output): it is a model file; choose another output path "
                + "(or delete the model first)")
    }

    /// Throws when `output` exists and is not a model: a model file replaces only a model file.
    public static func checkReplacesOnlyAModel(output: String) throws {
        var st = stat()
        guard stat(output, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0, !isModelFile(output) else { return }
        throw ZooError.invalidInput(
            "refusing to replace \(output) with a model: it is not a model file; choose another --out "
                + "(or delete it first)")
    }

    static func members(_ path: String) -> [String] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { $0.hasSuffix(".nnm") }.map { (path as NSString).appendingPathComponent($0) }
    }

    /// Device and inode of the file a path names (following symlinks), nil when it does not exist.
    static func identity(_ path: String) -> [UInt64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [UInt64(st.st_dev), UInt64(st.st_ino)]
    }

    static func isModelFile(_ path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        return (try? h.read(upToCount: NNMFormat.magic.count)).map { Array($0) == NNMFormat.magic } ?? false
    }
}
