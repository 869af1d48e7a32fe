/// Inverted indexes from skills to the people who have or want them, so each person's
/// partners are found without looking at the whole pool.
struct PartnerIndex: Sendable {
    /// One indexed person with the level that ranks them in the list.
    struct Entry: Sendable {
        var person: Int32
        var level: Int8
    }

    /// People strong in a skill, by skill id, lowest level first.
    let teachers: [[Entry]]
    /// People who want a skill, by skill id, lowest current level first.
    let learners: [[Entry]]
    /// People strong in any skill of a family (level = best in family), by family id, lowest first.
    let familyTeachers: [[Entry]]
    /// People who want any skill of a family (level = lowest current level), by family id.
    let familyLearners: [[Entry]]
    /// People strong in skill `s` who want skill `t`, keyed `s << 32 | t`, highest level in `s` first:
    /// exactly the people who could both teach a learner of `s` and learn `t`. Lowest level first.
    let reciprocal: [UInt64: [Entry]]

    init(_ context: ScoringContext, buildReciprocal: Bool) {
        let skills = context.skillSlugs.count
        let families = context.rules.skillFamilies.count
        var teachers = [[Entry]](repeating: [], count: skills)
        var learners = [[Entry]](repeating: [], count: skills)
        var familyTeachers = [[Entry]](repeating: [], count: families)
        var familyLearners = [[Entry]](repeating: [], count: families)
        var reciprocal: [UInt64: [Entry]] = [:]
        for person in 0..<context.count {
            let id = Int32(person)
            let strengths = Int(context.strengthStart[person])..<Int(context.strengthStart[person + 1])
            let wants = Int(context.wantStart[person])..<Int(context.wantStart[person + 1])
            for s in strengths {
                teachers[Int(context.strengthSkill[s])].append(Entry(person: id, level: context.strengthLevel[s]))
            }
            for f in Int(context.familyStart[person])..<Int(context.familyStart[person + 1]) {
                familyTeachers[Int(context.familyID[f])].append(Entry(person: id, level: context.familyLevel[f]))
            }
            var lowestByFamily: [Int32: Int8] = [:]
            for w in wants {
                let skill = context.wantSkill[w]
                learners[Int(skill)].append(Entry(person: id, level: context.wantCurrent[w]))
                let family = context.familyOfSkill[Int(skill)]
                if family >= 0 { lowestByFamily[family] = min(lowestByFamily[family] ?? 5, context.wantCurrent[w]) }
            }
            for (family, level) in lowestByFamily.sorted(by: { $0.key < $1.key }) {
                familyLearners[Int(family)].append(Entry(person: id, level: level))
            }
            if buildReciprocal {
                for s in strengths {
                    for w in wants {
                        let key = UInt64(UInt32(context.strengthSkill[s])) << 32 | UInt64(UInt32(context.wantSkill[w]))
                        reciprocal[key, default: []].append(Entry(person: id, level: context.strengthLevel[s]))
                    }
                }
            }
        }
        func byLevelAscending(_ a: Entry, _ b: Entry) -> Bool { a.level < b.level || (a.level == b.level && a.person < b.person) }
        self.teachers = teachers.map { $0.sorted(by: byLevelAscending) }
        self.learners = learners.map { $0.sorted(by: byLevelAscending) }
        self.familyTeachers = familyTeachers.map { $0.sorted(by: byLevelAscending) }
        self.familyLearners = familyLearners.map { $0.sorted(by: byLevelAscending) }
        self.reciprocal = reciprocal.mapValues { $0.sorted(by: byLevelAscending) }
    }

    /// The index of the first entry whose level is at least `level` (lists are ascending).
    static func firstIndex(in list: [Entry], levelAtLeast level: Int8) -> Int {
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].level < level { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
