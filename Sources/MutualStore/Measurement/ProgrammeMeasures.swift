import Foundation

/// Computes every ``Measure`` from a programme's ``ProgrammeFacts`` as of a moment: only rows
/// that existed then count (relationships started, meetings begun, goals done by then), so
/// the same code gives today's value and the trend's earlier points. Feedback scores come
/// already guarded from ``FeedbackSummary``: today's figure, and for meeting usefulness the
/// month's figure at a month's end; HR outcomes have no history, so only today's.
public struct ProgrammeMeasures: Sendable {
    public let facts: ProgrammeFacts
    /// Everyone with a want, and each (person, skill) wanted.
    let learners: Set<Int>
    let wanted: Set<PersonSkill>
    /// The members of each relationship, as sets.
    let memberSets: [Set<Int>]

    struct PersonSkill: Hashable {
        let person: Int
        let skill: Int
    }

    public init(facts: ProgrammeFacts) {
        self.facts = facts
        learners = Set(facts.wants.map(\.person))
        wanted = Set(facts.wants.map { PersonSkill(person: $0.person, skill: $0.skill) })
        memberSets = facts.relationships.map { Set($0.members) }
    }

    static let day: TimeInterval = 86_400

    /// The measure's value at `moment`; `now` says which moment is today (for figures that
    /// exist only today).
    public func value(of measure: Measure, at moment: Date, now: Date) -> MeasuredValue {
        let started = facts.relationships.indices.filter { facts.relationships[$0].startedAt <= moment }
        let noRelationships = "No relationship has started yet."
        switch measure {
        case .peopleEnrolled:
            let count = facts.enrolments.values.filter { $0 <= moment }.count
            return .number(Double(count), note: "\(count) enrolled")
        case .matchAcceptance:
            // People sent a published match, plus everyone in a self-match (accepted by asking or answering).
            var answered: [Int: Bool] = [:]
            for answer in facts.matchAnswers { answered[answer.person] = (answered[answer.person] ?? false) || answer.response == .accepted }
            for at in started { for person in facts.relationships[at].members { answered[person] = true } }
            return .share(answered.values.filter { $0 }.count, of: answered.count, none: "No match has been sent yet.")
        case .peopleInAcceptedMatch:
            let enrolled = Set(facts.enrolments.filter { $0.value <= moment }.keys)
            let accepted = Set(started.flatMap { facts.relationships[$0].members }).intersection(enrolled)
            return .share(accepted.count, of: enrolled.count, none: "Nobody is enrolled yet.")
        case .meetingsPerPairPerCycle:
            guard !started.isEmpty else { return .missing(noRelationships) }
            let held = heldMeetings(at: moment)
            return .number(Double(held) / Double(started.count), note: "\(held) meetings in \(started.count) relationships")
        case .meetingsPerPairPerMonth:
            guard !started.isEmpty else { return .missing(noRelationships) }
            let held = heldMeetings(at: moment)
            // Each relationship counts for the months it was open, at least one.
            let months = started.reduce(0.0) { total, at in
                let relationship = facts.relationships[at]
                let end = min(moment, relationship.endedAt ?? moment)
                return total + max(1, end.timeIntervalSince(relationship.startedAt) / (30.44 * Self.day))
            }
            return .number(Double(held) / months, note: "\(held) meetings over \(Int(months.rounded())) relationship-months")
        case .pairsMetAtLeastOnce:
            var met = [Bool](repeating: false, count: facts.relationships.count)
            for meeting in facts.meetings where meeting.startsAt <= moment { met[meeting.relationship] = true }
            return .share(started.filter { met[$0] }.count, of: started.count, none: noRelationships)
        case .activeInLast30Days:
            let open = started.filter { facts.relationships[$0].endedAt.map { $0 > moment } ?? true }
            let since = moment.addingTimeInterval(-30 * Self.day)
            var active = [Bool](repeating: false, count: facts.relationships.count)
            for meeting in facts.meetings where meeting.startsAt <= moment && meeting.startsAt > since { active[meeting.relationship] = true }
            return .share(open.filter { active[$0] }.count, of: open.count, none: "No relationship is open.")
        case .meetingUsefulness:
            guard let feedback = facts.feedback else { return .missing("No check-ins yet.") }
            if moment >= now { return feedback.usefulness }
            let month = ProgrammeDashboard.monthLabel(moment)
            guard let value = feedback.usefulnessByMonth[month] ?? nil else { return .missing("Not enough check-ins in \(month) to show.") }
            return .number(value, note: "check-ins in \(month)")
        case .relationshipHealth:
            guard moment >= now, let feedback = facts.feedback else { return .missing("Pulses are shown for today only.") }
            return feedback.health
        case .recommendScore:
            guard moment >= now, let feedback = facts.feedback else { return .missing("Reviews are shown for today only.") }
            return feedback.recommend
        case .retention:
            guard moment >= now, let retained = facts.retained else {
                return .missing("Import a \(Store.retentionOutcome) HR outcome (1 retained, 0 left) to measure retention.")
            }
            return .share(retained.retained, of: retained.recorded, none: "")
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
            var teachers: [Int: Set<Int>] = [:]
            for fact in facts.teaching where fact.firstAt <= moment { teachers[fact.relationship, default: []].insert(fact.person) }
            let both = teachers.filter { at, people in memberSets[at].isSubset(of: people) }.count
            return .share(both, of: teachers.count, none: "No member has logged teaching yet.")
        case .skillsGrowth:
            let first = peopleStarted(at: moment)
            let growers = Set(skillRaises(at: moment, firstStarts: first).map(\.person))
            let inRelationships = learners.filter { first[$0] != nil }
            return .share(growers.intersection(inRelationships).count, of: inRelationships.count, none: "No one in a relationship wants to learn anything yet.")
        case .relationshipsCompleted:
            let completed = started.filter { at in
                facts.relationships[at].status == .completed && (facts.relationships[at].endedAt ?? moment) <= moment
            }
            return .share(completed.count, of: started.count, none: noRelationships)
        }
    }

    /// Meetings begun by then, of relationships begun by then.
    func heldMeetings(at moment: Date) -> Int {
        facts.meetings.reduce(0) { count, meeting in
            count + (meeting.startsAt <= moment && facts.relationships[meeting.relationship].startedAt <= moment ? 1 : 0)
        }
    }

    /// Each person in a relationship by then, with the start of their first one.
    func peopleStarted(at moment: Date) -> [Int: Date] {
        var first: [Int: Date] = [:]
        for relationship in facts.relationships where relationship.startedAt <= moment {
            for person in relationship.members { first[person] = min(first[person] ?? .distantFuture, relationship.startedAt) }
        }
        return first
    }

    /// Raised levels in a wanted skill after the person's first relationship began, up to then.
    func skillRaises(at moment: Date, firstStarts: [Int: Date]) -> [ProgrammeFacts.GrowthFact] {
        facts.growth.filter { change in
            guard let start = firstStarts[change.person], change.changedAt >= start, change.changedAt <= moment else { return false }
            return change.toLevel > change.fromLevel && wanted.contains(PersonSkill(person: change.person, skill: change.skill))
        }
    }
}
