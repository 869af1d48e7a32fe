/// The largest number of people of a small pool that can be grouped at all: a partition of
/// as many people as possible into groups whose sizes lie in the range and in which every two
/// members keep every hard rule (cliques of the compatibility graph).
///
/// The search penalises rule-breaking pairs and repair then takes people out, so on a pool
/// where the rules leave few ways to group people (the default level window, working-hours
/// overlap and shared language split a small pool into small islands) it can leave out people
/// who a different partition would place. For pools of at most ``limit`` people this exact
/// branch and bound finds who can be placed; ``GroupEngine`` then searches from its partition
/// when it places more people than search and repair did.
///
/// Branch and bound over the set of undecided people: take the most constrained undecided
/// person (fewest compatible undecided people), and either put them in a group with compatible
/// undecided people (every size in the range) or leave them out. The bound counts undecided
/// people with enough compatible undecided people to complete a group; a state (undecided set)
/// already reached with as many people placed is not searched again, which removes the
/// symmetric orders in which the same groups could be chosen. A node limit keeps the worst
/// case bounded; the result says whether the search finished (then the count is proven).
enum GroupPlacement {
    /// The largest pool handled (one bit per person in a `UInt64`).
    static let limit = 64

    struct Outcome {
        /// Groups of pool indices, each keeping every rule.
        var groups: [[Int32]]
        /// People placed.
        var placed: Int
        /// Whether the search finished, so `placed` is the maximum.
        var proven: Bool
    }

    /// The largest number of people, at most `count`, that groups with sizes in `sizeRange` can
    /// hold exactly (some `g` with `g·low ≤ n ≤ g·high`): no placement can exceed it, which
    /// keeps the bound tight when sizes are fixed (31 people into groups of 5 place at most 30).
    static func largestFitting(_ count: Int, sizeRange: ClosedRange<Int>) -> Int {
        var placed = count
        while placed > 0 {
            if (placed + sizeRange.upperBound - 1) / sizeRange.upperBound <= placed / sizeRange.lowerBound { return placed }
            placed -= 1
        }
        return 0
    }

    /// The largest placement of `people` (pool indices, at most ``limit``) into rule-keeping
    /// groups with sizes in `sizeRange`, searching at most `nodeLimit` states.
    static func maximum(_ people: [Int32], context: ScoringContext, sizeRange: ClosedRange<Int>, nodeLimit: Int = 200_000) -> Outcome {
        precondition(people.count <= limit, "exact placement handles at most \(limit) people")
        let count = people.count
        var compatible = [UInt64](repeating: 0, count: count)
        for a in 0..<count {
            for b in (a + 1)..<max(a + 1, count)
            where context.blockingConstraint(Int(people[a]), Int(people[b])) == nil {
                compatible[a] |= 1 << UInt64(b)
                compatible[b] |= 1 << UInt64(a)
            }
        }
        let low = sizeRange.lowerBound, high = sizeRange.upperBound
        let everyone: UInt64 = count == 64 ? ~0 : (1 << UInt64(count)) - 1

        /// Undecided people with at least `low − 1` compatible undecided people: nobody else
        /// can still be placed.
        func bound(_ undecided: UInt64) -> Int {
            var total = 0, rest = undecided
            while rest != 0 {
                let person = rest.trailingZeroBitCount
                rest &= rest - 1
                if (compatible[person] & undecided).nonzeroBitCount >= low - 1 { total += 1 }
            }
            return total
        }

        let ceiling = largestFitting(bound(everyone), sizeRange: sizeRange)
        var best = (placed: -1, groups: [UInt64]())
        var chosen: [UInt64] = []
        var seen: [UInt64: Int] = [:]
        var nodes = 0
        var finished = true

        func search(_ undecided: UInt64, _ placed: Int) {
            if best.placed == ceiling { return }
            nodes += 1
            if nodes > nodeLimit {
                finished = false
                return
            }
            if largestFitting(placed + bound(undecided), sizeRange: sizeRange) <= best.placed { return }
            if let earlier = seen[undecided], earlier >= placed { return }
            seen[undecided] = placed
            // The most constrained undecided person who could still join a group.
            var pivot = -1, fewest = Int.max, rest = undecided
            while rest != 0 {
                let person = rest.trailingZeroBitCount
                rest &= rest - 1
                let degree = (compatible[person] & undecided).nonzeroBitCount
                if degree >= low - 1, degree < fewest { (pivot, fewest) = (person, degree) }
            }
            guard pivot >= 0 else {
                if placed > best.placed { best = (placed, chosen) }
                return
            }
            let others = undecided & ~(1 << UInt64(pivot))
            func extend(_ group: UInt64, _ candidates: UInt64, _ size: Int) {
                if size >= low {
                    chosen.append(group)
                    search(others & ~group, placed + size)
                    chosen.removeLast()
                }
                guard size < high else { return }
                var rest = candidates
                while rest != 0, nodes <= nodeLimit, best.placed < ceiling {
                    let person = rest.trailingZeroBitCount
                    rest &= rest - 1
                    extend(group | (1 << UInt64(person)), rest & compatible[person], size + 1)
                }
            }
            extend(1 << UInt64(pivot), others & compatible[pivot], 1)
            // Or the pivot stays out.
            search(others, placed)
        }
        search(everyone, 0)

        let groups = best.groups.map { mask -> [Int32] in
            var members: [Int32] = [], rest = mask
            while rest != 0 {
                members.append(people[rest.trailingZeroBitCount])
                rest &= rest - 1
            }
            return members
        }
        return Outcome(groups: groups, placed: max(0, best.placed), proven: finished || best.placed == ceiling)
    }
}
