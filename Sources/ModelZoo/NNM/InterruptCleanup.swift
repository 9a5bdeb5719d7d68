import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Removes temporary output files when the process is interrupted (Ctrl-C, SIGTERM), so an
/// interrupted `zoo predict -o out.csv` or `zoo train` leaves neither a partial file nor a hidden
/// temporary. Paths are kept as C strings in a fixed table that the signal handler reads without
/// allocating (only async-signal-safe calls: `unlink`, `signal`, `raise`).
public enum InterruptCleanup {
    static let capacity = 64
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static var installed = false
    static let lock = Locked(())

    /// Installs the SIGINT/SIGTERM/SIGHUP handlers (once).
    public static func install() {
        lock.withLock { _ in
            guard !installed else { return }
            installed = true
            _ = slots
            for sig in [SIGINT, SIGTERM, SIGHUP] {
                signal(sig) { sig in
                    for i in 0..<InterruptCleanup.capacity {
                        if let p = InterruptCleanup.slots[i] { unlink(p) }
                    }
                    signal(sig, SIG_DFL)
                    raise(sig)
                }
            }
        }
    }

    /// Remembers `path` for removal on interrupt; returns a slot for `unregister`, or nil if full.
    static func register(_ path: String) -> Int? {
        lock.withLock { _ -> Int? in
            for i in 0..<capacity where slots[i] == nil {
                slots[i] = strdup(path)
                return i
            }
            return nil
        }
    }

    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { _ in
            let p = slots[slot]
            slots[slot] = nil
            free(p)
        }
    }
}
