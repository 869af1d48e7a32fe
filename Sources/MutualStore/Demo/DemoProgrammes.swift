import FluentKit
import Foundation

/// The demo organisation's programmes: one of each model, with objectives, enrolled people and
/// a published match run in which some matches are already accepted and working under a signed
/// agreement, so a newcomer sees the product working.
enum DemoProgrammes {
    struct Plan {
        let draft: ProgrammeDraft
        let objectives: [ObjectiveDraft]
        /// Which demo people (by position in the generated list) take part, and in what role.
        let members: (Int, DemoPeople.Entry) -> EnrolmentRole?
    }

    static func plans(today: String, cycleStart: String, cycleEnd: String) -> [Plan] {
        let retention = ObjectiveDraft(
            goal: "Keep the people we grow", kpis: [KPI(name: "retention of participants after a year", comparison: .atLeast, target: 85, unit: "%")])
        return [
            Plan(
                draft: ProgrammeDraft(
                    name: "Cross-team skill swap", description: "Pairs who are each a step ahead in something the other wants to learn.",
                    model: .pairs, structure: .formal, cadence: "every two weeks",
                    agendaTemplate: "1. What each of us tried since last time\n2. One skill, taught by whoever is ahead\n3. Next step for each",
                    cycleStart: cycleStart, cycleEnd: cycleEnd, enrolmentOpens: today, enrolmentCloses: cycleStart, selfEnrolment: true),
                objectives: [
                    retention,
                    ObjectiveDraft(
                        goal: "Spread skills across teams",
                        kpis: [
                            KPI(name: "meetings per pair per cycle", comparison: .atLeast, target: 6, unit: ""),
                            KPI(name: Measure.reciprocityIndex.name, comparison: .atLeast, target: 75, unit: "%"),
                        ]),
                ],
                members: { index, person in index % 3 == 0 || person.email == DemoOrganisation.participantEmail ? .peer : nil }),
            Plan(
                draft: ProgrammeDraft(
                    name: "New joiner buddies", description: "A buddy with similar interests for everyone's first months.", model: .buddies,
                    cycleStart: cycleStart, cycleEnd: cycleEnd, requiredFields: [.wants]),
                objectives: [ObjectiveDraft(goal: "Welcome new joiners", kpis: [KPI(name: Measure.peopleInAcceptedMatch.name, comparison: .atLeast, target: 90, unit: "%")])],
                members: { index, _ in index % 7 == 1 ? .peer : nil }),
            Plan(
                draft: ProgrammeDraft(
                    name: "Leadership mentoring", description: "Senior people mentor those stepping into their first lead role.", model: .mentoring,
                    structure: .formal, cadence: "monthly", cycleStart: cycleStart, cycleEnd: cycleEnd, capacity: 2),
                objectives: [retention],
                members: { index, person in
                    guard index % 4 == 2 else { return nil }
                    return person.level >= 4 ? .mentor : (person.level <= 2 ? .mentee : nil)
                }),
            Plan(
                draft: ProgrammeDraft(
                    name: "Managers' mastermind circles", description: "Groups of five managers who act as a board for each other.",
                    model: .groups, structure: .formal, cadence: "every three weeks", cycleStart: cycleStart, cycleEnd: cycleEnd),
                objectives: [ObjectiveDraft(goal: "Grow confident managers", kpis: [KPI(name: Measure.participantsCompletingAGoal.name, comparison: .atLeast, target: 70, unit: "%")])],
                members: { index, person in index % 7 == 4 && person.level >= 3 ? .peer : nil }),
        ]
    }
}

extension Store {
    /// Creates the demo programmes, enrols their people, runs and publishes matching, and has
    /// the first few matches (not the demo participant's, which waits for them) accepted.
    func loadDemoProgrammes(admin: Identity, people: [DemoPeople.Entry]) async throws {
        let calendar = Calendar(identifier: .gregorian)
        let start = calendar.date(byAdding: .day, value: 14, to: clock.now) ?? clock.now
        let end = calendar.date(byAdding: .month, value: 6, to: start) ?? start
        let ids = Dictionary(
            try await Person.query(on: try db()).filter(\.$organisationID == admin.organisationID).all().map { ($0.externalID, try $0.requireID()) },
            uniquingKeysWith: { a, _ in a })
        for plan in DemoProgrammes.plans(today: isoDate(clock.now), cycleStart: isoDate(start), cycleEnd: isoDate(end)) {
            let programme = try await createProgramme(plan.draft, objectives: plan.objectives, by: admin)
            var byRole: [EnrolmentRole: [UUID]] = [:]
            for (index, person) in people.enumerated() {
                if let role = plan.members(index, person), let id = ids[person.externalID] { byRole[role, default: []].append(id) }
            }
            for (role, members) in byRole.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                _ = try await enrol(personIDs: members, role: role, in: programme.id, by: admin)
            }
            let run = try await matchRunner.start(programmeID: programme.id, seed: 1, by: admin)
            await matchRunner.execute(runID: run.id)
            guard try await matchRun(id: run.id, of: admin).status == .done else { continue }
            _ = try await publishMatchRun(id: run.id, by: admin)
            try await acceptDemoMatches(runID: run.id, count: 2, sparing: admin.organisationID)
        }
    }

    /// Accepts the first `count` matches of a run for everyone in them, as if they had answered,
    /// skipping any with the demo participant; the first becomes a relationship with a signed agreement.
    func acceptDemoMatches(runID: UUID, count: Int, sparing organisationID: UUID) async throws {
        let participant = try await Person.query(on: try db()).filter(\.$organisationID == organisationID)
            .filter(\.$email == DemoOrganisation.participantEmail).first()?.id
        let matches = try await PublishedMatch.query(on: try db()).filter(\.$runID == runID).all()
        var accepted = 0
        for match in matches where accepted < count {
            let matchID = try match.requireID()
            let members = try await MatchMember.query(on: try db()).filter(\.$matchID == matchID).sort(\.$position).all()
            guard !members.contains(where: { $0.personID == participant }),
                let programme = try await Programme.find(match.programmeID, on: try db())
            else { continue }
            let now = clock.now
            let signed = accepted == 0
            try await transaction { transaction in
                for member in members {
                    member.response = .accepted
                    member.respondedAt = now
                    try await member.save(on: transaction)
                }
                match.status = .accepted
                try await match.save(on: transaction)
                let relationship = try await openRelationship(
                    programme: programme, matchID: matchID, memberIDs: members.map(\.personID), actor: nil, on: transaction)
                guard signed else { return }
                relationship.vision = "Each of us leaves the cycle able to do one thing we could not do before, taught by the other."
                if relationship.cadence.isEmpty { relationship.cadence = "every two weeks" }
                relationship.boundaries = "No performance reviews or pay."
                relationship.confidentiality = "What we share about our teams stays between us."
                relationship.agreementVersion = 2
                relationship.agreementUpdatedAt = now
                try await relationship.save(on: transaction)
                for member in try await RelationshipMember.query(on: transaction).filter(\.$relationshipID == relationship.requireID()).all() {
                    member.signedVersion = 2
                    member.signedAt = now
                    try await member.save(on: transaction)
                }
            }
            accepted += 1
        }
    }
}
