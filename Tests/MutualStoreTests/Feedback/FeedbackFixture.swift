import FluentKit
import Foundation
import MutualStore
import MutualTestSupport

/// An organisation with a programme whose cycle starts 2027-02-01 (the test clock starts on
/// 2027-01-15), participants with accounts, and helpers that open relationships and write
/// feedback requests directly, so a test can have many respondents without match runs.
struct FeedbackFixture {
    let store: Store
    let clock: TestClock
    let org: SeededOrganisation
    let programmeID: UUID

    static func make(_ database: MutualDatabase) async throws -> FeedbackFixture {
        let clock = TestClock()
        let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
        let org = try await Seeds.organisation("Acme", in: store)
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Peers", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
        return FeedbackFixture(store: store, clock: clock, org: org, programmeID: programme.id)
    }

    /// Another programme of the same organisation.
    func programme(_ name: String) async throws -> UUID {
        try await store.createProgramme(
            ProgrammeDraft(name: name, model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager
        ).id
    }

    /// `count` participants with accounts, named P1, P2….
    func participants(_ count: Int, prefix: String = "P") async throws -> [Identity] {
        var people: [Identity] = []
        for index in 1...count {
            people.append(try await Seeds.participant("\(prefix)\(index)", in: org, store: store, strengths: [("SQL", 3)], wants: [("Python", 1)]))
        }
        return people
    }

    /// An active relationship of `members` in `programmeID` (default: the fixture's), opened now.
    func relationship(_ members: [Identity], in programmeID: UUID? = nil) async throws -> UUID {
        let database = try store.database.database()
        let relationship = Relationship()
        let id = UUID()
        relationship.id = id
        relationship.organisationID = org.admin.organisationID
        relationship.programmeID = programmeID ?? self.programmeID
        relationship.status = .active
        relationship.endReason = ""
        relationship.startedAt = clock.now
        relationship.vision = ""
        relationship.boundaries = ""
        relationship.confidentiality = ""
        relationship.cadence = ""
        relationship.cadenceInterval = ""
        relationship.cadenceDays = 0
        relationship.structure = .formal
        relationship.agreementVersion = 1
        try await relationship.create(on: database)
        for (position, member) in members.enumerated() {
            let row = RelationshipMember()
            row.organisationID = org.admin.organisationID
            row.relationshipID = id
            row.personID = member.personID
            row.position = position
            row.goals = ""
            row.signedVersion = 1
            try await row.create(on: database)
        }
        return id
    }

    /// A request of `kind` for `person` in `relationshipID`, made now.
    func request(_ kind: FeedbackKind, for person: Identity, in relationshipID: UUID, programmeID: UUID? = nil) async throws -> UUID {
        let request = FeedbackRequest()
        let id = UUID()
        request.id = id
        request.organisationID = org.admin.organisationID
        request.programmeID = programmeID ?? self.programmeID
        request.relationshipID = relationshipID
        request.personID = person.personID
        request.kind = kind
        request.requestKey = "test:\(id)"
        request.createdAt = clock.now
        try await request.create(on: try store.database.database())
        return id
    }

    /// Each person answers one check-in (in one shared relationship per pair of people) with `score`.
    func checkIns(_ people: [Identity], score: Int, programmeID: UUID? = nil, comment: String = "", shared: Bool = false) async throws {
        let relationship = try await relationship(people, in: programmeID)
        for person in people {
            let id = try await request(.checkIn, for: person, in: relationship, programmeID: programmeID)
            // A second apart, so answers are ordered as given (batches are cut in answer order).
            clock.advance(by: 1)
            try await store.answerFeedback(requestID: id, FeedbackAnswer(score: score, comment: comment, shared: shared), by: person)
        }
    }

    func summary(_ programmeID: UUID? = nil) async throws -> FeedbackSummary {
        try await store.feedbackSummary(programmeID: programmeID ?? self.programmeID, of: org.manager)
    }
}
