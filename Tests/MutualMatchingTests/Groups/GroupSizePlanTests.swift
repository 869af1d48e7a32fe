import Testing
@testable import MutualMatching

@Suite("Group size planning")
struct GroupSizePlanTests {
    @Test("a pool that divides evenly gets equal groups at the middle of the range")
    func evenSplit() {
        let plan = GroupSizePlan(count: 20, sizeRange: 4...6)
        #expect(plan.sizes == [5, 5, 5, 5])
        #expect(plan.leftOver == 0)
    }

    @Test("a pool that does not divide uses sizes as equal as possible and says why")
    func unevenSplit() {
        let plan = GroupSizePlan(count: 17, sizeRange: 4...6)
        #expect(plan.sizes == [6, 6, 5])
        #expect(plan.leftOver == 0)
        #expect(plan.explanation.contains("6 (×2) and 5 (×1)"))
    }

    @Test("people that no group count can hold are left over with the reason")
    func leftOver() {
        let plan = GroupSizePlan(count: 7, sizeRange: 4...5)
        #expect(plan.sizes == [5])
        #expect(plan.leftOver == 2)
        #expect(plan.explanation.contains("2 left over"))
    }

    @Test("a pool smaller than the minimum forms no group")
    func tooSmall() {
        let plan = GroupSizePlan(count: 3, sizeRange: 4...6)
        #expect(plan.sizes.isEmpty)
        #expect(plan.leftOver == 3)
    }

    @Test("every planned size lies in the range and the sizes add up", arguments: [2...3, 3...5, 4...6, 5...5, 6...8])
    func sizesInRange(range: ClosedRange<Int>) {
        for count in 0...120 {
            let plan = GroupSizePlan(count: count, sizeRange: range)
            #expect(plan.sizes.allSatisfy { range.contains($0) })
            #expect(plan.sizes.reduce(0, +) + plan.leftOver == count)
            // Left-over people only when the count cannot be split at all.
            if plan.leftOver > 0 {
                let fewest = (count + range.upperBound - 1) / range.upperBound
                #expect(fewest > count / range.lowerBound)
            }
        }
    }

    @Test("size options parse as a single size or a range and reject nonsense")
    func parseSizes() {
        #expect(GroupOptions.parseSizeRange("5") == 5...5)
        #expect(GroupOptions.parseSizeRange("4-6") == 4...6)
        #expect(GroupOptions.parseSizeRange("4–6") == 4...6)
        #expect(GroupOptions.parseSizeRange("4...6") == 4...6)
        #expect(GroupOptions.parseSizeRange("6-4") == nil)
        #expect(GroupOptions.parseSizeRange("1") == nil)
        #expect(GroupOptions.parseSizeRange("four") == nil)
    }
}
