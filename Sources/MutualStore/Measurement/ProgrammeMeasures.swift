import Foundation

/// Computes every ``Measure`` from a programme's ``ProgrammeFacts`` as of a moment: only rows
/// that existed then count (relationships started, meetings begun, goals done by then), so
/// the same code gives today's value and the trend's earlier points.
public struct ProgrammeMeasures: Sendable {
    public let facts: ProgrammeFacts
    /// The fewest distinct respondents a score is shown over (the programme's anonymity threshold).
    public let minimumRespondents: Int

    public init(facts: ProgrammeFacts, minimumRespondents: Int) {
        self.facts = facts
        self.minimumRespondents = minimumRespondents
    }

    static let day: TimeInterval = 86_400

    public func value(of measure: Measure, at moment: Date) -> MeasuredValue {
        let started = facts.relationships.indices.filter { facts.relationships[$0].startedAt <= moment }
        let noRelationships = "No relationship has started yet."
        switch measure {
        case .peopleEnrolled:
            let count = facts.enrolments.values.filter { $0 <= moment }.count
            return .number(Double(count), note: "\(count) enrolled")
        case .matchAcceptance:
            // People sent a published match, plus everyone in a self-match (accepted by asking or answering).
            var answered: [UUID: Bool] = [:]
            for answer in facts.matchAnswers { answered[answer.person] = (answered[answer.person] ?? false) || answer.response == .accepted }
            for at in started { for person in facts.relationships[at].members { answered[person] = true } }
            return .share(answered.values.filter { $0 }.count, of: answered.count, none: "No match has been sent yet.")
        case .peopleInAcceptedMatch:
            let enrolled = Set(facts.enrolments.filter { $0.value <= moment }.keys)
            let accepted = Set(started.flatMap { facts.relationships[$0].members }).intersection(enrolled)
            return .share(accepted.count, of: enrolled.count, none: "Nobody is enrolled yet.")
        case .meetingsPerPairPerCycle:
            guard !started.isEmpty else { return .missing(noRelationships) }
            let held = facts.meetings.filter { $0.startsAt <= moment && facts.relationships[$0.relationship].startedAt <= moment }.count
            return .number(Double(held) / Double(started.count), note: "\(held) meetings in \(started.count) relationships")
        case .meetingsPerPairPerMonth:
            guard !started.isEmpty else { return .missing(noRelationships) }
            let held = facts.meetings.filter { $0.startsAt <= moment && facts.relationships[$0.relationship].startedAt <= moment }.count
            // Each relationship counts for the months it was open, at least one.
            let months = started.reduce(0.0) { total, at in
                let relationship = facts.relationships[at]
                let end = min(moment, relationship.endedAt ?? moment)
                return total + max(1, end.timeIntervalSince(relationship.startedAt) / (30.44 * Self.day))
            }
            return .number(Double(held) / months, note: "\(held) meetings over \(Int(months.rounded())) relationship-months")
        case .pairsMetAtLeastOnce:
            let met = Set(facts.meetings.filter { $0.startsAt <= moment }.map(\.relationship))
            return .share(started.filter { met.contains($0) }.count, of: started.count, none: noRelationships)
        case .activeInLast30Days:
            let open = started.filter { at in
                let relationship = facts.relationships[at]
                return relationship.startedAt <= moment && (relationship.endedAt.map { $0 > moment } ?? true)
            }
            let since = moment.addingTimeInterval(-30 * Self.day)
            var active = Set(facts.meetings.filter { $0.startsAt <= moment && $0.startsAt > since }.map(\.relationship))
            active.formUnion(facts.logs.filter { $0.loggedAt <= moment && $0.loggedAt > since }.map(\.relationship))
            return .share(open.filter { active.contains($0) }.count, of: open.count, none: "No relationship is open.")
        case .meetingUsefulness:
            let rated = facts.logs.filter { $0.loggedAt <= moment && $0.rating != nil }
            let respondents = Set(rated.map(\.person)).count
            guard respondents >= minimumRespondents else {
                return .missing(Self.moreNeeded(respondents, minimum: minimumRespondents))
            }
            let mean = Double(rated.reduce(0) { $0 + ($1.rating ?? 0) }) / Double(rated.count)
            return .number(mean, note: "\(rated.count) ratings from \(respondents) people")
        case .goalCompletion:
            let set = facts.goals.filter { $0.createdAt <= moment }
            return .share(set.filter { ($0.completedAt ?? .distantFuture) <= moment }.count, of: set.count, none: "No goal has been set yet.")
        case .participantsCompletingAGoal:
            let set = facts.goals.filter { $0.createdAt <= moment }
            let setters = Set(set.map(\.person))
            let completers = Set(set.filter { ($0.completedAt ?? .distantFuture) <= moment }.map(\.person))
            return .share(completers.count, of: setters.count, none: "No goal has been set yet.")
        case .milestoneCompletion:
            let due = facts.milestones.filter { $0.dueAt <= moment }
            return .share(due.filter { ($0.doneAt ?? .distantFuture) <= $0.dueAt }.count, of: due.count, none: "No milestone is due yet.")
        case .reciprocityIndex:
            guard facts.model != .mentoring else { return .missing("A mentoring programme is one-way by design.") }
            var teachers: [Int: Set<UUID>] = [:]
            for fact in facts.teaching where fact.firstAt <= moment { teachers[fact.relationship, default: []].insert(fact.person) }
            let both = teachers.filter { at, people in Set(facts.relationships[at].members).isSubset(of: people) }.count
            return .share(both, of: teachers.count, none: "No member has logged teaching yet.")
        case .skillsGrowth:
            let growers = Set(skillRaises(at: moment).map(\.person))
            let learners = Set(facts.wants.map(\.person)).intersection(peopleStarted(at: moment).keys)
            return .share(growers.intersection(learners).count, of: learners.count, none: "No one in a relationship wants to learn anything yet.")
        case .relationshipsCompleted:
            let completed = started.filter { at in
                facts.relationships[at].status == .completed && (facts.relationships[at].endedAt ?? moment) <= moment
            }
            return .share(completed.count, of: started.count, none: noRelationships)
        }
    }

    /// Each person in a relationship by then, with the start of their first one.
    func peopleStarted(at moment: Date) -> [UUID: Date] {
        var first: [UUID: Date] = [:]
        for relationship in facts.relationships where relationship.startedAt <= moment {
            for person in relationship.members { first[person] = min(first[person] ?? .distantFuture, relationship.startedAt) }
        }
        return first
    }

    /// Raised levels in a wanted skill after the person's first relationship began, up to then.
    func skillRaises(at moment: Date) -> [ProgrammeFacts.GrowthFact] {
        let first = peopleStarted(at: moment)
        struct Wanted: Hashable { let person: UUID, skill: UUID }
        let wanted = Set(facts.wants.map { Wanted(person: $0.person, skill: $0.skill) })
        return facts.growth.filter { change in
            guard let start = first[change.person], change.changedAt >= start, change.changedAt <= moment else { return false }
            return change.toLevel > change.fromLevel && wanted.contains(Wanted(person: change.person, skill: change.skill))
        }
    }

    static func moreNeeded(_ respondents: Int, minimum: Int) -> String {
        let more = minimum - respondents
        return "Shown once \(minimum) people have answered, to keep answers anonymous: \(more) more \(more == 1 ? "is" : "are") needed."
    }
}
