import FluentKit
import Foundation
import MutualStore
import MutualTestSupport

/// A peer pair (Pia teaches Statistics and wants Hiring; Max teaches Hiring and wants
/// Statistics) with a movable clock, and meetings that have taken place.
struct LedgerFixture {
    let store: Store
    let clock: TestClock
    let org: SeededOrganisation
    let relationshipID: UUID
    var pia: Identity { org.participant }
    var max: Identity { org.manager }

    static func make(_ database: MutualDatabase) async throws -> LedgerFixture {
        let clock = TestClock()
        let store = Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
        let org = try await Seeds.organisation("Acme", in: store)
        let (_, relationshipID) = try await ProgrammeSeeds.relationship(store, org)
        return LedgerFixture(store: store, clock: clock, org: org, relationshipID: relationshipID)
    }

    /// Schedules a meeting an hour ahead and moves the clock two hours on, so it has started.
    func pastMeeting() async throws -> UUID {
        let id = try await futureMeeting()
        clock.advance(by: 2 * 3600)
        return id
    }

    /// A meeting `hoursAhead` hours from now.
    func futureMeeting(hoursAhead: Double = 1) async throws -> UUID {
        let draft = MeetingDraft(startsAt: clock.now.addingTimeInterval(hoursAhead * 3600), durationMinutes: 45, place: "Room 4", agenda: "")
        guard let meeting = try await store.scheduleMeetings(in: relationshipID, draft, by: pia).first else { throw SeedError("no meeting scheduled") }
        return meeting.id
    }

    /// Logs taught and learned skills by name, with a default note.
    @discardableResult
    func log(
        _ meetingID: UUID, by identity: Identity, taught: [String] = [], learned: [String] = [], rating: Int? = nil, commitment: String = ""
    ) async throws -> MeetingLogView {
        try await store.logMeeting(
            id: meetingID,
            MeetingLogDraft(
                taught: taught.map { .init(skill: $0, note: "taught \($0)") }, learned: learned.map { .init(skill: $0, note: "learned \($0)") },
                rating: rating, commitment: commitment),
            by: identity)
    }

    func logCount(_ meetingID: UUID, _ personID: UUID) async throws -> Int {
        try await MeetingLog.query(on: try store.database.database()).filter(\.$meetingID == meetingID).filter(\.$personID == personID).count()
    }
}
