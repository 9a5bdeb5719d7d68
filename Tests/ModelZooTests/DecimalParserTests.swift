import Foundation
import Testing
@testable import ModelZoo

@Suite struct DecimalParserTests {
    func parse(_ s: String) -> Double? {
        let b = Array(s.utf8)
        return b.withUnsafeBufferPointer { p in
            p.baseAddress.flatMap { DecimalParser.parse($0, 0, b.count) }
        }
    }

    @Test func parsesOrdinaryNumbers() {
        #expect(parse("65.78331") == 65.78331)
        #expect(parse("-0.5") == -0.5)
        #expect(parse("+3") == 3)
        #expect(parse("1e3") == 1000)
        #expect(parse("2.5E-3") == 0.0025)
        #expect(parse(".5") == 0.5)
        #expect(parse("5.") == 5)
        #expect(parse("0") == 0)
    }

    @Test(arguments: [
        "", "-", ".", "e5", "1e", "1e+", "nan", "NaN", "inf", "-inf", "Infinity", "0x10", "1,5", "1.2.3", "12a", " 1", "1e999",
    ])
    func refusesNonNumbers(_ s: String) {
        #expect(parse(s) == nil)
    }

    @Test func bitIdenticalToStrtod() {
        var g = SplitMix64(seed: 1)
        for i in 0..<20_000 {
            let v = (g.uniform() - 0.5) * pow(10, Double(g.below(40)) - 20)
            let digits = 1 + g.below(20)
            let s = i % 2 == 0 ? String(format: "%.\(digits)g", v) : String(format: "%.\(digits)f", v)
            let expected = strtod(s, nil)
            #expect(parse(s)?.bitPattern == expected.bitPattern, "\(s)")
        }
    }
}
