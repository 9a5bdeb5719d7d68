#if canImport(Glibc)
    import Glibc
#endif

/// Transparent huge pages for the large buffers a whole-table read fills (the file's bytes, the cell
/// spans, the encoded matrix): 2 MiB pages instead of 4 KiB ones where the kernel allows it
/// (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise` or `always`). `zoo train linear`
/// on 160,000 wide rows faulted in ~300 MB a page at a time: 0.52-0.56 s, 0.18 s of it in the
/// kernel; with huge pages 0.40-0.44 s, 0.08 s in the kernel (the same with glibc's
/// `glibc.malloc.hugetlb=1`, which does this for every large allocation).
enum HugePages {
    static let size = 2 << 20

    /// Asks for the whole 2 MiB pages inside `bytes` bytes at `p` to be huge pages, before they are
    /// first touched (pages already there stay as they are). Smaller buffers are left alone: a huge
    /// page at each end would be mostly waste.
    static func advise(_ p: UnsafeMutableRawPointer?, bytes: Int) {
        #if os(Linux)
            guard let p, let pages = wholePages(at: Int(bitPattern: p), bytes: bytes) else { return }
            _ = madvise(UnsafeMutableRawPointer(bitPattern: pages.lowerBound), pages.count, MADV_HUGEPAGE)
        #endif
    }

    /// The addresses of the whole huge pages inside `bytes` bytes at `address`; nil below four
    /// huge pages' worth.
    static func wholePages(at address: Int, bytes: Int) -> Range<Int>? {
        guard bytes >= 4 * size else { return nil }
        let start = (address + size - 1) & ~(size - 1), end = (address + bytes) & ~(size - 1)
        return end > start ? start..<end : nil
    }

    /// `advise` for a buffer of `T`s.
    static func advise<T>(_ buffer: UnsafeMutableBufferPointer<T>) {
        advise(UnsafeMutableRawPointer(buffer.baseAddress), bytes: buffer.count * MemoryLayout<T>.stride)
    }
}
