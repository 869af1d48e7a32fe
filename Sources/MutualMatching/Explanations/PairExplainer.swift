/// Human reasons for a match: who teaches whom what, with both levels, and what each rule
/// added or took away — the sentences people read before accepting a match.
public enum PairExplainer {
    /// The reasons for pair `(a, b)` (for mentoring, `a` is the mentor), most important first.
    public static func reasons(_ context: ScoringContext, _ a: Int, _ b: Int) -> [String] {
        var lines: [String] = []
        switch context.model {
        case .pairs:
            let aToB = teachingLines(context, teacher: a, learner: b)
            let bToA = teachingLines(context, teacher: b, learner: a)
            lines += aToB + bToA
            if aToB.isEmpty != bToA.isEmpty {
                let learner = aToB.isEmpty ? a : b
                lines.append("one-way: only \(context.people[learner].displayName) learns in this pair")
            }
        case .mentoring:
            lines += teachingLines(context, teacher: a, learner: b)
        case .buddies:
            lines += buddyLines(context, a, b)
        }
        lines += ruleLines(context, a, b)
        return lines
    }

    /// "Ana (SQL 4) → Ben (SQL 2, wants it)" for each counted want the teacher can help with.
    public static func teachingLines(_ context: ScoringContext, teacher: Int, learner: Int) -> [String] {
        teachingPoints(context, teacher: teacher, learner: learner).map(\.line)
    }

    /// The wants of `learner` that `teacher` can help with, as the score counts them (the best
    /// ``MatchRules/skillsCounted``), most valuable first: the same skills, in the same order,
    /// as ``teachingLines(_:teacher:learner:)``, with the levels kept apart so a page can put
    /// them in its own words.
    public static func teachingPoints(_ context: ScoringContext, teacher: Int, learner: Int) -> [TeachingPoint] {
        let teacherPerson = context.people[teacher], learnerPerson = context.people[learner]
        var scored: [(value: Int, point: TeachingPoint)] = []
        for (offset, want) in learnerPerson.wants.enumerated() {
            let index = Int(context.wantStart[learner]) + offset
            let value = context.wantContribution(teacher: teacher, wantIndex: index)
            guard value > 0 else { continue }
            let wanted = "\(learnerPerson.displayName) (\(want.displayName) \(want.currentLevel), wants it)"
            let direct = teacherPerson.strengthLevel(want.skill)
            if direct > want.currentLevel {
                let name = teacherPerson.strengths.first { $0.skill == want.skill }?.displayName ?? want.displayName
                scored.append((value, TeachingPoint(
                    skill: want.displayName, learnerLevel: want.currentLevel, teacherLevel: direct, relatedSkill: nil,
                    line: "\(teacherPerson.displayName) (\(name) \(direct)) → \(wanted)")))
            } else {
                // Partial credit: name the teacher's strongest skill of the same family.
                let family = context.rules.skillFamilies.first { $0.skills.contains(want.skill) }
                let related = teacherPerson.strengths
                    .filter { family?.skills.contains($0.skill) ?? false }
                    .max { ($0.level, $1.skill) < ($1.level, $0.skill) }
                let label = related.map { "\($0.displayName) \($0.level), related" } ?? "related skill"
                scored.append((value, TeachingPoint(
                    skill: want.displayName, learnerLevel: want.currentLevel, teacherLevel: related?.level ?? 0,
                    relatedSkill: related?.displayName ?? "", line: "\(teacherPerson.displayName) (\(label)) → \(wanted)")))
            }
        }
        return scored.sorted { $0.value > $1.value || ($0.value == $1.value && $0.point.line < $1.point.line) }
            .prefix(context.rules.skillsCounted).map(\.point)
    }

    static func buddyLines(_ context: ScoringContext, _ a: Int, _ b: Int) -> [String] {
        let first = context.people[a], second = context.people[b]
        var lines: [String] = []
        let shared = first.wants.filter { want in second.wants.contains { $0.skill == want.skill } }
        for want in shared.prefix(context.rules.skillsCounted) {
            lines.append("both want to learn \(want.displayName)")
        }
        // When interests are also a weighted criterion, the rule line below names them with their effect.
        let interests = Set(first.interests).intersection(second.interests).sorted()
        if !interests.isEmpty, context.criterionEffect(.interests, a, b) == 0 {
            lines.append("shared interests: \(interests.joined(separator: ", "))")
        }
        return lines
    }

    /// What each weighted criterion (and the history penalty) did to the score.
    public static func ruleLines(_ context: ScoringContext, _ a: Int, _ b: Int) -> [String] {
        let first = context.people[a], second = context.people[b]
        var lines: [String] = []
        for attribute in MatchRules.Attribute.allCases {
            let effect = context.criterionEffect(attribute, a, b)
            guard effect != 0 else { continue }
            let similar = context.rules.criterion(attribute).prefer == .similar
            let text: String
            switch attribute {
            case .department:
                text = first.department.lowercased() == second.department.lowercased()
                    ? "same department (\(first.department))" : "different departments (\(first.department), \(second.department))"
            case .company:
                text = first.company.lowercased() == second.company.lowercased()
                    ? "same company (\(first.company))" : "different companies (\(first.company), \(second.company))"
            case .level:
                text = "levels \(first.level ?? 0) and \(second.level ?? 0)"
            case .timezone:
                text = "time-zone overlap \(hours(context.overlapMinutes(a, b)))"
            case .language:
                let shared = Set(first.languages).intersection(second.languages).sorted()
                text = shared.isEmpty ? "no shared language" : "shared language: \(shared.joined(separator: ", "))"
            case .interests:
                let shared = Set(first.interests).intersection(second.interests).sorted()
                text = shared.isEmpty ? (similar ? "interests" : "different interests") : "shared interests: \(shared.joined(separator: ", "))"
            }
            lines.append("\(text) +\(effect) %")
        }
        if context.rules.criterion(.timezone).prefer == .ignore, first.utcOffsetMinutes != nil, second.utcOffsetMinutes != nil,
           first.utcOffsetMinutes != second.utcOffsetMinutes {
            lines.append("time-zone overlap \(hours(context.overlapMinutes(a, b)))")
        }
        if context.rules.history == .penalise, context.metBefore(a, b) {
            lines.append("partners before −\(context.rules.historyPenaltyPercent) %")
        }
        return lines
    }

    static func hours(_ minutes: Int) -> String {
        minutes % 60 == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(minutes % 60) min"
    }
}
