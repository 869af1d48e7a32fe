import FluentKit
import Foundation
import SQLKit

/// The demo's impact story: last year's finished cycle of leadership mentoring, and the HR
/// outcomes twelve months on (`retained_12m`, `promoted_12m`) for everyone.
///
/// The outcomes are simulated with a modest true effect of taking part (+6 points retained,
/// +5 points promoted) and with confounding: senior people and engineers joined more often and
/// do better anyway. So the raw difference on the programme's Impact page overstates the effect,
/// and the matched comparison shows by how much.
enum DemoOutcomes {
    static let programmeName = "Leadership mentoring, 2025 cycle"
    static let retainedEffect = 0.06
    static let promotedEffect = 0.05

    /// How likely someone was to join: rising with level, far higher in Engineering and Data.
    static func joinProbability(level: Int, department: String) -> Double {
        0.04 + 0.05 * Double(level - 1) + (["Engineering", "Data & Analytics"].contains(department) ? 0.22 : 0)
    }

    static func retainedProbability(level: Int, department: String, joined: Bool) -> Double {
        min(0.98, 0.58 + 0.07 * Double(level - 1) + (["Engineering", "Data & Analytics"].contains(department) ? 0.12 : 0) + (joined ? retainedEffect : 0))
    }

    static func promotedProbability(level: Int, department: String, joined: Bool) -> Double {
        0.05 + 0.04 * Double(level - 1) + (["Engineering", "Data & Analytics"].contains(department) ? 0.06 : 0) + (joined ? promotedEffect : 0)
    }
}

extension Store {
    /// Creates last year's finished programme with its (completed or ended-early) relationships
    /// and imports the organisation's HR outcomes. Historical rows are written directly, without
    /// the events a live change records: nobody should be emailed about a cycle that ended a year ago.
    func loadDemoOutcomes(admin: Identity) async throws {
        let calendar = Calendar(identifier: .gregorian)
        let start = calendar.date(byAdding: .month, value: -15, to: clock.now) ?? clock.now
        let end = calendar.date(byAdding: .month, value: -9, to: clock.now) ?? clock.now
        let detail = try await createProgramme(
            ProgrammeDraft(
                name: DemoOutcomes.programmeName,
                description: "Last year's cycle, now finished. Its Impact page compares the participants' retention and promotion a year on with matched colleagues.",
                model: .mentoring, structure: .formal, cadence: "monthly", cycleStart: isoDate(start), cycleEnd: isoDate(end)),
            objectives: [ObjectiveDraft(goal: "Keep the people we grow", kpis: [KPI(name: "retention of participants after a year", comparison: .atLeast, target: 85, unit: "%")])],
            by: admin)
        guard let programme = try await Programme.find(detail.id, on: try db()) else { return }
        let people = try await Person.query(on: try db()).filter(\.$organisationID == admin.organisationID).sort(\.$externalID).all()
            .filter { $0.email != DemoOrganisation.participantEmail && $0.id != admin.personID }
        var random = DemoRandom(seed: 2025)
        var joined: [Person] = []
        var outcomes: [(personID: UUID, outcome: String, value: Double)] = []
        for person in people {
            let level = max(1, person.level)
            let didJoin = random.unit() < DemoOutcomes.joinProbability(level: level, department: person.department)
            if didJoin { joined.append(person) }
            let personID = try person.requireID()
            let retained = random.unit() < DemoOutcomes.retainedProbability(level: level, department: person.department, joined: didJoin)
            let promoted = random.unit() < DemoOutcomes.promotedProbability(level: level, department: person.department, joined: didJoin)
            outcomes.append((personID, "retained_12m", retained ? 1 : 0))
            outcomes.append((personID, "promoted_12m", promoted ? 1 : 0))
        }
        // Mentors are the more senior half of those who joined; each takes one mentee.
        let bySeniority = joined.sorted { ($0.level, $0.externalID) > ($1.level, $1.externalID) }
        let pairs = bySeniority.count / 2
        let now = clock.now
        let rows = outcomes
        try await transaction { transaction in
            for index in 0..<pairs {
                let mentor = bySeniority[index], mentee = bySeniority[bySeniority.count - 1 - index]
                let relationship = Relationship()
                relationship.organisationID = admin.organisationID
                relationship.programmeID = try programme.requireID()
                let completed = index % 10 < 7
                relationship.status = completed ? .completed : .dissolved
                relationship.endReason = completed ? "" : "ended early"
                relationship.startedAt = start
                relationship.endedAt = completed ? end : (calendar.date(byAdding: .month, value: 2, to: start) ?? end)
                relationship.vision = ""
                relationship.boundaries = ""
                relationship.confidentiality = ""
                relationship.cadence = "monthly"
                relationship.cadenceInterval = ""
                relationship.cadenceDays = 0
                relationship.structure = .formal
                relationship.agreementVersion = 1
                try await relationship.create(on: transaction)
                for (position, person) in [mentor, mentee].enumerated() {
                    let member = RelationshipMember()
                    member.organisationID = admin.organisationID
                    member.relationshipID = try relationship.requireID()
                    member.personID = try person.requireID()
                    member.position = position
                    member.goals = ""
                    member.signedVersion = 1
                    member.signedAt = start
                    try await member.create(on: transaction)
                }
            }
            guard let sql = transaction as? any SQLDatabase else { return }
            var startIndex = 0
            while startIndex < rows.count {
                let stop = min(rows.count, startIndex + Self.outcomeRowsPerInsert)
                let insert = sql.insert(into: HROutcome.schema).columns("id", "organisation_id", "person_id", "outcome", "value", "imported_at")
                for row in rows[startIndex..<stop] {
                    insert.values([SQLBind(UUID()), SQLBind(admin.organisationID), SQLBind(row.personID), SQLBind(row.outcome), SQLBind(row.value), SQLBind(now)])
                }
                try await insert.run()
                startIndex = stop
            }
            try await self.record(
                NewEvent(
                    .outcomesImported, organisationID: admin.organisationID, actor: admin.personID, subject: UUID(),
                    payload: ["created": .int(rows.count), "updated": .int(0), "rejected": .int(0), "outcomes": .int(2), "mode": .string(PeopleImportMode.allOrNothing.rawValue)]),
                on: transaction)
        }
    }
}
