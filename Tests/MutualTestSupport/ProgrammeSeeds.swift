import Foundation
import MutualStore

/// A small programme whose best matching is known: three complementary pairs and one person
/// who fits nobody (another language, nothing anyone wants).
public enum ProgrammeSeeds {
    public static let people = """
        id,name,department,level,timezone,languages,strengths,wants
        A1,Ana,Data,3,Europe/Lisbon,en,SQL:4,Python:1
        B1,Ben,Engineering,3,Europe/Berlin,en,Python:4,SQL:2
        C1,Caro,Sales,3,Europe/Madrid,en,Negotiation:4,Public Speaking:1
        D1,Dev,Marketing,3,Europe/London,en,Public Speaking:4,Negotiation:2
        E1,Eli,People,3,Europe/Paris,en,Coaching:3,Budgeting:1
        F1,Fay,Finance,3,Europe/Rome,en,Budgeting:3,Coaching:1
        Z1,Zed,Legal,3,Asia/Tokyo,ja,Contract Law:4,

        """

    /// Imports the people and creates a programme with all seven enrolled.
    public static func programme(_ store: Store, _ org: SeededOrganisation, model: ProgrammeModel = .pairs) async throws -> ProgrammeDetail {
        _ = try await store.importPeople(into: org.admin.organisationID, csv: people, options: .init(mode: .allOrNothing))
        let detail = try await store.createProgramme(
            ProgrammeDraft(name: "Peers \(model.rawValue)", model: model, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
        _ = try await store.enrol(csv: "id\nA1\nB1\nC1\nD1\nE1\nF1\nZ1\n", in: detail.id, by: org.manager)
        return detail
    }

    /// A programme where the seeded participant and manager (who have accounts) can only pair
    /// with each other, and C1 and D1 (who do not) pair with each other.
    public static func accountsProgramme(_ store: Store, _ org: SeededOrganisation) async throws -> ProgrammeDetail {
        _ = try await store.importPeople(into: org.admin.organisationID, csv: people, options: .init(mode: .allOrNothing))
        _ = try await store.updateProfile(
            personID: org.participant.personID,
            with: ProfileUpdate(
                name: "Pia Participant", email: org.participantEmail, level: 3, timeZone: "Europe/Lisbon", languages: ["en"],
                strengths: [("Statistics", 4)], wants: [("Hiring", 1)]),
            by: org.admin)
        _ = try await store.updateProfile(
            personID: org.manager.personID,
            with: ProfileUpdate(
                name: "Max Manager", email: org.managerEmail, level: 3, timeZone: "Europe/Berlin", languages: ["en"],
                strengths: [("Hiring", 4)], wants: [("Statistics", 2)]),
            by: org.admin)
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Swap", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
        _ = try await store.enrol(personIDs: [org.participant.personID, org.manager.personID], in: programme.id, by: org.manager)
        _ = try await store.enrol(csv: "id\nC1\nD1\n", in: programme.id, by: org.manager)
        return programme
    }

    /// Runs matching on the programme and waits for the result.
    public static func run(_ store: Store, _ programme: ProgrammeDetail, _ org: SeededOrganisation) async throws -> MatchRunSummary {
        let started = try await store.matchRunner.start(programmeID: programme.id, by: org.manager)
        await store.matchRunner.execute(runID: started.id)
        return try await store.matchRun(id: started.id, of: org.manager)
    }

    /// Publishes the accounts programme's run and has the participant and the manager accept
    /// their match: returns the programme and the relationship it became.
    public static func relationship(_ store: Store, _ org: SeededOrganisation) async throws -> (ProgrammeDetail, UUID) {
        let programme = try await accountsProgramme(store, org)
        let run = try await run(store, programme, org)
        _ = try await store.publishMatchRun(id: run.id, by: org.manager)
        guard let match = try await store.myMatches(of: org.participant).first else { throw SeedError("the run published no match for the participant") }
        try await store.respond(toMatch: match.id, accept: true, by: org.participant)
        try await store.respond(toMatch: match.id, accept: true, by: org.manager)
        guard let id = try await store.myMatches(of: org.participant).first?.relationshipID else { throw SeedError("accepting opened no relationship") }
        return (programme, id)
    }

    /// A self-match programme (capacity 1 unless given). Xena teaches what Ari, Bo and Cy want
    /// and they teach what she wants; Cy speaks only Japanese, so the rules forbid her.
    public struct SelfMatchPool: Sendable {
        public let programme: ProgrammeDetail
        public let xena: Identity, ari: Identity, bo: Identity, cy: Identity
    }

    public static func selfMatchPool(_ store: Store, _ org: SeededOrganisation, capacity: Int = 1) async throws -> SelfMatchPool {
        let xena = try await Seeds.participant("Xena", in: org, store: store, strengths: [("SQL", 4)], wants: [("Python", 1), ("Design", 1)])
        let ari = try await Seeds.participant("Ari", in: org, store: store, strengths: [("Python", 4), ("Design", 4)], wants: [("SQL", 1)])
        let bo = try await Seeds.participant("Bo", in: org, store: store, strengths: [("Python", 3)], wants: [("SQL", 2)])
        let cy = try await Seeds.participant("Cy", in: org, store: store, strengths: [("Python", 4)], wants: [("SQL", 1)])
        _ = try await store.updateProfile(
            personID: cy.personID,
            with: ProfileUpdate(name: "Cy", email: nil, level: 3, timeZone: "Asia/Tokyo", languages: ["ja"], strengths: [("Python", 4)], wants: [("SQL", 1)]),
            by: org.admin)
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Choose your peer", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", capacity: capacity, selfMatch: true),
            objectives: [], by: org.manager)
        _ = try await store.enrol(personIDs: [xena.personID, ari.personID, bo.personID, cy.personID], in: programme.id, by: org.manager)
        return SelfMatchPool(programme: programme, xena: xena, ari: ari, bo: bo, cy: cy)
    }
}

/// A seed that did not produce what the tests need.
public struct SeedError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
