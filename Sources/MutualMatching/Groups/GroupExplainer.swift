/// The reasons shown with a group: who learns what from whom (in the same words as pair
/// explanations, ``PairExplainer/teachingLines(_:teacher:learner:)``), whose wants nobody in
/// the group covers, and what the rules' criteria and the group's mix contributed.
public enum GroupExplainer {
    public static func reasons(_ members: [Int32], coverage: [GroupCoverage], scorer: GroupScorer,
                               repeatLines: [String] = []) -> [String] {
        let context = scorer.context
        var lines: [String] = []
        for learner in members.map(Int.init) {
            let rows = coverage.filter { $0.learner == learner }
            var teachers: [Int] = []
            for row in rows { if let best = row.teachers.first?.person, !teachers.contains(best) { teachers.append(best) } }
            var seen = Set<String>()
            for teacher in teachers {
                for line in PairExplainer.teachingLines(context, teacher: teacher, learner: learner) where seen.insert(line).inserted {
                    // Keep only the wants this teacher is the group's best for.
                    if rows.contains(where: { $0.teachers.first?.person == teacher && line.contains("(\($0.skillName) \($0.level), wants it)") }) {
                        lines.append(line)
                    }
                }
            }
            let uncovered = rows.filter(\.teachers.isEmpty)
            if !uncovered.isEmpty, uncovered.count == rows.count {
                lines.append("nobody in the group can teach \(context.people[learner].displayName) "
                    + uncovered.map { "\($0.skillName) (level \($0.level))" }.joined(separator: ", "))
            }
        }
        lines += mixLines(members, scorer: scorer)
        return lines + repeatLines
    }

    /// Departments, companies, levels, time zones and languages of the group, with what the
    /// rules' criteria added (averaged over the pairs, as the score does).
    static func mixLines(_ members: [Int32], scorer: GroupScorer) -> [String] {
        let context = scorer.context
        let people = members.map { context.people[Int($0)] }
        var lines: [String] = []
        let pairs = members.count * (members.count - 1) / 2
        func effect(_ attribute: MatchRules.Attribute) -> Int {
            guard pairs > 0, scorer.activeCriteria.contains(attribute) else { return 0 }
            var total = 0
            for i in members.indices { for j in members.indices where j > i {
                total += context.criterionEffect(attribute, Int(members[i]), Int(members[j]))
            } }
            return total / pairs
        }
        func suffix(_ value: Int) -> String { value != 0 ? " +\(value) %" : "" }
        let departments = Set(people.map(\.department).filter { !$0.isEmpty }).sorted()
        if !departments.isEmpty {
            lines.append("\(departments.count) department\(departments.count == 1 ? "" : "s"): \(departments.joined(separator: ", "))" + suffix(effect(.department)))
        }
        let companies = Set(people.map(\.company).filter { !$0.isEmpty }).sorted()
        if companies.count > 1 || effect(.company) != 0 {
            lines.append("\(companies.count) compan\(companies.count == 1 ? "y" : "ies"): \(companies.joined(separator: ", "))" + suffix(effect(.company)))
        }
        let levels = people.compactMap(\.level)
        if let low = levels.min(), let high = levels.max() {
            lines.append((low == high ? "all at level \(low)" : "levels \(low)–\(high)") + suffix(effect(.level)))
        }
        var minimumOverlap: Int?
        for i in members.indices { for j in members.indices where j > i {
            let minutes = context.overlapMinutes(Int(members[i]), Int(members[j]))
            minimumOverlap = min(minimumOverlap ?? minutes, minutes)
        } }
        if let minimumOverlap, people.contains(where: { $0.utcOffsetMinutes != nil }) {
            lines.append("every pair shares at least \(PairExplainer.hours(minimumOverlap)) of working hours" + suffix(effect(.timezone)))
        }
        let languageSets = people.map { Set($0.languages) }.filter { !$0.isEmpty }
        if let first = languageSets.first {
            let common = languageSets.dropFirst().reduce(first) { $0.intersection($1) }.sorted()
            if !common.isEmpty { lines.append("common language: \(common.joined(separator: ", "))" + suffix(effect(.language))) }
        }
        let interests = effect(.interests)
        if interests != 0 { lines.append("shared interests" + suffix(interests)) }
        let diversity = scorer.diversityPercentOf(members)
        if scorer.familyDiversityWeight > 0, diversity > 0 {
            lines.append("main skills from \(diversity) % different families +\(scorer.familyDiversityWeight * diversity / 100) %")
        }
        return lines
    }
}
