/// Makes a searched partition keep every hard constraint, whatever the search reached: the
/// search only *penalises* a pair that breaks a rule, so a pool where the rules cannot all be
/// met (say, one person whose only shared language nobody else speaks) must still come out
/// with no violating group.
///
/// 1. In each group that breaks a rule, the member in the most violating pairs leaves (ties:
///    the later person in the pool), until the group keeps every rule.
/// 2. Each person to place joins the group with room where they break no rule (groups short of
///    the minimum first, then where they add the most); groups still too small are dissolved and
///    their members placed the same way; people left over form new groups among themselves
///    when they can. Anyone who fits nowhere stays unplaced, and ``reason(for:groups:scorer:)``
///    says why.
public enum GroupRepair {
    /// Repairs `groups` in place and returns the people left unplaced, in pool order.
    /// `alsoPlace` are people in no group yet, placed with those who leave a group (the
    /// baselines hand over the people their dealing could not place).
    public static func repair(
        groups: inout [[Int32]], scorer: GroupScorer, sizeRange: ClosedRange<Int>, alsoPlace: [Int32] = []
    ) -> [Int32] {
        let context = scorer.context
        var unplaced: [Int32] = alsoPlace
        for index in groups.indices {
            while true {
                let members = groups[index]
                var conflicts = [Int](repeating: 0, count: members.count)
                for i in members.indices {
                    for j in members.indices where j > i && context.blockingConstraint(Int(members[i]), Int(members[j])) != nil {
                        conflicts[i] += 1
                        conflicts[j] += 1
                    }
                }
                guard let worst = conflicts.indices.filter({ conflicts[$0] > 0 })
                    .max(by: { (conflicts[$0], members[$0]) < (conflicts[$1], members[$1]) }) else { break }
                unplaced.append(members[worst])
                groups[index].remove(at: worst)
            }
        }
        if unplaced.isEmpty { return [] }
        unplaced.sort()
        // Refill first (a group that lost a member takes a compatible person back), then
        // dissolve what is still too small and refill again, then form new groups from the rest.
        unplaced = insert(unplaced, into: &groups, scorer: scorer, sizeRange: sizeRange)
        var kept: [[Int32]] = []
        for group in groups {
            if group.count >= sizeRange.lowerBound { kept.append(group) } else { unplaced += group }
        }
        groups = kept
        unplaced.sort()
        unplaced = insert(unplaced, into: &groups, scorer: scorer, sizeRange: sizeRange)
        return formGroups(unplaced, into: &groups, scorer: scorer, sizeRange: sizeRange)
    }

    /// Puts each person into the group with room where they break no rule, preferring groups
    /// below the minimum size, then the largest gain. Returns those who fit nowhere.
    static func insert(_ people: [Int32], into groups: inout [[Int32]], scorer: GroupScorer, sizeRange: ClosedRange<Int>) -> [Int32] {
        let context = scorer.context
        var remaining: [Int32] = []
        for person in people {
            var best: (group: Int, short: Bool, delta: Int64)?
            for (index, group) in groups.enumerated() where group.count < sizeRange.upperBound {
                guard group.allSatisfy({ context.blockingConstraint(Int(person), Int($0)) == nil }) else { continue }
                let delta = scorer.evaluate(group + [person]).objective - scorer.evaluate(group).objective
                let short = group.count < sizeRange.lowerBound
                if best == nil || (short && !best!.short) || (short == best!.short && delta > best!.delta) {
                    best = (index, short, delta)
                }
            }
            if let best { groups[best.group].append(person) } else { remaining.append(person) }
        }
        return remaining
    }

    /// Greedily forms new groups among people nobody could take: each still-free person (in pool
    /// order) seeds a group and adds the compatible person who adds the most, up to the largest
    /// size; a group that reaches the minimum size is kept.
    static func formGroups(_ people: [Int32], into groups: inout [[Int32]], scorer: GroupScorer, sizeRange: ClosedRange<Int>) -> [Int32] {
        let context = scorer.context
        var free = people
        var left: [Int32] = []
        while let seed = free.first {
            free.removeFirst()
            var group = [seed]
            while group.count < sizeRange.upperBound {
                var best: (index: Int, objective: Int64)?
                for (index, candidate) in free.enumerated()
                where group.allSatisfy({ context.blockingConstraint(Int(candidate), Int($0)) == nil }) {
                    let objective = scorer.evaluate(group + [candidate]).objective
                    if best == nil || objective > best!.objective { best = (index, objective) }
                }
                guard let best else { break }
                group.append(free.remove(at: best.index))
            }
            if group.count >= sizeRange.lowerBound {
                groups.append(group)
            } else {
                left.append(seed)
                free.insert(contentsOf: group.dropFirst(), at: 0)
            }
        }
        return left.sorted()
    }

    /// Why `person` could not join any group: the closest group and the rules that kept them out.
    /// `onlyHistory` is true when previous meetings are the only obstacle (a repeat would place them).
    public static func reason(for person: Int32, groups: [[Int32]], scorer: GroupScorer) -> (text: String, onlyHistory: Bool) {
        let context = scorer.context
        var best: (group: Int, blocks: [(Int32, HardConstraint)])?
        for (index, group) in groups.enumerated() {
            let blocks = group.compactMap { member in context.blockingConstraint(Int(person), Int(member)).map { (member, $0) } }
            if best == nil || blocks.count < best!.blocks.count { best = (index, blocks) }
        }
        guard let best else { return ("no group could be formed", false) }
        if best.blocks.isEmpty {
            return ("every group they could join already has the maximum size", false)
        }
        let onlyHistory = best.blocks.allSatisfy { $0.1 == .history }
        let parts = best.blocks.map { "\($0.1.rawValue) with \(context.people[Int($0.0)].id)" }
        let lead = onlyHistory
            ? "could not be placed without a repeat: in the closest group (G\(best.group + 1)) they met "
                + best.blocks.map { context.people[Int($0.0)].id }.joined(separator: ", ") + " before"
            : "no group keeps every rule: the closest (G\(best.group + 1)) breaks " + parts.joined(separator: "; ")
        return (lead, onlyHistory)
    }
}
