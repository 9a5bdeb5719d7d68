import Foundation
import Testing
import ZooPlugins
@testable import ModelZoo
@testable import RandomForest

/// Forest files with valid framing whose columns break the spec (issue 12): each is refused with a
/// typed error naming the tensor, never loaded into a model that hangs or predicts wrongly.
@Suite struct HostileForestTests {
    /// A small fitted forest as a file.
    static func forestFile(trees: Int = 2) throws -> NNMFile {
        let (data, options) = try Fixtures.bmi(rows: 300)
        let plugin = try builtinPlugins.plugin("forest")
        let trained = try Trainer.train(plugin: plugin, parameters: ["trees=\(trees)"], data: data, options: options)
        return try trained.model.file()
    }

    /// `file` with some tensors replaced (and META edits), re-framed with valid checksums.
    static func replacing(_ file: NNMFile, _ replacements: [Tensor], trees: Int? = nil) throws -> [UInt8] {
        var f = file
        let names = Set(replacements.map(\.name))
        f.tensors = try TensorBundle(f.tensors.tensors.filter { !names.contains($0.name) } + replacements)
        if let trees, case .object(var h) = f.metadata.hyperparameters {
            h["trees"] = .int(trees)
            f.metadata.hyperparameters = .object(h)
        }
        return try f.encode()
    }

    static func loadError(_ bytes: [UInt8]) -> NNMError? {
        do {
            _ = try TrainedModel.load(try NNMFile.decode(bytes), registry: builtinPlugins)
            return nil
        } catch let e as NNMError { return e } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test func unsortedThresholdsAreRefused() throws {
        let f = try Self.forestFile()
        var t = try f.tensors.doubles("forest.thresholds")
        let offsets = try f.tensors.uint32s("forest.threshold_offsets")
        let feature = try #require((0..<offsets.count - 1).first { offsets[$0 + 1] - offsets[$0] >= 2 })
        t.swapAt(Int(offsets[feature]), Int(offsets[feature]) + 1)
        let e = Self.loadError(try Self.replacing(f, [Tensor("forest.thresholds", t)]))
        guard case .invalidValue(let tensor, let reason)? = e else {
            Issue.record("unsorted thresholds loaded: \(String(describing: e))"); return
        }
        #expect(tensor == "forest.thresholds" && reason.contains("feature \(feature)"))
    }

    @Test func repeatedThresholdsAndUnsortedValuesAreRefused() throws {
        let f = try Self.forestFile()
        var t = try f.tensors.doubles("forest.thresholds")
        t[1] = t[0]
        guard case .invalidValue("forest.thresholds", _)? = Self.loadError(try Self.replacing(f, [Tensor("forest.thresholds", t)])) else {
            Issue.record("repeated threshold loaded")
            return
        }
        var v = try f.tensors.doubles("forest.values")
        v.swapAt(0, v.count - 1)
        guard case .invalidValue("forest.values", _)? = Self.loadError(try Self.replacing(f, [Tensor("forest.values", v)])) else {
            Issue.record("unsorted values loaded")
            return
        }
    }

    /// `trees` trees, each a left spine `depth` splits deep: pre-order is `depth` splits then `depth + 1` leaves.
    static func spine(_ f: NNMFile, depth: Int, trees: Int = 1) throws -> [UInt8] {
        let offsets = try f.tensors.uint32s("forest.threshold_offsets")
        let feature = try #require((0..<offsets.count - 1).first { offsets[$0 + 1] > offsets[$0] })
        let nodes = 2 * depth + 1, total = trees * nodes
        var shape = [UInt8](repeating: 0, count: (total + 7) / 8)
        for t in 0..<trees { for i in (t * nodes)..<(t * nodes + depth) { shape[i >> 3] |= 1 << (i & 7) } }
        return try replacing(
            f,
            [
                Tensor("forest.tree_nodes", [UInt32](repeating: UInt32(nodes), count: trees)),
                Tensor("forest.shape", shape),
                Tensor("forest.split_feature", [UInt8](repeating: UInt8(feature), count: trees * depth)),
                Tensor("forest.split_threshold", [UInt8](repeating: 0, count: trees * depth)),
                Tensor("forest.leaf_value", [UInt8](repeating: 0, count: trees * (depth + 1))),
            ], trees: trees)
    }

    @Test func levelsPerRowAreCappedOverAllTrees() throws {
        let f = try Self.forestFile()
        // Every tree within the depth cap, but a row would walk 201 × 10,000 levels: the time per row
        // is bounded over the whole forest, not per tree.
        let e = Self.loadError(try Self.spine(f, depth: 10_000, trees: 201))
        guard case .invalidValue("forest.shape", let reason)? = e else {
            Issue.record("201 deep spines loaded: \(String(describing: e))"); return
        }
        #expect(reason == "the trees' depths add up to 2010000 levels a row, over the 2000000 a file may hold")
        #expect(Self.loadError(try Self.spine(f, depth: 10_000, trees: 200)) == nil)
    }

    @Test func treeDepthIsCappedAtLoad() throws {
        let f = try Self.forestFile()
        // Issue 12's file was a 2^22-deep spine in 15 KB: every row walked millions of levels.
        let start = Date()
        let e = Self.loadError(try Self.spine(f, depth: 1 << 22))
        guard case .invalidValue("forest.shape", let reason)? = e else {
            Issue.record("deep spine loaded: \(String(describing: e))"); return
        }
        #expect(reason.contains("deeper than 10000"))
        #expect(Self.loadError(try Self.spine(f, depth: 10_001)) != nil)
        #expect(Date().timeIntervalSince(start) < 30)
        // At the cap it loads and predicts.
        let model = try TrainedModel.load(try NNMFile.decode(try Self.spine(f, depth: 10_000)), registry: builtinPlugins)
        let w = model.schema.encodedWidth
        #expect(try model.predict(encoded: Matrix(rows: 2, cols: w, values: [Double](repeating: 0.5, count: 2 * w))).count == 2)
    }

    @Test func aTreeAtTheDepthCapRoundTrips() throws {
        let f = try Self.forestFile()
        let deep = try TrainedModel.load(try NNMFile.decode(try Self.spine(f, depth: 10_000)), registry: builtinPlugins)
        let again = try TrainedModel.load(try NNMFile.decode(try deep.file().encode()), registry: builtinPlugins)
        #expect(again.metadata.summary == deep.metadata.summary)
    }
}
