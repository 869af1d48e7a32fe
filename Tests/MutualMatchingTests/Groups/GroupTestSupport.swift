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
    /// sizes in `sizeRange`, by exhaustive enumeration (the lowest unplaced person always opens
    /// the next group, so each partition is visited once).
    static func exhaustiveBest(scorer: GroupScorer, people: [Int32], groupCount: Int, sizeRange: ClosedRange<Int>) -> Int64 {
        var best = Int64.min
        var remaining = people
        func search(_ groupsLeft: Int, _ total: Int64) {
            if groupsLeft == 0 {
                if remaining.isEmpty { best = max(best, total) }
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
                        let value = scorer.evaluate(group).objective
                        let saved = remaining
                        remaining = remaining.enumerated().filter { !chosen.contains($0.offset) }.map(\.element)
                        search(groupsLeft - 1, total + value)
                        remaining = saved
                        return
                    }
                    guard start < remaining.count else { return }
                    for index in start..<remaining.count {
                        chosen.append(index)
                        choose(index + 1)
                        chosen.removeLast()
                    }
                }
                choose(0)
            }
        }
        search(groupCount, 0)
        return best
    }

    /// Every pool index appears at most once across groups and unmatched, and all appear.
    static func isPartition(_ result: GroupResult) -> Bool {
        var seen = [Int](repeating: 0, count: result.people.count)
        for group in result.groups { for member in group.members { seen[member] += 1 } }
        for entry in result.unmatched { seen[entry.person] += 1 }
        return seen.allSatisfy { $0 == 1 }
    }
}
