/// Constants and caps of `.nnm` v1 (see `docs/nnm-format.md`).
public enum NNMFormat {
    /// PNG-style: a high byte (not text), the name, CR LF (catches line-ending conversion), ^Z, LF.
    public static let magic: [UInt8] = [0x89, 0x4E, 0x4E, 0x4D, 0x0D, 0x0A, 0x1A, 0x0A]
    public static let major: UInt16 = 1
    public static let minor: UInt16 = 0

    public static let fixedHeaderSize = 16
    public static let directoryEntrySize = 40

    public static let metaTag = "META"
    public static let tensorTag = "TNSR"

    /// Section flags.
    public static let flagZlib: UInt32 = 1 << 0
    /// A reader that does not know the section's tag may skip it.
    public static let flagOptional: UInt32 = 1 << 1

    // Caps, checked before any allocation they would size.
    public static let maxSections = 16
    public static let maxFileSize: UInt64 = 4 << 30
    public static let maxMetaSize: UInt64 = 1 << 20
    public static let maxTensorPayload: UInt64 = 1 << 30
    public static let maxTensors = 4096
    public static let maxRank = 4
    public static let maxNameLength = 255
    /// The largest raw length a compressed section of `stored` bytes may declare:
    /// `inflateRatio × stored + inflateSlack`. zlib itself can expand ~1032:1, but real model payloads
    /// compress 1–2:1 (the shipped forest 1.8:1), so a reader allows 64:1 plus 1 MiB for tiny models;
    /// this bounds the memory a file can make a reader use (docs/nnm-format.md, resource contract).
    /// The writer stores a payload that compresses better than that uncompressed (flags 0).
    public static let inflateRatio: UInt64 = 64
    public static let inflateSlack: UInt64 = 1 << 20
    public static func maxInflated(stored: UInt64) -> UInt64 {
        let (m, overflow) = stored.multipliedReportingOverflow(by: inflateRatio)
        return overflow ? .max : m &+ inflateSlack
    }
    /// The most bytes of a file read before its magic, version and directory are checked.
    public static var maxHeaderSize: Int { fixedHeaderSize + maxSections * directoryEntrySize + 4 }

    /// Tensor encodings (how element bytes are laid out before compression).
    public enum Encoding: UInt8 {
        /// Elements one after another, little-endian.
        case plain = 0
        /// Byte-shuffled: byte 0 of every element, then byte 1 of every element, ... (compresses better).
        case shuffled = 1
    }
}
