import FluentKit
import Foundation
import Logging
import MutualStore
import MutualTestSupport
import Testing

/// The hourly scan at scale, in the test build (debug): set `MUTUAL_NUDGE_SCALE` to a number of
/// relationships (100000 for the figure) to run it; the release figure comes from
/// `Benchmarks/` (`swift run -c release nudge-bench`). Skipped otherwise: building the data takes a while.
@Suite("The nudge scan at scale")
struct NudgeScanScaleTests {
    static var relationships: Int? { ProcessInfo.processInfo.environment["MUTUAL_NUDGE_SCALE"].flatMap(Int.init) }

    @Test("One morning scan over many relationships", .enabled(if: NudgeScanScaleTests.relationships != nil))
    func scanAtScale() async throws {
        let count = Self.relationships ?? 0
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-nudge-scale-\(UUID().uuidString).sqlite").path
        let database = try MutualDatabase(location: .sqliteFile(path: path), logger: .init(label: "scale"))
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try await database.migrate()
        // 2027-03-15 08:00 UTC: morning in Lisbon and UTC, a quarter of the people.
        let now = Date(timeIntervalSince1970: 1_805_097_600)
        let store = Store(database: database, clock: MutualClock { now }, passwords: PasswordHasher(cost: 4), logger: .init(label: "scale"))
        let org = try await Seeds.organisation("Scale", in: store)
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Peers at scale", model: .pairs, cycleStart: "2026-09-01", cycleEnd: "2027-08-31", capacity: 1),
            objectives: [], by: org.manager)
        let zones = ["Europe/Lisbon", "UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney"]
        var state: UInt64 = 42
        func random(_ bound: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let clock = ContinuousClock()
        let built = clock.now
        var written = 0
        while written < count {
            let size = min(500, count - written)
            var people: [Person] = [], relationships: [Relationship] = [], members: [RelationshipMember] = [], meetings: [Meeting] = []
            for n in written..<(written + size) {
                let started = now.addingTimeInterval(-Double(random(200 * 86_400)))
                let relationship = Relationship()
                relationship.id = UUID()
                relationship.organisationID = org.admin.organisationID
                relationship.programmeID = programme.id
                relationship.status = .active
                relationship.endReason = ""
                relationship.startedAt = started
                relationship.vision = ""
                relationship.boundaries = ""
                relationship.confidentiality = ""
                relationship.cadence = "fortnightly"
                relationship.cadenceInterval = ""
                relationship.cadenceDays = 0
                relationship.structure = .informal
                relationship.agreementVersion = 2
                relationships.append(relationship)
                let signed = random(2) == 0
                for side in 0..<2 {
                    let person = Person()
                    person.id = UUID()
                    person.organisationID = org.admin.organisationID
                    person.externalID = "p\(n)-\(side)"
                    person.name = "Person \(n)-\(side)"
                    person.email = "p\(n)-\(side)@scale.example"
                    person.department = ""
                    person.company = ""
                    person.level = 3
                    person.timeZone = zones[(n * 2 + side) % zones.count]
                    person.location = ""
                    person.languages = "en"
                    person.interests = ""
                    person.exclude = ""
                    person.bio = ""
                    person.availability = ""
                    person.offLimits = ""
                    person.meetingFrequency = ""
                    person.formality = ""
                    person.createdAt = started
                    people.append(person)
                    let member = RelationshipMember()
                    member.organisationID = org.admin.organisationID
                    member.relationshipID = relationship.id!
                    member.personID = person.id!
                    member.position = side
                    member.goals = ""
                    member.signedVersion = signed ? 2 : 1
                    members.append(member)
                }
                // Seven in ten have met (three meetings, the last 0–120 days ago); some plan one.
                if random(10) < 7 {
                    let last = now.addingTimeInterval(-Double(random(120 * 86_400)))
                    var times = (0..<3).map { max(started, last.addingTimeInterval(-Double($0) * 14 * 86_400)) }
                    if random(7) == 0 { times.append(now.addingTimeInterval(7 * 86_400)) }
                    for time in times {
                        let meeting = Meeting()
                        meeting.id = UUID()
                        meeting.organisationID = org.admin.organisationID
                        meeting.relationshipID = relationship.id!
                        meeting.startsAt = time
                        meeting.durationMinutes = 45
                        meeting.place = ""
                        meeting.agenda = ""
                        meeting.status = .scheduled
                        meeting.cancelNote = ""
                        meeting.sequence = 0
                        meeting.createdAt = time
                        meeting.updatedAt = time
                        meetings.append(meeting)
                    }
                }
            }
            let rows = (people, relationships, members, meetings)
            try await database.transaction { db in
                try await rows.0.create(on: db)
                try await rows.1.create(on: db)
                try await rows.2.create(on: db)
                if !rows.3.isEmpty { try await rows.3.create(on: db) }
            }
            written += size
        }
        print("nudge scale: built \(count) relationships in \(clock.now - built)")
        var result: NudgeScanResult?
        let elapsed = try await clock.measure { result = try await store.runNudgeScan() }
        print("nudge scale: scan over \(count) relationships took \(elapsed): \(result!.findings) reasons, \(result!.nudged) people nudged")
        #expect((result?.nudged ?? 0) > 0)
        await database.shutdown()
    }
}
