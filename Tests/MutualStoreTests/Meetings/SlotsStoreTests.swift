import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Finding a time for a relationship")
struct SlotsStoreTests {
    /// Monday 4 January 2027, 00:00 UTC. Pia is in Lisbon (UTC+0 in winter), Max in Berlin (UTC+1).
    static let monday = Date(timeIntervalSince1970: 1_799_020_800)

    static func utc(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    @Test("Slots come from each member's week in their own zone, the default week when unset, and skip their meetings", arguments: TestBackend.all)
    func slotsFromWeeksAndMeetings(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Self.monday)
            let store = ProgrammeStoreTests.store(database, clock: clock)
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)

            // Neither has set availability: 09:00–17:00 in Lisbon (09–17 UTC) and in Berlin (08–16
            // UTC) leave 09:00–16:00 UTC; 12:00–12:45 is 180 minutes from either end.
            let unset = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.participant)
            #expect(Set(unset.membersWithoutAvailability.map(\.name)) == ["Pia Participant", "Max Manager"])
            #expect(unset.slots.count == 20)
            let weekdays = ["04", "05", "06", "07", "08", "11", "12", "13", "14", "15"]
            #expect(unset.slots.prefix(10).map { Self.utc($0.startsAt) } == weekdays.map { "2027-01-\($0)T12:00:00Z" })
            #expect(unset.slots.allSatisfy { $0.startsAt >= Self.monday && $0.endsAt <= Self.monday + 14 * 86_400 })
            #expect(unset.members.first { $0.isViewer }?.timeZone.identifier == "Europe/Lisbon")
            #expect(unset.viewerTimeZone.identifier == "Europe/Lisbon" && unset.viewerIsMember && unset.isOpen)

            // Pia can only do Mondays 10:00–11:00 in Lisbon: one 45-minute slot each Monday.
            _ = try await store.updateProfile(
                personID: org.participant.personID,
                with: ProfileUpdate(
                    name: "Pia Participant", email: org.participantEmail, level: 3, timeZone: "Europe/Lisbon", languages: ["en"],
                    strengths: [("Statistics", 4)], wants: [("Hiring", 1)],
                    availability: [AvailabilityWindow(weekday: 1, startMinute: 600, endMinute: 660)]),
                by: org.admin)
            let mondays = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.manager)
            #expect(mondays.membersWithoutAvailability.map(\.name) == ["Max Manager"])
            #expect(mondays.slots.map { Self.utc($0.startsAt) } == ["2027-01-04T10:00:00Z", "2027-01-11T10:00:00Z"])
            #expect(mondays.viewerTimeZone.identifier == "Europe/Berlin")

            // A meeting that overlaps the first Monday's slot takes it; cancelled, it gives it back.
            let meeting = try await store.scheduleMeetings(
                in: id, MeetingDraft(startsAt: Self.monday + 10.5 * 3600, durationMinutes: 30, place: "Video", agenda: ""), by: org.participant)
            let busy = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.participant)
            #expect(busy.slots.map { Self.utc($0.startsAt) } == ["2027-01-11T10:00:00Z"])
            _ = try await store.cancelMeeting(id: try #require(meeting.first).id, note: "Clash", by: org.participant)
            let free = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.participant)
            #expect(free.slots.map { Self.utc($0.startsAt) } == ["2027-01-04T10:00:00Z", "2027-01-11T10:00:00Z"])

            // A week later the first Monday is in the past.
            clock.advance(by: 7 * 86_400)
            let later = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.participant)
            #expect(later.slots.map { Self.utc($0.startsAt) } == ["2027-01-11T10:00:00Z", "2027-01-18T10:00:00Z"])
        }
    }

    @Test("Only members and programme managers see a relationship's slots, and the length must be 15 to 240 minutes in quarter hours", arguments: TestBackend.all)
    func whoMayLookAndWhichLengths(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database, clock: TestClock(Self.monday))
            let org = try await Seeds.organisation("Acme", in: store)
            let (_, id) = try await ProgrammeSeeds.relationship(store, org)

            let asAdmin = try await store.suggestedSlots(relationshipID: id, durationMinutes: 60, of: org.admin)
            #expect(!asAdmin.viewerIsMember && asAdmin.slots.count == 20)
            let olga = try await Seeds.participant("Olga", in: org, store: store, strengths: [], wants: [])
            await #expect(throws: StoreError.notFound(what: "relationship")) {
                _ = try await store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: olga)
            }
            let globex = try await Seeds.organisation("Globex", in: store)
            for identity in [globex.admin, globex.manager, globex.participant] {
                // Not found before the length is even looked at.
                await #expect(throws: StoreError.notFound(what: "relationship")) {
                    _ = try await store.suggestedSlots(relationshipID: id, durationMinutes: 7, of: identity)
                }
            }
            for minutes in [0, -15, 10, 50, 255, 300] {
                await #expect(throws: StoreError.self) { _ = try await store.suggestedSlots(relationshipID: id, durationMinutes: minutes, of: org.participant) }
                #expect(throws: StoreError.invalid(field: "duration_minutes", message: "duration_minutes must be a number of minutes from 15 to 240 in steps of 15 (for example 30, 45 or 60); \(minutes) is not.")) {
                    try Store.checkSlotDuration(minutes)
                }
            }
            for minutes in [15, 240] {
                #expect(try await store.suggestedSlots(relationshipID: id, durationMinutes: minutes, of: org.participant).durationMinutes == minutes)
            }
        }
    }
}
