import Foundation

extension ProgrammeDashboard {
    /// The dashboard of a programme from its facts and objectives, as of `now`.
    public static func build(
        programmeID: UUID, name: String, facts: ProgrammeFacts, objectives: [ObjectiveDraft], minimumRespondents: Int, now: Date
    ) -> ProgrammeDashboard {
        let measures = ProgrammeMeasures(facts: facts)
        let progress = cycleProgress(facts, now: now)
        let moments = trendMoments(facts, now: now)
        // Each measure once today, and each trended measure's points once, however many KPIs name it.
        var values: [Measure: MeasuredValue] = [:]
        for measure in Measure.allCases { values[measure] = measures.value(of: measure, at: now, now: now) }
        var trends: [Measure: [TrendPoint]] = [:]
        func trend(of measure: Measure) -> [TrendPoint] {
            if let known = trends[measure] { return known }
            let points = moments.map { moment in
                TrendPoint(
                    label: moment.label, at: moment.at,
                    value: moment.at == now ? values[measure]?.value : measures.value(of: measure, at: moment.at, now: now).value)
            }
            trends[measure] = points
            return points
        }
        var kpis: [KPIResult] = []
        for objective in objectives {
            for kpi in objective.kpis {
                guard let measure = Measure.recognise(kpi.name), let current = values[measure] else {
                    kpis.append(
                        KPIResult(
                            objective: objective.goal, kpi: kpi, measure: nil,
                            current: .missing("Mutual does not record this. Use one of the measures the objective editor lists, or report it yourself."),
                            expectedNow: kpi.target, status: .notMeasured, trend: []))
                    continue
                }
                let expected = measure.accumulates ? kpi.target * (progress ?? 1) : kpi.target
                kpis.append(
                    KPIResult(
                        objective: objective.goal, kpi: kpi, measure: measure, current: current, expectedNow: expected,
                        status: KPIStatus.of(current, against: expected, comparison: kpi.comparison), trend: trend(of: measure)))
            }
        }
        return ProgrammeDashboard(
            programmeID: programmeID, programmeName: name, model: facts.model, computedAt: now, cycleProgress: progress,
            funnel: funnel(facts, now: now), meetingsByMonth: meetingsByMonth(facts, now: now), measures: values,
            skillsGrowth: skillsGrowth(measures, now: now), kpis: kpis, minimumRespondents: minimumRespondents)
    }

    /// invited → enrolled → matched → accepted → met at least once → active in the last 30 days → completed.
    static func funnel(_ facts: ProgrammeFacts, now: Date) -> [FunnelStage] {
        let enrolled = Set(facts.enrolments.keys)
        let matched = Set(facts.matchAnswers.map(\.person)).union(facts.relationships.flatMap(\.members))
        let accepted = Set(facts.relationships.flatMap(\.members))
        let met = Set(facts.meetings.filter { $0.startsAt <= now }.map(\.relationship))
        let since = now.addingTimeInterval(-30 * ProgrammeMeasures.day)
        let recent = Set(facts.meetings.filter { $0.startsAt <= now && $0.startsAt > since }.map(\.relationship))
        func people(_ keep: (Int) -> Bool) -> Set<Int> {
            Set(facts.relationships.indices.filter(keep).flatMap { facts.relationships[$0].members })
        }
        let stages: [(String, String, Int)] = [
            ("invited", "Invited or enrolled", enrolled.count + facts.invitedNotEnrolled),
            ("enrolled", "Enrolled", enrolled.count),
            ("matched", "Matched", matched.count),
            ("accepted", "Accepted a match", accepted.count),
            ("met", "Met at least once", people { met.contains($0) }.count),
            ("active", "Active in the last 30 days", people { facts.relationships[$0].status.isOpen && recent.contains($0) }.count),
            ("completed", "Completed", people { facts.relationships[$0].status == .completed }.count),
        ]
        return stages.map { key, label, count in
            FunnelStage(key: key, label: label, people: count, ofEnrolled: .share(min(count, max(enrolled.count, count)), of: max(enrolled.count, count), none: "Nobody is enrolled yet."))
        }
    }

    /// The months from the first relationship (at most the last twelve), each with the meetings
    /// held in it and the relationships open at some time in it.
    static func meetingsByMonth(_ facts: ProgrammeFacts, now: Date) -> [MonthOfMeetings] {
        guard let first = facts.relationships.map(\.startedAt).min(), first <= now else { return [] }
        let months = monthStarts(from: first, to: now).suffix(12)
        var result: [MonthOfMeetings] = []
        for start in months {
            let end = min(calendar.date(byAdding: .month, value: 1, to: start)!, now)
            let meetings = facts.meetings.filter { $0.startsAt >= start && $0.startsAt < end }.count
            let open = facts.relationships.filter { $0.startedAt < end && ($0.endedAt.map { $0 >= start } ?? true) }.count
            result.append(MonthOfMeetings(month: monthLabel(start), meetings: meetings, relationships: open))
        }
        return result
    }

    static func skillsGrowth(_ measures: ProgrammeMeasures, now: Date) -> [SkillGrowth] {
        let inRelationships = measures.peopleStarted(at: now)
        var learners: [Int: Set<Int>] = [:]
        for want in measures.facts.wants where inRelationships[want.person] != nil { learners[want.skill, default: []].insert(want.person) }
        var grew: [Int: Set<Int>] = [:]
        var levels: [Int: Int] = [:]
        for raise in measures.skillRaises(at: now, firstStarts: inRelationships) {
            grew[raise.skill, default: []].insert(raise.person)
            levels[raise.skill, default: 0] += raise.toLevel - raise.fromLevel
        }
        return learners.map { skill, people in
            SkillGrowth(skill: measures.facts.skillNames[skill] ?? "A removed skill", learners: people.count, grew: grew[skill]?.count ?? 0, levelsGained: levels[skill] ?? 0)
        }
        .sorted { ($0.learners, $1.skill) > ($1.learners, $0.skill) }
    }

    /// How far through the cycle `now` is, 0…1; nil when the cycle has no dates.
    static func cycleProgress(_ facts: ProgrammeFacts, now: Date) -> Double? {
        guard let start = facts.cycleStart, let end = facts.cycleEnd, end > start else { return nil }
        // The last day counts whole: a cycle ending 30 June runs until 1 July.
        let length = end.addingTimeInterval(ProgrammeMeasures.day).timeIntervalSince(start)
        return min(1, max(0, now.timeIntervalSince(start) / length))
    }

    /// The ends of the months from the cycle's start (or the first relationship) until now, at
    /// most twelve, then now itself.
    static func trendMoments(_ facts: ProgrammeFacts, now: Date) -> [(label: String, at: Date)] {
        let origin = [facts.cycleStart, facts.relationships.map(\.startedAt).min(), facts.enrolments.values.min()].compactMap { $0 }.min() ?? now
        guard origin < now else { return [(monthLabel(now), now)] }
        var moments = monthStarts(from: origin, to: now).dropFirst().map { (label: monthLabel($0.addingTimeInterval(-1)), at: $0.addingTimeInterval(-1)) }
        moments = Array(moments.suffix(11))
        moments.append((label: "now", at: now))
        return moments
    }

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func monthStarts(from start: Date, to end: Date) -> [Date] {
        var month = calendar.date(from: calendar.dateComponents([.year, .month], from: start))!
        var months: [Date] = []
        while month <= end {
            months.append(month)
            month = calendar.date(byAdding: .month, value: 1, to: month)!
        }
        return months
    }

    /// `YYYY-MM` in UTC: the same label the feedback summary gives a month (``UTCDay``).
    static func monthLabel(_ date: Date) -> String { UTCDay(date).monthLabel }
}
