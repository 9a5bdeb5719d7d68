#if canImport(Glibc)
    import Glibc
#endif

/// Asks Linux to back a large fresh buffer with 2 MiB pages. Buffers this size come straight from
/// mmap and are faulted in 4 KiB at a time when first written: page faults were 16% of `zoo bench`
/// on the wide table (160 MB of file bytes, 65 MB of cells, 70 MB of matrix a run). Advice only:
/// where transparent huge pages are off nothing changes.
enum HugePages {
    static let size = 2 << 20

    static func advise(_ p: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
            guard let p, bytes >= 2 * size else { return }
            let start = (Int(bitPattern: p) + size - 1) & ~(size - 1)
            let end = (Int(bitPattern: p) + bytes) & ~(size - 1)
            guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
            _ = madvise(aligned, end - start, 14)  // MADV_HUGEPAGE
        #endif
    }
}
