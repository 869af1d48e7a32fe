import Foundation
import MutualMatching
@testable import MutualStore
import Testing

@Suite("Programme measures: intervals, statuses and values as of a moment")
struct ProgrammeMeasuresTests {
    static let day: TimeInterval = 86_400
    static let origin = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("Wilson intervals match published values and always hold the observed share inside 0…1")
    func wilson() throws {
        // Reference values (Newcombe 1998, table I; also R's binom::binom.wilson).
        let none = try #require(WilsonInterval(successes: 0, trials: 10))
        #expect(abs(none.low - 0) < 1e-9 && abs(none.high - 0.2775) < 1e-4)
        let half = try #require(WilsonInterval(successes: 5, trials: 10))
        #expect(abs(half.low - 0.2366) < 1e-4 && abs(half.high - 0.7634) < 1e-4)
        let fifteen = try #require(WilsonInterval(successes: 15, trials: 148))
        #expect(abs(fifteen.low - 0.0624) < 1e-4 && abs(fifteen.high - 0.1605) < 1e-4)
        #expect(WilsonInterval(successes: 1, trials: 0) == nil && WilsonInterval(successes: 3, trials: 2) == nil)
        var generator = SeededGenerator(seed: 15)
        for _ in 0..<1_000 {
            let trials = Int.random(in: 1...400, using: &generator)
            let successes = Int.random(in: 0...trials, using: &generator)
            let interval = try #require(WilsonInterval(successes: successes, trials: trials))
            let share = Double(successes) / Double(trials)
            #expect(0 <= interval.low && interval.low <= share + 1e-12 && share - 1e-12 <= interval.high && interval.high <= 1)
            // Four times the people, the same share: a narrower interval.
            let wider = try #require(WilsonInterval(successes: successes * 4, trials: trials * 4))
            #expect(wider.high - wider.low < interval.high - interval.low + 1e-12)
        }
    }

    @Test("A KPI is on track at its target, at risk within 10 % or while its interval reaches the target, off track beyond")
    func statuses() {
        #expect(KPIStatus.of(.number(6, note: ""), against: 6, comparison: .atLeast) == .onTrack)
        #expect(KPIStatus.of(.number(5.5, note: ""), against: 6, comparison: .atLeast) == .atRisk)
        #expect(KPIStatus.of(.number(5, note: ""), against: 6, comparison: .atLeast) == .offTrack)
        #expect(KPIStatus.of(.number(2, note: ""), against: 2, comparison: .atMost) == .onTrack)
        #expect(KPIStatus.of(.number(2.1, note: ""), against: 2, comparison: .atMost) == .atRisk)
        #expect(KPIStatus.of(.number(3, note: ""), against: 2, comparison: .atMost) == .offTrack)
        #expect(KPIStatus.of(.missing("none"), against: 2, comparison: .atMost) == .noData)
        // 3 of 6 (50 %) against 80 %: more than 10 % short, but with six people the interval
        // (19–81 %) still reaches 80 %, so it may be chance.
        #expect(KPIStatus.of(.share(3, of: 6, none: ""), against: 80, comparison: .atLeast) == .atRisk)
        #expect(KPIStatus.of(.share(50, of: 100, none: ""), against: 80, comparison: .atLeast) == .offTrack)
    }

    @Test("KPI names are recognised by the editor's wording, an alias, any case and punctuation; others are not measured")
    func recognition() {
        #expect(Measure.recognise("Meetings per pair per cycle") == .meetingsPerPairPerCycle)
        #expect(Measure.recognise("meetings-per-relationship, per cycle") == .meetingsPerPairPerCycle)
        #expect(Measure.recognise("satisfaction") == .meetingUsefulness)
        #expect(Measure.recognise("workshops per in-demand skill") == nil)
        for measure in Measure.allCases { #expect(Measure.recognise(measure.name) == measure) }
    }

    /// Two pairs and a trio: A met twice, both teaching; B met once, one-way; C never met.
    static func handBuilt() -> ProgrammeFacts {
        let people = Array(0..<7)
        let sql = 0, python = 1
        func at(_ days: Double) -> Date { origin.addingTimeInterval(days * day) }
        return ProgrammeFacts(
            model: .pairs, cycleStart: at(0), cycleEnd: at(99),
            enrolments: Dictionary(uniqueKeysWithValues: people.map { ($0, at(-10)) }),
            matchAnswers: [.init(person: people[0], response: .accepted), .init(person: people[1], response: .accepted),
                .init(person: people[6], response: .declined)],
            relationships: [
                .init(status: .active, startedAt: at(1), endedAt: nil, members: [people[0], people[1]]),
                .init(status: .completed, startedAt: at(1), endedAt: at(50), members: [people[2], people[3]]),
                .init(status: .active, startedAt: at(2), endedAt: nil, members: [people[4], people[5]]),
            ],
            meetings: [.init(relationship: 0, startsAt: at(5)), .init(relationship: 0, startsAt: at(20)), .init(relationship: 1, startsAt: at(6)),
                .init(relationship: 2, startsAt: at(200))],
            teaching: [.init(relationship: 0, person: people[0], firstAt: at(5)), .init(relationship: 0, person: people[1], firstAt: at(20)),
                .init(relationship: 1, person: people[2], firstAt: at(6))],
            goals: [.init(person: people[0], createdAt: at(2), completedAt: at(30)), .init(person: people[1], createdAt: at(2), completedAt: nil),
                .init(person: people[2], createdAt: at(2), completedAt: nil)],
            milestones: [.init(dueAt: at(14), doneAt: at(10)), .init(dueAt: at(14), doneAt: at(16)), .init(dueAt: at(300), doneAt: nil)],
            wants: [.init(person: people[0], skill: sql), .init(person: people[1], skill: python), .init(person: people[2], skill: sql)],
            growth: [.init(person: people[0], skill: sql, fromLevel: 1, toLevel: 2, changedAt: at(40)),
                .init(person: people[1], skill: sql, fromLevel: 0, toLevel: 1, changedAt: at(40))],
            skillNames: [sql: "SQL", python: "Python"],
            feedback: .init(
                usefulness: .number(4, note: "6 check-ins from 5 people"), usefulnessByMonth: ["2026-09": 3.5, "2026-10": nil],
                health: .missing("2 more are needed"), recommend: .number(40, note: "5 reviews")),
            retained: (retained: 5, recorded: 6))
    }

    @Test("Every measure on a hand-built programme, counted by hand")
    func handCounted() {
        let now = Self.origin.addingTimeInterval(60 * Self.day)
        let measures = ProgrammeMeasures(facts: Self.handBuilt())
        func value(_ measure: Measure) -> Double? { measures.value(of: measure, at: now, now: now).value }
        #expect(value(.peopleEnrolled) == 7)
        // Six in relationships count as accepted; the seventh declined.
        #expect(value(.matchAcceptance).map { ($0 * 100).rounded() } == (100.0 * 6 / 7 * 100).rounded())
        #expect(value(.meetingsPerPairPerCycle) == 1, "3 meetings held (one is in the future) in 3 relationships")
        #expect(value(.pairsMetAtLeastOnce).map { $0.rounded() } == 67)
        // Open relationships A and C; only C's future meeting — neither held one in 30 days (A's last was day 20, now is 60).
        #expect(value(.activeInLast30Days) == 0)
        // Feedback comes guarded from the summary: today's figures as given, a hidden one absent.
        #expect(value(.meetingUsefulness) == 4 && value(.recommendScore) == 40 && value(.relationshipHealth) == nil)
        #expect(measures.value(of: .relationshipHealth, at: now, now: now).note == "2 more are needed")
        #expect(value(.retention).map { $0.rounded() } == 83)
        #expect(value(.goalCompletion).map { $0.rounded() } == 33)
        #expect(value(.participantsCompletingAGoal).map { $0.rounded() } == 33)
        #expect(value(.milestoneCompletion) == 50, "of two due, one done on time")
        // A: both taught; B: only its first member. C logged nothing and does not count.
        #expect(value(.reciprocityIndex) == 50)
        // Learners: people 0, 1, 2 want something; person 0 grew in SQL (wanted); person 1 grew in SQL, which he does not want.
        #expect(value(.skillsGrowth).map { $0.rounded() } == 33)
        #expect(value(.relationshipsCompleted).map { $0.rounded() } == 33)
        // A month's end reads that month's guarded usefulness; a hidden month has none; HR outcomes have no history.
        let september = ISO8601DateFormatter().date(from: "2026-09-30T23:59:59Z")!, october = ISO8601DateFormatter().date(from: "2026-10-31T23:59:59Z")!
        #expect(measures.value(of: .meetingUsefulness, at: september, now: now).value == 3.5)
        #expect(measures.value(of: .meetingUsefulness, at: october, now: now).value == nil)
        #expect(measures.value(of: .retention, at: september, now: now).value == nil)
    }

    @Test("A dashboard's funnel and a KPI's expected value halfway through its cycle")
    func funnelAndExpectation() throws {
        let facts = Self.handBuilt()
        let halfway = Self.origin.addingTimeInterval(50 * Self.day)
        let dashboard = ProgrammeDashboard.build(
            programmeID: UUID(), name: "P", facts: facts,
            objectives: [ObjectiveDraft(goal: "Meet", kpis: [KPI(name: "meetings per pair per cycle", comparison: .atLeast, target: 6, unit: ""),
                KPI(name: "workshops per in-demand skill", comparison: .atLeast, target: 2, unit: "")])],
            minimumRespondents: 5, now: halfway)
        #expect(dashboard.funnel.map(\.people) == [7, 7, 7, 6, 4, 0, 2])
        let kpi = try #require(dashboard.kpis.first)
        #expect(abs(kpi.expectedNow - 3) < 1e-9, "half the cycle (50 of 100 days) has passed: 3 of 6 meetings expected")
        #expect(kpi.status == .offTrack)
        #expect(dashboard.kpis[1].status == .notMeasured && dashboard.kpis[1].measure == nil)
        #expect(kpi.trend.last?.label == "now" && kpi.trend.last?.value == kpi.current.value)
    }

    /// The facts as they stood at `moment`: what happened later removed or undone.
    static func truncated(_ facts: ProgrammeFacts, at moment: Date) -> ProgrammeFacts {
        var result = facts
        let kept = facts.relationships.indices.filter { facts.relationships[$0].startedAt <= moment }
        let newIndex = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        result.relationships = kept.map { index in
            var relationship = facts.relationships[index]
            if let ended = relationship.endedAt, ended > moment {
                relationship.endedAt = nil
                relationship.status = .active
            }
            return relationship
        }
        result.enrolments = facts.enrolments.filter { $0.value <= moment }
        result.meetings = facts.meetings.compactMap { meeting in
            guard meeting.startsAt <= moment, let index = newIndex[meeting.relationship] else { return nil }
            return .init(relationship: index, startsAt: meeting.startsAt)
        }
        result.teaching = facts.teaching.compactMap { fact in
            guard fact.firstAt <= moment, let index = newIndex[fact.relationship] else { return nil }
            return .init(relationship: index, person: fact.person, firstAt: fact.firstAt)
        }
        result.goals = facts.goals.filter { $0.createdAt <= moment }.map { goal in
            .init(person: goal.person, createdAt: goal.createdAt, completedAt: (goal.completedAt ?? .distantFuture) <= moment ? goal.completedAt : nil)
        }
        result.milestones = facts.milestones.map { .init(dueAt: $0.dueAt, doneAt: ($0.doneAt ?? .distantFuture) <= moment ? $0.doneAt : nil) }
        result.growth = facts.growth.filter { $0.changedAt <= moment }
        return result
    }

    static func randomFacts(_ generator: inout SeededGenerator) -> ProgrammeFacts {
        let people = Array(0..<Int.random(in: 2...12, using: &generator))
        let skills = [0, 1, 2]
        func at() -> Date { origin.addingTimeInterval(Double(Int.random(in: 0...120, using: &generator)) * day) }
        var facts = ProgrammeFacts(model: Bool.random(using: &generator) ? .pairs : .groups, cycleStart: origin, cycleEnd: origin.addingTimeInterval(100 * day))
        for person in people { facts.enrolments[person] = at() }
        var shuffled = people.shuffled(using: &generator)
        while shuffled.count >= 2 {
            let members = [shuffled.removeLast(), shuffled.removeLast()]
            let started = at()
            let ended: Date? = Bool.random(using: &generator) ? started.addingTimeInterval(Double(Int.random(in: 1...60, using: &generator)) * day) : nil
            let status: Relationship.Status = ended == nil ? .active : (Bool.random(using: &generator) ? .completed : .dissolved)
            facts.relationships.append(.init(status: status, startedAt: started, endedAt: ended, members: members))
        }
        for index in facts.relationships.indices {
            let relationship = facts.relationships[index]
            for _ in 0..<Int.random(in: 0...4, using: &generator) {
                let when = relationship.startedAt.addingTimeInterval(Double(Int.random(in: 0...50, using: &generator)) * day)
                facts.meetings.append(.init(relationship: index, startsAt: when))
            }
            for person in relationship.members where Bool.random(using: &generator) {
                facts.teaching.append(.init(relationship: index, person: person, firstAt: relationship.startedAt.addingTimeInterval(Double(Int.random(in: 0...40, using: &generator)) * day)))
                let created = relationship.startedAt.addingTimeInterval(day)
                facts.goals.append(.init(person: person, createdAt: created, completedAt: Bool.random(using: &generator) ? created.addingTimeInterval(Double(Int.random(in: 1...60, using: &generator)) * day) : nil))
                let skill = skills.randomElement(using: &generator)!
                facts.wants.append(.init(person: person, skill: skill))
                facts.growth.append(.init(person: person, skill: skills.randomElement(using: &generator)!, fromLevel: 1, toLevel: 2, changedAt: at()))
            }
            let due = at()
            facts.milestones.append(.init(dueAt: due, doneAt: Bool.random(using: &generator) ? due.addingTimeInterval(Double(Int.random(in: -10...10, using: &generator)) * day) : nil))
        }
        return facts
    }

    @Test("A trend point never sees the future: on 300 random programmes, every measure at a moment equals the measure of the facts cut at that moment")
    func asOfIsTruncation() {
        var generator = SeededGenerator(seed: 1_515)
        for trial in 0..<300 {
            let facts = Self.randomFacts(&generator)
            let moment = Self.origin.addingTimeInterval(Double(Int.random(in: 0...150, using: &generator)) * Self.day)
            let full = ProgrammeMeasures(facts: facts)
            let cut = ProgrammeMeasures(facts: Self.truncated(facts, at: moment))
            let now = Self.origin.addingTimeInterval(400 * Self.day)
            for measure in Measure.allCases where measure != .matchAcceptance {
                let a = full.value(of: measure, at: moment, now: now), b = cut.value(of: measure, at: moment, now: now)
                #expect(a.value == b.value, "trial \(trial), \(measure): \(String(describing: a.value)) vs \(String(describing: b.value))")
            }
        }
    }
}
