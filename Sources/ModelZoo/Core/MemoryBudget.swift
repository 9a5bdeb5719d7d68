import Foundation

/// How much memory a command may plan to use: what a configuration would take is estimated before
/// the work and refused over the limit with both numbers, instead of being killed by the allocator.
public struct MemoryBudget: Sendable, Equatable {
    /// Bytes.
    public var limit: Int

    public init(limit: Int) { self.limit = limit }

    /// 80% of the smallest of physical memory, the address-space and data rlimits, and the cgroup limit.
    public static func detect() -> MemoryBudget {
        var bounds = [Int(clamping: ProcessInfo.processInfo.physicalMemory)]
        for resource in [RLIMIT_AS, RLIMIT_DATA] {
            var rl = rlimit()
            if getrlimit(__rlimit_resource_t(resource.rawValue), &rl) == 0, rl.rlim_cur != rlim_t.max {
                bounds.append(Int(clamping: rl.rlim_cur))
            }
        }
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let v = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            bounds.append(v)
        }
        return MemoryBudget(limit: bounds.min()! / 5 * 4)
    }

    /// Throws when `bytes` exceed the limit, saying what would have taken them.
    public func check(_ bytes: Int, for what: @autoclosure () -> String) throws {
        guard bytes > limit else { return }
        throw ZooError.insufficientMemory(what: what(), needs: bytes, limit: limit)
    }

    /// `a × b × c` without trapping on overflow (saturates at Int.max).
    public static func product(_ factors: Int...) -> Int {
        factors.reduce(1) { acc, f in
            let (p, overflow) = acc.multipliedReportingOverflow(by: max(f, 0))
            return overflow ? .max : p
        }
    }
}
