import Foundation
import Testing
@testable import ModelZoo

@Suite struct SplitStrategyTests {
    @Test func stratifiedKeepsEachStratumsShare() {
        let rows = Array(0..<1000)
        let strata = rows.map { $0 % 10 < 7 ? 0 : ($0 % 10 < 9 ? 1 : 2) }  // 70 %, 20 %, 10 %
        let s = DataSplit.stratified(rows: rows, strata: strata, testFraction: 0.2, seed: 7)
        #expect(s.test.count == 200 && s.train.count == 800)
        #expect(Set(s.test).isDisjoint(with: s.train) && Set(s.test + s.train) == Set(rows))
        let share = { (k: Int) in s.test.filter { strata[$0] == k }.count }
        #expect(share(0) == 140 && share(1) == 40 && share(2) == 20)
        #expect(s == DataSplit.stratified(rows: rows, strata: strata, testFraction: 0.2, seed: 7))
        #expect(s != DataSplit.stratified(rows: rows, strata: strata, testFraction: 0.2, seed: 8))
    }

    @Test func numericStrataAreQuantileBins() throws {
        let csv = "x,y\n" + (0..<100).map { "\($0),\(99 - $0)" }.joined(separator: "\n") + "\n"
        let t = try CSVTable.parse(Array(csv.utf8))
        let ids = SplitKeys.strata(t, column: 1, rows: Array(0..<100), bins: 5)
        for b in 0..<5 { #expect(ids.filter { $0 == b }.count == 20) }
        #expect(ids[0] == 4 && ids[99] == 0)  // y = 99 is in the top bin
    }

    @Test func groupsNeverStraddle() throws {
        let rows = Array(0..<300)
        let groups = rows.map { $0 / 7 }
        let s = try DataSplit.grouped(rows: rows, groups: groups, testFraction: 0.25, seed: 3)
        #expect(s.test.count >= 75)
        #expect(Set(s.test.map { groups[$0] }).isDisjoint(with: Set(s.train.map { groups[$0] })))
        #expect(Set(s.test + s.train) == Set(rows))
        #expect(throws: ZooError.self) { try DataSplit.grouped(rows: rows, groups: rows.map { _ in 0 }, testFraction: 0.2, seed: 1) }
    }

    /// Group ids number the distinct trimmed texts in sorted order, as Strings read row by row would.
    @Test func groupIdsAreTheSortedDistinctTexts() throws {
        let csv = "g,y\na,1\n\" b\",2\n,3\n\"a \"\"q\"\"\",4\n17,5\nb,6\n a,7\ncaf\u{E9},8\ncafe\u{301},9\n17,10\n"
        var boxed = try CSVTable.parse(Array(csv.utf8))
        boxed.boxingNumbers(sliced: .cores)  // as training holds it: numbers boxed, their text rescanned
        for table in [try CSVTable.parse(Array(csv.utf8)), boxed] {
            let rows = Array((0..<table.rowCount).reversed())
            let texts = rows.map { table.text($0, 0).trimmingCharacters(in: .whitespaces) }
            let sorted = Set(texts).sorted()
            let ids = ColumnTexts(table, column: 0).levelIds(rows: rows)
            #expect(ids == texts.map { sorted.firstIndex(of: $0)! })
            #expect(Set(ids).count == 6)  // "", 17, a, a "q", b, café
        }
    }

    @Test func splitAloneEqualsPreparesSplit() throws {
        let t = try TestData.synthetic(rows: 500, missingRate: 0.05)
        for strategy in [SplitStrategy.random, .stratify(column: "BMI", bins: 4), .group(column: "Age")] {
            var o = DataOptions(target: "BMI")
            o.split = strategy
            let prepared = try DatasetBuilder.prepare(t, options: o)
            let (alone, rows) = try DatasetBuilder.split(t, options: o)
            #expect(alone == prepared.split, "\(strategy)")
            #expect(rows == prepared.rows)
        }
    }

    @Test func fingerprintFollowsTheBytes() throws {
        let a = try CSVTable.parse(Array("x,y\n1,2\n".utf8)), b = try CSVTable.parse(Array("x,y\n1,3\n".utf8))
        #expect(DataFingerprint(a) == DataFingerprint(try CSVTable.parse(Array("x,y\n1,2\n".utf8))))
        #expect(DataFingerprint(a).hash != DataFingerprint(b).hash)
        #expect(DataFingerprint(a).rows == 1 && DataFingerprint(a).columns == ["x", "y"])
        let big = [UInt8](repeating: 65, count: 3 << 20)
        let one = Parallel.withMaxThreads(1) { DataFingerprint.hash(big) }
        #expect(one == DataFingerprint.hash(big))
    }

    @Test func trainingRecordReadsOldAndNewFiles() throws {
        let old = try JSONDecoder().decode(TrainingRecord.self, from: Data(#"{"seed":402,"test_fraction":0.2}"#.utf8))
        #expect(old.split == nil && old.data == nil && old.command == nil && old.splitStrategy == .random)
        let record = TrainingRecord(
            seed: 1, testFraction: 0.3, split: .stratify(column: "BMI", bins: 5),
            data: DataFingerprint(hash: "fnv1a64:00", rows: 3, columns: ["a"]), command: ["zoo", "train"])
        let back = try JSONDecoder().decode(TrainingRecord.self, from: try JSONEncoder().encode(record))
        #expect(back == record)
        for s in [SplitStrategy.random, .group(column: "g")] {
            #expect(try JSONDecoder().decode(SplitStrategy.self, from: try JSONEncoder().encode(s)) == s)
        }
    }
}
