/// The fairness phase's second stage: a tabu search that raises the worst group further than
/// single exchanges with it can.
///
/// Lifting a group whose members nobody in it can teach often takes a chain of changes: a
/// teacher comes in from a second group, which takes someone from a third so that it does not
/// fall to the bottom itself. One exchange at a time (``GroupFairness``' first stage) stops
/// before such a chain, because its first link lowers the worst group or another. This stage
/// searches for the chain.
///
/// For a **target** per-member weight `T` it minimises the **deficit** — the sum over groups
/// of how far each falls below `T` — and then maximises the total, by moving one member of a
/// group below `T` to another group, taking one member from another group, or swapping two.
/// It never newly breaks a hard rule, keeps every size in range and keeps the total above the
/// floor it is given. Worsening steps are allowed (it is a tabu search: a member who moved may
/// not return to the group they left for a few steps unless that reaches a deficit never seen
/// before), so it can walk through the chain's first link. A target is reached when no group
/// is below it.
///
/// Targets are bisected between the current minimum and the mean per-member weight of the
/// pool (no partition's worst group is above the mean of a partition with the same total);
/// each reached target's partition is the start of the next probe. Work is bounded by a number
/// of group evaluations, so a seed reproduces the result.
enum GroupBottleneckSearch {
    /// Partner groups a step looks at for each group below the target: all of them on
    /// partitions of up to this many groups (about 300 people), else this many, chosen among
    /// the groups of people who can teach the low group's members, then at random.
    static let partnerLimit = 60

    /// What the stage did.
    struct Outcome {
        /// Steps applied on the way to the targets reached.
        var steps: Int
        /// Group evaluations spent.
        var evaluations: Int
    }

    /// Raises the worst group of `groups` (whose values are `values`) as far as the search
    /// can, up to `ceiling` when given, while the total objective stays at least `minimumTotal`. Groups that break a hard
    /// rule, or whose members want nothing, are left as they are.
    static func raiseWorstGroup(
        groups: inout [[Int32]], values: inout [GroupValue], scorer: GroupScorer, sizeRange: ClosedRange<Int>,
        minimumTotal: Int64, ceiling: Int64? = nil, evaluationBudget: Int, seed: UInt64
    ) -> Outcome {
        var state = State(groups: groups, values: values, scorer: scorer)
        guard state.active.count >= 2 else { return Outcome(steps: 0, evaluations: 0) }
        var random = SeededGenerator(seed: seed ^ 0x424F_5454_4C45)
        var evaluations = 0, steps = 0
        var low = state.minimum
        // No group can be above the mean at once with all the others.
        var high = min(state.meanPerMember, ceiling ?? Int64.max)
        while low < high, evaluations < evaluationBudget {
            let target = low + (high - low + 1) / 2
            var probe = state
            var probeSteps = 0
            // A target out of reach spends its whole share: a sixth, so that a few failed probes
            // leave room for lower targets.
            let share = min(evaluationBudget - evaluations, max(evaluationBudget / 6, 1))
            let reached = probe.reach(target: target, sizeRange: sizeRange, minimumTotal: minimumTotal,
                                      evaluationBudget: share, evaluations: &evaluations,
                                      steps: &probeSteps, random: &random)
            if reached {
                state = probe
                steps += probeSteps
                low = state.minimum
            } else {
                high = target - 1
            }
        }
        if steps > 0 {
            groups = state.groups
            values = state.values
        }
        return Outcome(steps: steps, evaluations: evaluations)
    }

    /// A partition under search. Groups outside ``active`` (breaking a rule, or nobody wanting
    /// anything) are never touched.
    struct State {
        let scorer: GroupScorer
        var groups: [[Int32]]
        var values: [GroupValue]
        var active: [Int]
        let isActive: [Bool]
        var total: Int64
        /// The group of each person of the pool (-1: in none).
        var groupOf: [Int32]
        /// People in the groups strong in each skill (by skill id), for choosing partner groups.
        let teachersBySkill: [[Int32]]

        init(groups: [[Int32]], values: [GroupValue], scorer: GroupScorer) {
            self.scorer = scorer
            self.groups = groups
            self.values = values
            active = groups.indices.filter { values[$0].violations == 0 && values[$0].wantingMembers > 0 }
            var isActive = [Bool](repeating: false, count: groups.count)
            for group in active { isActive[group] = true }
            self.isActive = isActive
            total = values.reduce(0) { $0 + $1.objective }
            let context = scorer.context
            var groupOf = [Int32](repeating: -1, count: context.count)
            for (index, group) in groups.enumerated() {
                for member in group { groupOf[Int(member)] = Int32(index) }
            }
            self.groupOf = groupOf
            teachersBySkill = GroupFairness.teachersBySkill(in: groups, context: context)
        }

        /// Partner groups for a change with `focus`: every other active group when there are at
        /// most ``partnerLimit``, else groups holding people who can teach what `focus`'s members
        /// want, then random ones, up to that many.
        func partners(for focus: Int, random: inout SeededGenerator) -> [Int] {
            let limit = GroupBottleneckSearch.partnerLimit
            if active.count <= limit + 1 { return active.filter { $0 != focus } }
            let context = scorer.context
            var chosen = Set<Int>()
            for member in groups[focus] {
                for want in Int(context.wantStart[Int(member)])..<Int(context.wantStart[Int(member) + 1]) {
                    let list = teachersBySkill[Int(context.wantSkill[want])]
                    guard !list.isEmpty else { continue }
                    for _ in 0..<4 {
                        let teacher = list[Int(random.next() % UInt64(list.count))]
                        let group = Int(groupOf[Int(teacher)])
                        guard group >= 0, group != focus, isActive[group],
                              context.wantContribution(teacher: Int(teacher), wantIndex: want) > 0 else { continue }
                        chosen.insert(group)
                    }
                }
            }
            var attempts = 0
            while chosen.count < limit, attempts < limit * 3 {
                attempts += 1
                let group = active[Int(random.next() % UInt64(active.count))]
                if group != focus { chosen.insert(group) }
            }
            return chosen.sorted().prefix(limit).map { $0 }
        }

        var minimum: Int64 { active.map { scorer.perMemberWeight(values[$0]) }.min() ?? 0 }

        var meanPerMember: Int64 {
            let wanting = active.reduce(0) { $0 + values[$1].wantingMembers }
            return active.reduce(0) { $0 + values[$1].weight } / Int64(max(1, wanting))
        }

        func deficit(_ value: GroupValue, _ target: Int64) -> Int64 {
            max(0, target - scorer.perMemberWeight(value))
        }

        /// A change between two groups: `first` and `second` become `firstMembers` and `secondMembers`.
        struct Change {
            var first: Int
            var second: Int
            var firstMembers: [Int32]
            var secondMembers: [Int32]
            var firstValue: GroupValue
            var secondValue: GroupValue
            /// People who changed group, with the group each left.
            var moved: [(person: Int32, left: Int)]
            var deficit: Int64
            var total: Int64
        }

        /// Tabu search towards no group below `target`. Returns whether it got there (the
        /// state is then that partition).
        mutating func reach(
            target: Int64, sizeRange: ClosedRange<Int>, minimumTotal: Int64, evaluationBudget: Int,
            evaluations: inout Int, steps: inout Int, random: inout SeededGenerator
        ) -> Bool {
            var deficit = active.reduce(0) { $0 + self.deficit(values[$1], target) }
            if deficit == 0 { return true }
            var bestDeficit = deficit
            var tabuUntil: [Int32: (group: Int, step: Int)] = [:]
            let spentAtStart = evaluations
            var step = 0, sinceBest = 0
            // Steps in a row without a deficit never seen before, after which the target is given up.
            let patience = 30
            while evaluations - spentAtStart < evaluationBudget, sinceBest < patience {
                step += 1
                sinceBest += 1
                // The groups below the target, worst first; a step changes one of them.
                let below = active.filter { scorer.perMemberWeight(values[$0]) < target }
                    .sorted { (scorer.perMemberWeight(values[$0]), $0) < (scorer.perMemberWeight(values[$1]), $1) }
                var best: Change?
                func consider(_ first: Int, _ second: Int, _ firstMembers: [Int32], _ secondMembers: [Int32],
                              _ moved: [(person: Int32, left: Int)]) {
                    evaluations += 2
                    let firstValue = scorer.evaluate(firstMembers)
                    guard firstValue.violations == 0 else { return }
                    let secondValue = scorer.evaluate(secondMembers)
                    guard secondValue.violations == 0 else { return }
                    let newTotal = total - values[first].objective - values[second].objective
                        + firstValue.objective + secondValue.objective
                    guard newTotal >= minimumTotal else { return }
                    // Not a change that leaves a group whose members want nothing: that group would
                    // drop out of the comparison instead of being lifted.
                    guard firstValue.wantingMembers > 0, secondValue.wantingMembers > 0 else { return }
                    let newDeficit = deficit - self.deficit(values[first], target) - self.deficit(values[second], target)
                        + self.deficit(firstValue, target) + self.deficit(secondValue, target)
                    let tabu = moved.contains { entry in
                        let group = entry.left == first ? second : first
                        return tabuUntil[entry.person].map { $0.group == group && $0.step > step } ?? false
                    }
                    if tabu, newDeficit >= bestDeficit { return }
                    if let current = best, (newDeficit, -newTotal) >= (current.deficit, -current.total) { return }
                    best = Change(first: first, second: second, firstMembers: firstMembers, secondMembers: secondMembers,
                                  firstValue: firstValue, secondValue: secondValue, moved: moved, deficit: newDeficit, total: newTotal)
                }
                for focus in below.prefix(2) {
                    let members = groups[focus]
                    for other in partners(for: focus, random: &random) {
                        let others = groups[other]
                        if members.count < sizeRange.upperBound, others.count > sizeRange.lowerBound {
                            for (j, person) in others.enumerated() {
                                var without = others
                                without.remove(at: j)
                                consider(focus, other, members + [person], without, [(person, other)])
                            }
                        }
                        for (i, person) in members.enumerated() {
                            var without = members
                            without.remove(at: i)
                            if members.count > sizeRange.lowerBound, others.count < sizeRange.upperBound {
                                consider(focus, other, without, others + [person], [(person, focus)])
                            }
                            for (j, partner) in others.enumerated() {
                                var swappedIn = without
                                swappedIn.append(partner)
                                var swappedOut = others
                                swappedOut[j] = person
                                consider(focus, other, swappedIn, swappedOut, [(person, focus), (partner, other)])
                            }
                        }
                    }
                }
                guard let change = best else { return false }
                groups[change.first] = change.firstMembers
                groups[change.second] = change.secondMembers
                for member in change.firstMembers { groupOf[Int(member)] = Int32(change.first) }
                for member in change.secondMembers { groupOf[Int(member)] = Int32(change.second) }
                values[change.first] = change.firstValue
                values[change.second] = change.secondValue
                total = change.total
                deficit = change.deficit
                let tenure = 3 + Int(random.next() % 4)
                for entry in change.moved { tabuUntil[entry.person] = (entry.left, step + tenure) }
                steps += 1
                if deficit == 0 { return true }
                if deficit < bestDeficit {
                    bestDeficit = deficit
                    sinceBest = 0
                }
            }
            return false
        }
    }
}
