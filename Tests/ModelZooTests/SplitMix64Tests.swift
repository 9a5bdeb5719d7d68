import Testing
@testable import ModelZoo

@Suite struct SplitMix64Tests {
    @Test func matchesReferenceSequence() {
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func boundedAndUniformStayInRange() {
        var g = SplitMix64(seed: 402)
        for bound in [1, 2, 3, 7, 1000, Int(Int32.max)] {
            for _ in 0..<200 { #expect((0..<bound).contains(g.below(bound))) }
        }
        for _ in 0..<1000 { let u = g.uniform(); #expect(u >= 0 && u < 1) }
    }

    @Test func shuffleIsAPermutationAndSeeded() {
        var a = Array(0..<100), b = Array(0..<100)
        var g1 = SplitMix64(seed: 7), g2 = SplitMix64(seed: 7)
        g1.shuffle(&a)
        g2.shuffle(&b)
        #expect(a == b)
        #expect(a.sorted() == Array(0..<100))
        #expect(a != Array(0..<100))
    }
}
