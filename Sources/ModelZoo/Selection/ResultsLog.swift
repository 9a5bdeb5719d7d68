import Foundation

/// What identifies a search, the first line of its results file: a resumed search must be the same one.
public struct SearchHeader: Sendable, Codable, Equatable {
    public var kind: String
    public var target: String
    public var data: DataFingerprint
    public var split: String
    public var folds: Int
    public var scoring: String
    public var fixed: [String]
    public var candidates: [Candidate]
    public var halving: String?
}

/// A search's results file: its header line, then one JSON line per fold fit as it completes, so
/// an interrupted search loses at most the fits that were running and `--resume` continues it.
public final class ResultsLog: @unchecked Sendable {
    public let path: String
    private let handle: FileHandle
    public private(set) var previous: [FoldScore]

    /// Opens `path`: a new file gets `header`; with `resume`, an existing file must have the same
    /// header and its complete lines are the fits already done (a torn last line is dropped).
    public init(path: String, header: SearchHeader, resume: Bool) throws {
        self.path = path
        let fm = FileManager.default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let headerLine = Array(try encoder.encode(header)) + [0x0A]
        previous = []
        if fm.fileExists(atPath: path), let bytes = fm.contents(atPath: path), !bytes.isEmpty {
            guard resume else {
                throw ZooError.invalidInput(
                    "\(path) already holds search results: pass --resume to continue that search, "
                        + "or remove the file (or choose another with --results)")
            }
            var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            let complete = bytes.last == 0x0A ? lines.count - 1 : lines.count - 1  // the part after the last newline is torn or empty
            lines = Array(lines[..<complete])
            guard let first = lines.first, let stored = try? JSONDecoder().decode(SearchHeader.self, from: Data(first)) else {
                throw ZooError.invalidInput("\(path) is not a zoo tune results file")
            }
            guard stored == header else {
                throw ZooError.invalidInput(
                    "\(path) holds another search (\(Self.difference(stored, header))); "
                        + "resume with the same options, or choose another file with --results")
            }
            previous = lines.dropFirst().compactMap { try? JSONDecoder().decode(FoldScore.self, from: Data($0)) }
            let keep = lines.reduce(0) { $0 + $1.count + 1 }
            let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try h.truncate(atOffset: UInt64(keep))
            try h.seekToEnd()
            handle = h
        } else {
            guard fm.createFile(atPath: path, contents: Data(headerLine)) else {
                throw ZooError.io(path: path, message: "cannot create the results file")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
        }
    }

    /// Appends one fit's line (callers serialise).
    public func append(_ score: FoldScore) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let line = try? encoder.encode(score) else { return }
        handle.write(line + Data([0x0A]))
    }

    public func close() { try? handle.close() }

    static func difference(_ a: SearchHeader, _ b: SearchHeader) -> String {
        if a.kind != b.kind { return "kind \(a.kind), not \(b.kind)" }
        if a.data != b.data { return "other data" }
        if a.target != b.target { return "target \(a.target)" }
        if a.split != b.split { return "split \(a.split)" }
        if a.folds != b.folds { return "\(a.folds) folds" }
        if a.scoring != b.scoring { return "scoring \(a.scoring)" }
        if a.fixed != b.fixed { return "fixed parameters \(a.fixed.joined(separator: " "))" }
        if a.halving != b.halving { return "halving \(a.halving ?? "off")" }
        return "other candidates"
    }
}
