/// The fairness phase: after the search has maximised the total, lift the worst group, so
/// that no group is left far behind the rest for the sake of a larger sum.
///
/// Groups are compared by weight per member who wants something (the display score's
/// numerator). The phase works in two passes with two budgets:
///
/// * **Polish.** The worst group is lifted while the total stays within
///   ``GroupOptions/fairnessTolerancePercent`` (2 % by default) of the search's.
/// * **Rescue.** If a group is then still *far behind* — scoring below half the mean group
///   score — it is lifted towards that half even at a real cost to the total: up to
///   ``GroupOptions/rescueTolerancePercent`` of it (30 % by default). A group where nobody
///   learns anything fails its members; some points off the better groups are the price of it
///   working. A polish pass follows, within 2 % of where the rescue left the total.
///
/// Each pass has two stages:
///
/// 1. **Exchanges with the worst group.** Each step takes the worst group and looks for the
///    swap or move with another group that makes the lower of the two new groups as good as
///    possible; it is applied when that lower group beats the old worst (so the minimum strictly
///    rises and the partner group does not fall below it), no hard constraint is newly broken,
///    and the total stays within the pass's budget. Partner groups are all groups for up to 300
///    groups, else the groups of people who can teach the worst group's members plus a seeded sample.
/// 2. **Chains**: a tabu search for sequences of changes that lift the worst group further
///    within the same budget (``GroupBottleneckSearch``), then stage 1 once more from its result.
public enum GroupFairness {
    /// What the phase did.
    public struct Report: Sendable, Hashable {
        /// Exchanges applied (by either stage of either pass).
        public var exchanges: Int
        /// Objective before and after.
        public var objectiveBefore: Int64
        public var objectiveAfter: Int64
        /// What the rescue pass did.
        public var rescue: Rescue = .notNeeded
    }

    /// The rescue pass's outcome.
    public enum Rescue: String, Sendable, Hashable {
        /// After the polish no group was far behind (below half the mean), so the rescue did not run.
        case notNeeded = "not_needed"
        /// A group was far behind and the rescue lifted the worst group.
        case lifted
        /// A group was far behind and the rescue found no change that lifts it within its budget.
        case noneFound = "none_found"
    }

    /// Lifts the worst group of `groups` (see the type's description). `chainEvaluations` bounds
    /// each pass's chain search in group evaluations (0 skips it).
    public static func protectWorstGroup(
        groups: inout [[Int32]], scorer: GroupScorer, sizeRange: ClosedRange<Int>, tolerancePercent: Int,
        rescueTolerancePercent: Int = 0, seed: UInt64, chainEvaluations: Int = 0
    ) -> Report {
        var values = groups.map { scorer.evaluate($0) }
        let before = values.reduce(0) { $0 + $1.objective }
        var exchanges = 0
        func pass(minimumTotal: Int64, ceiling: Int64?) {
            exchanges += exchangeWithWorst(groups: &groups, values: &values, scorer: scorer, sizeRange: sizeRange,
                                           minimumTotal: minimumTotal, ceiling: ceiling, seed: seed)
            guard chainEvaluations > 0 else { return }
            let chains = GroupBottleneckSearch.raiseWorstGroup(
                groups: &groups, values: &values, scorer: scorer, sizeRange: sizeRange, minimumTotal: minimumTotal,
                ceiling: ceiling, evaluationBudget: chainEvaluations, seed: seed)
            if chains.steps > 0 {
                exchanges += chains.steps
                exchanges += exchangeWithWorst(groups: &groups, values: &values, scorer: scorer, sizeRange: sizeRange,
                                               minimumTotal: minimumTotal, ceiling: ceiling, seed: seed)
            }
        }
        let polishBudget = max(0, before) * Int64(tolerancePercent) / 100
        pass(minimumTotal: before - polishBudget, ceiling: nil)
        // Only when the cheap exchanges leave a group far behind is the rescue's budget spent.
        var rescue = Rescue.notNeeded
        if rescueTolerancePercent > 0, let line = farBehindLine(values, scorer: scorer),
           let worst = worstPerMember(values, scorer: scorer), max(0, worst) < line {
            pass(minimumTotal: before - max(0, before) * Int64(rescueTolerancePercent) / 100, ceiling: line)
            rescue = (worstPerMember(values, scorer: scorer) ?? worst) > worst ? .lifted : .noneFound
            let reached = values.reduce(0) { $0 + $1.objective }
            pass(minimumTotal: min(before, reached) - polishBudget, ceiling: nil)
        }
        return Report(exchanges: exchanges, objectiveBefore: before, objectiveAfter: values.reduce(0) { $0 + $1.objective },
                      rescue: rescue)
    }

    /// Half the mean group score, on the per-member weight scale: a group below it is far behind
    /// the rest. Like the mean group score, it counts each group once and clamps a group between 0 and the
    /// reference member's weight (a score of 100), and it counts only groups that keep the rules
    /// and have members who want something. `nil` when there are none.
    static func farBehindLine(_ values: [GroupValue], scorer: GroupScorer) -> Int64? {
        let counted = values.filter { $0.violations == 0 && $0.wantingMembers > 0 }
        guard !counted.isEmpty else { return nil }
        // On the display scale: from 0 (repeats can make a weight negative) to the reference's 100.
        let capped = counted.reduce(Int64(0)) { $0 + max(0, min(scorer.perMemberWeight($1), scorer.referenceMemberWeight)) }
        return capped / Int64(counted.count) / 2
    }

    /// The lowest per-member weight among the groups that keep the rules and have members who want something.
    static func worstPerMember(_ values: [GroupValue], scorer: GroupScorer) -> Int64? {
        values.filter { $0.violations == 0 && $0.wantingMembers > 0 }.map { scorer.perMemberWeight($0) }.min()
    }

    /// The members of `groups` strong in each skill (by skill id), for choosing partner groups
    /// guided by who can teach whom.
    static func teachersBySkill(in groups: [[Int32]], context: ScoringContext) -> [[Int32]] {
        var teachers = [[Int32]](repeating: [], count: context.skillSlugs.count)
        for member in groups.joined() {
            for index in Int(context.strengthStart[Int(member)])..<Int(context.strengthStart[Int(member) + 1]) {
                teachers[Int(context.strengthSkill[index])].append(member)
            }
        }
        return teachers
    }

    /// The first stage: the best single move or swap with the worst group, again and again,
    /// while the total stays at least `minimumTotal` and the worst group is below `ceiling`
    /// (when given). Returns the exchanges made.
    static func exchangeWithWorst(
        groups: inout [[Int32]], values: inout [GroupValue], scorer: GroupScorer, sizeRange: ClosedRange<Int>,
        minimumTotal: Int64, ceiling: Int64?, seed: UInt64
    ) -> Int {
        var total = values.reduce(0) { $0 + $1.objective }
        var exchanges = 0
        var random = SeededGenerator(seed: seed ^ 0x4641_4952)
        let context = scorer.context
        var groupOf = [Int32](repeating: -1, count: context.count)
        for (index, group) in groups.enumerated() { for member in group { groupOf[Int(member)] = Int32(index) } }
        guard groups.count >= 2 else { return 0 }
        let teachers = groups.count > 300 ? teachersBySkill(in: groups, context: context) : []
        for _ in 0..<min(1_000, groups.count * 2) {
            guard let worst = values.indices.filter({ values[$0].violations == 0 })
                .min(by: { (scorer.perMemberWeight(values[$0]), $0) < (scorer.perMemberWeight(values[$1]), $1) }) else { break }
            let floor = scorer.perMemberWeight(values[worst])
            if let ceiling, floor >= ceiling { break }
            var partners: [Int]
            if groups.count <= 300 {
                partners = groups.indices.filter { $0 != worst }
            } else {
                var chosen = Set<Int>()
                for member in groups[worst] {
                    for index in Int(context.wantStart[Int(member)])..<Int(context.wantStart[Int(member) + 1]) {
                        for teacher in teachers[Int(context.wantSkill[index])].prefix(40) {
                            chosen.insert(Int(groupOf[Int(teacher)]))
                        }
                    }
                }
                for _ in 0..<200 { chosen.insert(Int(random.next() % UInt64(groups.count))) }
                chosen.remove(worst)
                partners = chosen.sorted()
            }
            var best: (floor: Int64, delta: Int64, partner: Int, w: [Int32], p: [Int32], wv: GroupValue, pv: GroupValue)?
            let worstMembers = groups[worst]
            func consider(_ partner: Int, _ newWorst: [Int32], _ newPartner: [Int32]) {
                let wv = scorer.evaluate(newWorst), pv = scorer.evaluate(newPartner)
                guard wv.violations + pv.violations <= values[worst].violations + values[partner].violations else { return }
                let newFloor = min(scorer.perMemberWeight(wv), scorer.perMemberWeight(pv))
                guard newFloor > floor else { return }
                let delta = wv.objective + pv.objective - values[worst].objective - values[partner].objective
                guard total + delta >= minimumTotal else { return }
                if best == nil || newFloor > best!.floor || (newFloor == best!.floor && delta > best!.delta) {
                    best = (newFloor, delta, partner, newWorst, newPartner, wv, pv)
                }
            }
            for partner in partners {
                let partnerMembers = groups[partner]
                if partnerMembers.count > sizeRange.lowerBound, worstMembers.count < sizeRange.upperBound {
                    for (j, other) in partnerMembers.enumerated() {
                        var partnerWithout = partnerMembers
                        partnerWithout.remove(at: j)
                        consider(partner, worstMembers + [other], partnerWithout)
                    }
                }
                for (i, member) in worstMembers.enumerated() {
                    var withoutMember = worstMembers
                    withoutMember.remove(at: i)
                    if worstMembers.count > sizeRange.lowerBound, partnerMembers.count < sizeRange.upperBound {
                        consider(partner, withoutMember, partnerMembers + [member])
                    }
                    for (j, other) in partnerMembers.enumerated() {
                        var newWorst = withoutMember
                        newWorst.append(other)
                        var newPartner = partnerMembers
                        newPartner[j] = member
                        consider(partner, newWorst, newPartner)
                    }
                }
            }
            guard let chosen = best else { break }
            total += chosen.delta
            groups[worst] = chosen.w
            groups[chosen.partner] = chosen.p
            values[worst] = chosen.wv
            values[chosen.partner] = chosen.pv
            for member in chosen.w { groupOf[Int(member)] = Int32(worst) }
            for member in chosen.p { groupOf[Int(member)] = Int32(chosen.partner) }
            exchanges += 1
        }
        return exchanges
    }
}
