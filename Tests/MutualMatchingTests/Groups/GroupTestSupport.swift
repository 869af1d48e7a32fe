@testable import MutualMatching

/// Helpers shared by the group and rotation tests.
enum GroupTestSupport {
    /// Rules without the level window and working-hours overlap, so small random pools have
    /// partitions that keep every rule and the search quality is what is tested.
    static var relaxedRules: MatchRules {
        var rules = MatchRules.defaults(for: .pairs)
        rules.levelWindow = nil
        rules.minimumOverlapHours = nil
        return rules
    }

    /// The best total objective over every partition of `people` into `groupCount` groups with
    /// sizes in `sizeRange`, by exhaustive enumeration.
    static func exhaustiveBest(scorer: GroupScorer, people: [Int32], groupCount: Int, sizeRange: ClosedRange<Int>) -> Int64 {
        var best = Int64.min
        forEachPartition(scorer: scorer, people: people, groupCount: groupCount, sizeRange: sizeRange) { values in
            best = max(best, values.reduce(0) { $0 + $1.objective })
        }
        return best
    }

    /// The highest worst-group per-member weight (``GroupScorer/perMemberWeight(_:)``) over every
    /// partition, as ``exhaustiveBest``'s, that breaks no hard rule and whose total objective is at
    /// least `minimumTotal`; `nil` when there is none.
    static func exhaustiveBestMinimum(
        scorer: GroupScorer, people: [Int32], groupCount: Int, sizeRange: ClosedRange<Int>, minimumTotal: Int64
    ) -> Int64? {
        var best: Int64?
        forEachPartition(scorer: scorer, people: people, groupCount: groupCount, sizeRange: sizeRange, ruleKeepingOnly: true) { values in
            guard values.allSatisfy({ $0.violations == 0 }), values.reduce(0, { $0 + $1.objective }) >= minimumTotal else { return }
            let minimum = values.filter { $0.wantingMembers > 0 }.map { scorer.perMemberWeight($0) }.min() ?? 0
            best = max(best ?? minimum, minimum)
        }
        return best
    }

    /// Calls `visit` with the group values of every partition of `people` into `groupCount`
    /// groups with sizes in `sizeRange` (the lowest unplaced person always opens the next group,
    /// so each partition is visited once); with `ruleKeepingOnly`, only of those that break no
    /// hard rule (a group is abandoned as soon as two of its members break one).
    static func forEachPartition(
        scorer: GroupScorer, people: [Int32], groupCount: Int, sizeRange: ClosedRange<Int>, ruleKeepingOnly: Bool = false,
        visit: ([GroupValue]) -> Void
    ) {
        var remaining = people
        var values: [GroupValue] = []
        func search(_ groupsLeft: Int) {
            if groupsLeft == 0 {
                if remaining.isEmpty { visit(values) }
                return
            }
            let count = remaining.count
            guard count >= groupsLeft * sizeRange.lowerBound, count <= groupsLeft * sizeRange.upperBound else { return }
            let first = remaining.removeFirst()
            defer { remaining.insert(first, at: 0) }
            for size in sizeRange {
                let others = size - 1
                guard others <= remaining.count else { break }
                var chosen: [Int] = []
                func choose(_ start: Int) {
                    if chosen.count == others {
                        let group = [first] + chosen.map { remaining[$0] }
                        values.append(scorer.evaluate(group))
                        let saved = remaining
                        remaining = remaining.enumerated().filter { !chosen.contains($0.offset) }.map(\.element)
                        search(groupsLeft - 1)
                        remaining = saved
                        values.removeLast()
                        return
                    }
                    guard start < remaining.count else { return }
                    for index in start..<remaining.count {
                        chosen.append(index)
                        if !ruleKeepingOnly || scorer.evaluate([first] + chosen.map { remaining[$0] }).violations == 0 {
                            choose(index + 1)
                        }
                        chosen.removeLast()
                    }
                }
                choose(0)
            }
        }
        search(groupCount)
    }

    /// Every pool index appears at most once across groups and unmatched, and all appear.
    static func isPartition(_ result: GroupResult) -> Bool {
        var seen = [Int](repeating: 0, count: result.people.count)
        for group in result.groups { for member in group.members { seen[member] += 1 } }
        for entry in result.unmatched { seen[entry.person] += 1 }
        return seen.allSatisfy { $0 == 1 }
    }
}
