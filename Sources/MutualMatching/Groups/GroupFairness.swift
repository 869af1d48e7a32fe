/// The fairness phase: after the search has maximised the total, lift the worst group
/// whenever a swap or a move with another group can, so that no group is left far behind the
/// rest for the sake of a slightly larger sum.
///
/// Groups are compared by weight per member who wants something (the display score's
/// numerator). Each step takes the worst group and looks for the swap or move with another
/// group that makes the lower of the two new groups as good as possible; it is applied when
/// that lower group beats the old worst (so the minimum strictly rises and the partner group
/// does not fall below it), no hard constraint is newly broken, and the total objective lost so
/// far stays within ``GroupOptions/fairnessTolerancePercent``. It stops when no such exchange
/// exists. Partner groups are all groups for up to 300 groups, else the groups of people who
/// can teach the worst group's members plus a seeded sample.
public enum GroupFairness {
    /// What the phase did.
    public struct Report: Sendable, Hashable {
        /// Exchanges applied.
        public var exchanges: Int
        /// Objective before and after.
        public var objectiveBefore: Int64
        public var objectiveAfter: Int64
    }

    public static func protectWorstGroup(
        groups: inout [[Int32]], scorer: GroupScorer, sizeRange: ClosedRange<Int>, tolerancePercent: Int, seed: UInt64
    ) -> Report {
        var values = groups.map { scorer.evaluate($0) }
        let before = values.reduce(0) { $0 + $1.objective }
        let budget = max(0, before) * Int64(tolerancePercent) / 100
        var spent: Int64 = 0
        var exchanges = 0
        var random = SeededGenerator(seed: seed ^ 0x4641_4952)
        let context = scorer.context
        var groupOf = [Int32](repeating: -1, count: context.count)
        for (index, group) in groups.enumerated() { for member in group { groupOf[Int(member)] = Int32(index) } }
        guard groups.count >= 2 else { return Report(exchanges: 0, objectiveBefore: before, objectiveAfter: before) }
        var teachers: [[Int32]] = []
        if groups.count > 300 {
            teachers = [[Int32]](repeating: [], count: context.skillSlugs.count)
            for group in groups {
                for member in group {
                    for index in Int(context.strengthStart[Int(member)])..<Int(context.strengthStart[Int(member) + 1]) {
                        teachers[Int(context.strengthSkill[index])].append(member)
                    }
                }
            }
        }
        for _ in 0..<min(1_000, groups.count * 2) {
            guard let worst = values.indices.filter({ values[$0].violations == 0 })
                .min(by: { (scorer.perMemberWeight(values[$0]), $0) < (scorer.perMemberWeight(values[$1]), $1) }) else { break }
            let floor = scorer.perMemberWeight(values[worst])
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
                guard spent + max(0, -delta) <= budget else { return }
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
            spent += max(0, -chosen.delta)
            groups[worst] = chosen.w
            groups[chosen.partner] = chosen.p
            values[worst] = chosen.wv
            values[chosen.partner] = chosen.pv
            for member in chosen.w { groupOf[Int(member)] = Int32(worst) }
            for member in chosen.p { groupOf[Int(member)] = Int32(chosen.partner) }
            exchanges += 1
        }
        return Report(exchanges: exchanges, objectiveBefore: before, objectiveAfter: values.reduce(0) { $0 + $1.objective })
    }
}
