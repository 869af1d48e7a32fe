import FluentKit
import Foundation
import MutualTestSupport
import Testing

@testable import MutualStore

/// The capabilities of issue 14 read each other: milestones in the morning nudge and the
/// needs-attention list, logs as activity, commitments in a mastermind agenda.
@Suite("Nudges, attention and agendas read goals and the ledger")
struct CapabilityWiringTests {
    @Test("A milestone due tomorrow is a morning nudge; once overdue it flags the relationship until done", arguments: TestBackend.all)
    func milestones(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            // 2027-01-15 08:00 UTC: morning in Lisbon (Xena), night in New York (Ari).
            let milestone = try await store.addMilestone(
                toRelationship: pair.relationshipID, MilestoneDraft(title: "Swap reading lists", dueOn: "2027-01-16"), by: pair.pool.xena)
            let scan = try await store.runNudgeScan()
            #expect(scan.nudged == 1)
            let xena = try await pair.nudges(to: NudgePair.xenaEmail)
            #expect(xena.count == 1 && xena.first?.body.contains("Swap reading lists") == true, "\(xena)")
            #expect(try await store.needsAttention(of: pair.org.manager).isEmpty)

            pair.clock.advance(by: 2 * 86_400)
            let flags = try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) ?? []
            #expect(flags.contains(.milestoneOverdue), "\(flags)")
            _ = try await store.completeMilestone(id: milestone.id, by: pair.pool.ari)
            #expect(!(try await store.needsAttention(of: pair.org.manager).first?.flags.map(\.reason) ?? []).contains(.milestoneOverdue))
        }
    }

    @Test("A log counts as activity: a pair that met a month ago and logged since is not quiet", arguments: TestBackend.all)
    func logsAreActivity(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            let start = pair.clock.now.addingTimeInterval(3 * 86_400)
            let meeting = try #require(
                try await store.scheduleMeetings(in: pair.relationshipID, MeetingDraft(startsAt: start, durationMinutes: 45), by: pair.pool.xena).first)
            pair.clock.advance(by: 20 * 86_400)
            _ = try await store.logMeeting(id: meeting.id, MeetingLogDraft(taught: [.init(skill: "SQL", note: "joins")]), by: pair.pool.xena)
            let loggedAt = pair.clock.now
            // 34 days after the meeting, 14 after the log.
            pair.clock.advance(by: 14 * 86_400)
            let item = try #require(try await store.needsAttention(of: pair.org.manager).first)
            #expect(!item.flags.map(\.reason).contains(.quiet) && item.lastActivityAt == loggedAt, "\(item)")
        }
    }

    @Test("A mastermind agenda lists what each member committed to in the last logged meeting", arguments: TestBackend.all)
    func commitmentsInAgenda(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let pair = try await NudgePair.make(database)
            let store = pair.store
            let programme = try #require(try await Programme.find(pair.pool.programme.id, on: try store.db()))
            programme.model = .groups
            try await programme.save(on: try store.db())
            let meeting = try #require(
                try await store.scheduleMeetings(
                    in: pair.relationshipID, MeetingDraft(startsAt: pair.clock.now.addingTimeInterval(86_400), durationMinutes: 45), by: pair.pool.xena
                ).first)
            pair.clock.advance(by: 2 * 86_400)
            _ = try await store.logMeeting(
                id: meeting.id, MeetingLogDraft(taught: [.init(skill: "SQL")], commitment: "Read chapter 3 of the style guide"), by: pair.pool.xena)
            let agenda = try await store.suggestedAgenda(for: pair.relationshipID, startsAt: pair.clock.now.addingTimeInterval(5 * 86_400), of: pair.pool.ari)
            #expect(agenda.contains("– Xena: Read chapter 3 of the style guide"), "\(agenda)")
        }
    }
}
