import FluentKit
import Foundation
import Logging
import MutualStore
import SQLKit

/// An organisation with `relationships` active pairs (two people each, eight time zones) and a
/// realistic spread of ages, meetings, signatures and pending requests, for the hourly nudge
/// scan (issue 14: 100,000 relationships under 10 s). The store's clock is fixed at a UTC
/// morning hour, so Lisbon's (and UTC's) people are in their nudge hour.
public final class NudgeWorkbench: Sendable {
    public let store: Store
    public let database: MutualDatabase
    public let relationships: Int
    let path: String

    /// 2027-03-15 08:00 UTC: 08:00 in Lisbon and UTC (a quarter of the people).
    public static let now = Date(timeIntervalSince1970: 1_805_097_600)
    static let zones = ["Europe/Lisbon", "UTC", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney"]

    init(store: Store, database: MutualDatabase, relationships: Int, path: String) {
        self.store = store
        self.database = database
        self.relationships = relationships
        self.path = path
    }

    public static func make(relationships count: Int) async throws -> NudgeWorkbench {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-nudge-bench-\(UUID().uuidString).sqlite").path
        var logger = Logger(label: "mutual.bench")
        logger.logLevel = .warning
        let database = try MutualDatabase(location: .sqliteFile(path: path), logger: logger)
        try await database.migrate()
        let store = Store(database: database, clock: MutualClock { now }, passwords: PasswordHasher(cost: 4), logger: logger)
        let account = try await store.createOrganisation(
            SetupRequest(organisationName: "Bench Corp", adminName: "Bench Admin", email: "admin@bench.example", password: "benchmark-password"),
            slug: "bench")
        let admin = try await store.identity(for: account)
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Peers at scale", model: .pairs, cycleStart: "2026-09-01", cycleEnd: "2027-08-31", capacity: 1),
            objectives: [], by: admin)
        var seed = Xorshift(seed: 42)
        let organisationID = admin.organisationID
        let batch = 500
        var written = 0
        while written < count {
            let size = min(batch, count - written)
            do {
                var people: [Person] = []
                var relationships: [Relationship] = []
                var members: [RelationshipMember] = []
                var meetings: [(UUID, Date)] = []
                for n in written..<(written + size) {
                    let started = now.addingTimeInterval(-Double(seed.next(upTo: 200 * 86_400)))
                    let relationship = Relationship()
                    relationship.id = UUID()
                    relationship.organisationID = organisationID
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
                    let signed = seed.next(upTo: 2) == 0
                    for side in 0..<2 {
                        let person = Person()
                        person.id = UUID()
                        person.organisationID = organisationID
                        person.externalID = "p\(n)-\(side)"
                        person.name = "Person \(n)-\(side)"
                        person.email = "p\(n)-\(side)@bench.example"
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
                        member.organisationID = organisationID
                        member.relationshipID = relationship.id!
                        member.personID = person.id!
                        member.position = side
                        member.goals = ""
                        member.signedVersion = signed ? 2 : 1
                        members.append(member)
                    }
                    // Seven in ten have met: three meetings, the last between 0 and 120 days ago;
                    // one in ten also has one planned next week.
                    if seed.next(upTo: 10) < 7 {
                        let last = now.addingTimeInterval(-Double(seed.next(upTo: 120 * 86_400)))
                        for back in 0..<3 { meetings.append((relationship.id!, max(started, last.addingTimeInterval(-Double(back) * 14 * 86_400)))) }
                        if seed.next(upTo: 7) == 0 { meetings.append((relationship.id!, now.addingTimeInterval(7 * 86_400))) }
                    }
                }
                let rows = (people, relationships, members, meetings)
                try await database.transaction { db in
                    try await rows.0.create(on: db)
                    try await rows.1.create(on: db)
                    try await rows.2.create(on: db)
                    try await Self.insertMeetings(rows.3, organisationID: organisationID, on: db)
                }
            }
            written += size
        }
        return NudgeWorkbench(store: store, database: database, relationships: count, path: path)
    }

    /// Writes the meetings as the meetings core stores them (migration 019's `meetings`).
    static func insertMeetings(_ meetings: [(UUID, Date)], organisationID: UUID, on database: any Database) async throws {
        guard !meetings.isEmpty else { return }
        let rows = meetings.map { meeting -> Meeting in
            let row = Meeting()
            row.id = UUID()
            row.organisationID = organisationID
            row.relationshipID = meeting.0
            row.startsAt = meeting.1
            row.durationMinutes = 45
            row.place = ""
            row.agenda = ""
            row.status = .scheduled
            row.cancelNote = ""
            row.sequence = 0
            row.createdAt = meeting.1
            row.updatedAt = meeting.1
            return row
        }
        try await rows.create(on: database)
    }

    /// One hourly scan, as the `nudges.scan` job runs it.
    public func scan() async throws -> NudgeScanResult {
        try await store.runNudgeScan()
    }

    /// Forgets the day's deliveries and queued emails, so the next scan does the same work.
    public func reset() async throws {
        let sql = try database.sql()
        try await sql.raw("DELETE FROM nudge_deliveries").run()
        try await sql.raw("DELETE FROM jobs").run()
    }

    public func close() async {
        await database.shutdown()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

/// A small seeded generator, so every run builds the same organisation.
struct Xorshift {
    var state: UInt64
    init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
    /// A number in `0..<bound`.
    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
