import Foundation

/// Temporary files and directories for tests, all under one directory per test process that is
/// removed when the process exits (the tests used to leave each of their directories in /tmp:
/// several hundred a run of `swift test`). Directories of earlier processes that are gone (a crash,
/// a kill) are removed when the first scratch name is made.
public enum Scratch {
    static let prefix = "zoo-tests-"

    static let root: URL = {
        let fm = FileManager.default, tmp = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix(prefix) {
            if let pid = Int32(name.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH {
                try? fm.removeItem(at: tmp.appendingPathComponent(name))
            }
        }
        let url = tmp.appendingPathComponent("\(prefix)\(getpid())")
        try? fm.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return url
    }()

    /// A path no other test uses: `name`-UUID`suffix` in the process's scratch directory (not created).
    public static func unique(_ name: String, suffix: String = "") -> URL {
        root.appendingPathComponent("\(name)-\(UUID().uuidString)\(suffix)")
    }
}
