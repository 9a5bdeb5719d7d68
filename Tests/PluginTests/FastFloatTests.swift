import Foundation
import FuzzHarness
import ModelZoo
import Testing

/// DecimalParser (FastFloat, Eisel–Lemire) against strtod. The 10-million-string run is
/// `swift run -c release FuzzFloat --random 10000000` (docs/benchmarks.md); libFuzzer: Tests/Fuzz/run.sh float.
@Suite struct FastFloatTests {
    @Test func twoHundredThousandHardStringsMatchStrtod() {
        let bad = FuzzNumbers.check(count: 200_000, seed: 16)
        #expect(bad.isEmpty, "\(bad)")
    }

    @Test func namedHardCases() {
        let cases = [
            "9007199254740993", "9007199254740993.0000000000000000001", "2.4703282292062327e-324",
            "2.4703282292062328e-324", "1.7976931348623158e308", "1.7976931348623159e308", "-0", "-0.0e-5",
            "+1.5", "0.1", "1e23", "8.98846567431158e307", "4.9406564584124654e-324",
            "2.2250738585072011e-308", "2.2250738585072012e-308", "7.2057594037927933e16",
            "123456789012345678901234567890", "0.000000000000000000000000000000000000000001",
            "1844674407370955161500000", "18446744073709551615", "18446744073709551616",
        ]
        for c in cases { #expect(FuzzNumbers.mismatch(Array(c.utf8)) == nil, "\(c)") }
        // -0 keeps its sign; decimal commas.
        let z = Array("-0.0".utf8).withUnsafeBufferPointer { DecimalParser.parse($0.baseAddress!, 0, 4) }
        #expect(z?.bitPattern == (-0.0).bitPattern)
        #expect(FuzzNumbers.mismatch(Array("-1765,000000000000000001".utf8), decimal: 44) == nil)
        #expect(FuzzNumbers.mismatch(Array("1.5".utf8), decimal: 44) == nil)
    }

    @Test func fuzzSeedsReplay() throws {
        let dir = Fixtures.root.appendingPathComponent("Tests/Fuzz/corpus/float")
        for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            FuzzNumbers.fuzz([UInt8](try Data(contentsOf: dir.appendingPathComponent(f))))
        }
    }
}

/// ShortestDouble (prediction output) against `Double.description`.
@Suite struct ShortestDoubleTests {
    @Test func sameBytesAsDescription() {
        var g = SplitMix64(seed: 7)
        let named: [Double] = [
            0, -0.0, 0.5, -0.016927420057509843, 1e-5, 1e16, 9007199254740992, 1.7976931348623157e308,
            5e-324, 0.1, 100, 123456.789, .infinity, -.infinity, .nan,
        ]
        for v in named { #expect(ShortestDouble.bytes(v) == Array(v.description.utf8), "\(v)") }
        for i in 0..<100_000 {
            let v = i % 4 == 0 ? Double(bitPattern: g.next()) : (g.uniform() - 0.5) * pow(10, Double(g.below(40) - 20))
            if ShortestDouble.bytes(v) != Array(v.description.utf8) { Issue.record("\(v)"); break }
        }
    }

    @Test func precisionIsPercentG() {
        for v in [21.7, 4.52e-05, -0.123456789, 1e300] {
            for d in [1, 3, 5, 17] {
                var out: [UInt8] = []
                ShortestDouble.append(v, digits: d, to: &out)
                #expect(String(decoding: out, as: UTF8.self) == SignificantDigits.text(v, digits: d))
            }
        }
    }
}
