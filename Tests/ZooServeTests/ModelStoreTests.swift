import Foundation
import ModelZoo
import XCTest
import ZooPlugins
@testable import ZooServe
import TestScratch

/// Hot reload without a server: scans load new and replaced files, keep the loaded version when a
/// replacement is broken (and say so once), and drop removed files; a reference taken before a
/// reload keeps predicting with the version it was taken from.
final class ModelStoreTests: XCTestCase {
    final class Lines: @unchecked Sendable {
        let lock = NSLock()
        var all: [String] = []
        func add(_ s: String) { lock.lock(); all.append(s); lock.unlock() }
    }

    func testReloadKeepsOldVersionOnCorruptFile() throws {
        let root = RequestParsingTests.root.appendingPathComponent("models")
        let dir = Scratch.unique("zoo-store")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = dir.appendingPathComponent("m.nnm")
        func replace(with data: Data) throws {
            let tmp = dir.appendingPathComponent(".tmp")
            try data.write(to: tmp)
            XCTAssertEqual(rename(tmp.path, m.path), 0)  // atomic, as zoo train writes
        }
        let linear = try Data(contentsOf: root.appendingPathComponent("bmi-linear.nnm"))
        let mlp = try Data(contentsOf: root.appendingPathComponent("bmi-mlp.nnm"))
        try linear.write(to: m)
        let lines = Lines()
        let store = ModelStore(directory: dir.path, registry: builtinPlugins, log: { lines.add($0) })
        XCTAssertEqual(store.scan(), ["m"])
        let first = try XCTUnwrap(store.model("m"))
        XCTAssertEqual(first.metadata.kind, "linear")
        XCTAssertEqual(store.scan(), [], "nothing changed")

        try replace(with: mlp.prefix(mlp.count / 2))
        XCTAssertEqual(store.scan(), ["m"])
        XCTAssertTrue(store.model("m") === first, "the loaded version keeps serving")
        XCTAssertTrue(lines.all.last!.contains("refused") && lines.all.last!.contains("still serving"), lines.all.last!)
        XCTAssertEqual(store.scan(), [], "the same broken file is not retried")

        try replace(with: mlp)
        XCTAssertEqual(store.scan(), ["m"])
        XCTAssertEqual(store.model("m")?.metadata.kind, "mlp")
        XCTAssertEqual(first.metadata.kind, "linear", "a reference taken before keeps its model")

        try FileManager.default.removeItem(at: m)
        XCTAssertEqual(store.scan(), ["m"])
        XCTAssertNil(store.model("m"))
    }
}
