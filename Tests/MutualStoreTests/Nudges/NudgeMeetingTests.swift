import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Nudges and the needs-attention list read meetings")
struct NudgeMeetingTests {
    @Test("A scheduled meeting ends the first-meeting nudge; thirty quiet days bring the quiet one", arguments: TestBackend.all)
    func meetingsCount(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            // They meet on day 3, 10:00 UTC.
            let start = pair.clock.now.addingTimeInterval(3 * 86_400 + 2 * 3600)
            _ = try await store.scheduleMeetings(
                in: pair.relationshipID, MeetingDraft(startsAt: start, durationMinutes: 45, place: "Room 1", agenda: ""), by: pair.pool.xena)
            pair.clock.advance(by: 15 * 86_400)
            _ = try await store.runNudgeScan()
            let xena = try await pair.nudges(to: NudgePair.xenaEmail)
            #expect(xena.count == 1 && xena.first?.body.contains("no meeting in the") == false)
            #expect(try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) == [.agreementUnsigned])
            // About 31 days after the meeting (30 whole days): quiet, nothing planned.
            pair.clock.advance(by: 19 * 86_400)
            _ = try await store.runNudgeScan()
            let later = try await pair.nudges(to: NudgePair.xenaEmail)
            #expect(later.count == 2 && later.last?.body.contains("quiet for 30 days") == true)
            let flags = try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) ?? []
            #expect(flags.contains(.quiet))
            #expect(try await store.needsAttention(of: pair.org.manager).first?.lastActivityAt == start)
            // A meeting planned next week ends the quiet flag.
            _ = try await store.scheduleMeetings(
                in: pair.relationshipID,
                MeetingDraft(startsAt: pair.clock.now.addingTimeInterval(7 * 86_400), durationMinutes: 45, place: "Room 1", agenda: ""),
                by: pair.pool.ari)
            #expect(!(try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) ?? []).contains(.quiet))
        }
    }
}
