/// Why a `.nnm` file was refused. Every case says what and where; command-line exit code 2.
public enum NNMError: Error, Equatable, Sendable, CustomStringConvertible {
    case notNNM
    case unsupportedVersion(major: Int, minor: Int, supportedMajor: Int)
    case truncated(String)
    case checksumMismatch(String)
    case corrupt(String)
    /// A size field exceeds a documented cap (refused before allocating).
    case tooLarge(what: String, size: UInt64, cap: UInt64)
    case decompressionFailed(String)
    case missingSection(String)
    case missingTensor(String)
    /// Tensors the model's loader did not read.
    case unusedTensors([String])
    case dtypeMismatch(tensor: String, expected: DType, found: DType)
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tensor or header value that decodes but is not a valid model (NaN weight, child index out of range, ...).
    case invalidValue(tensor: String, reason: String)
    case unknownKind(String, known: [String])
    /// The file needs a feature this build does not implement (its `requires` list).
    case unsupportedFeature(String)
    case invalidMetadata(String)
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .notNNM: return "not an .nnm file (bad magic bytes)"
        case let .unsupportedVersion(major, minor, supported):
            return "unsupported version \(major).\(minor): this build reads .nnm version \(supported).x"
        case .truncated(let s): return "truncated: \(s)"
        case .checksumMismatch(let s): return "checksum mismatch in \(s)"
        case .corrupt(let s): return "corrupt: \(s)"
        case let .tooLarge(what, size, cap): return "\(what) is \(size) bytes, over the limit of \(cap)"
        case .decompressionFailed(let s): return "decompression failed: \(s)"
        case .missingSection(let s): return "missing section \(s)"
        case .missingTensor(let s): return "missing tensor '\(s)'"
        case .unusedTensors(let names):
            return "unused tensor\(names.count == 1 ? "" : "s") " + names.map { "'\($0)'" }.joined(separator: ", ")
                + " (not part of this model)"
        case let .dtypeMismatch(t, e, f): return "tensor '\(t)': expected dtype \(e), found \(f)"
        case let .shapeMismatch(t, e, f): return "tensor '\(t)': expected shape \(e), found \(f)"
        case let .invalidValue(t, r): return "tensor '\(t)': \(r)"
        case let .unknownKind(k, known): return "model kind '\(k)' is not built into this zoo (known: \(known.joined(separator: ", ")))"
        case .unsupportedFeature(let s): return "file requires '\(s)', which this build does not support"
        case .invalidMetadata(let s): return "invalid metadata: \(s)"
        case let .io(path, message): return "\(path): \(message)"
        }
    }
}
