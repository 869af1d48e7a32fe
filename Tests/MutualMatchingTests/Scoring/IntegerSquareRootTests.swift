import Testing
@testable import MutualMatching

@Suite("Integer square root")
struct IntegerSquareRootTests {
    @Test("⌊√v⌋ is exact at perfect squares, their neighbours and random values up to 2^62")
    func exact() {
        var rng = SplitMix64(seed: 0x5157)
        var values: [Int64] = [0, 1, 2, 3, 4, 99, 100, 101, Int64.max]
        for root in [Int64(1), 7, 1_000, 65_535, 3_037_000_499] {
            values += [root * root - 1, root * root, root * root + 1]
        }
        for _ in 0..<2_000 { values.append(Int64(rng.next() >> UInt64(1 + rng.below(62)))) }
        for value in values {
            let root = ScoringContext.integerSquareRoot(value)
            #expect(root >= 0 && root.multipliedReportingOverflow(by: root).partialValue <= value, "\(value)")
            let next = root + 1
            let (square, overflow) = next.multipliedReportingOverflow(by: next)
            #expect(overflow || square > value, "\(value)")
        }
    }
}
