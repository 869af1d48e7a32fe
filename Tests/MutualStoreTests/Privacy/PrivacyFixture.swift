import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit

/// A person seeded into nearly every table (account, profile, skills, enrolment, a relationship
/// with a meeting, a log, messages both ways, a goal, feedback with a comment, invitation,
/// emails, events and audit entries), with a partner who answers feedback of their own.
struct PrivacyFixture {
    static let name = "Zephyrine Quillfeather"
    static let email = "zeph.quill@acme.example"
    static let partnerComment = "Partner's private view of the pairing"

    let base: FeedbackFixture
    let target: Identity
    let partner: Identity
    let relationshipID: UUID
    var store: Store { base.store }

    static func make(_ database: MutualDatabase) async throws -> PrivacyFixture {
        let base = try await FeedbackFixture.make(database)
        let store = base.store
        let issued = try await store.invite(email: email, role: .participant, by: base.org.admin) { "http://mutual.test/invitations/\($0)" }
        let account = try await store.acceptInvitation(token: issued.token, name: name, password: Seeds.password)
        let target = try await store.identity(for: account)
        _ = try await store.updateProfile(
            personID: target.personID,
            with: ProfileUpdate(
                name: name, email: email, level: 3, location: "Lisbon", timeZone: "Europe/Lisbon", languages: ["en"],
                strengths: [("SQL", 4)], wants: [("Rust", 1)], interests: ["sailing"],
                bio: "I am \(name); write to \(email)."),
            by: base.org.admin)
        let partner = try await Seeds.participant("Partner", in: base.org, store: store, strengths: [("Rust", 4)], wants: [("SQL", 1)])
        _ = try await store.enrol(personIDs: [target.personID, partner.personID], in: base.programmeID, by: base.org.manager)
        let relationshipID = try await base.relationship([target, partner])
        let meetings = try await store.scheduleMeetings(
            in: relationshipID,
            MeetingDraft(startsAt: base.clock.now.addingTimeInterval(3600), durationMinutes: 30, place: "Café", agenda: "SQL questions from \(name)"),
            by: target)
        base.clock.advance(by: 2 * 86_400)
        _ = try await store.logMeeting(
            id: meetings[0].id,
            MeetingLogDraft(taught: [.init(skill: "SQL", note: "\(name) explained joins")], rating: 5, commitment: "\(name) will practise"),
            by: target)
        _ = try await store.postMessage(in: relationshipID, body: "Hello from \(name)", by: target)
        _ = try await store.postMessage(in: relationshipID, body: "Thanks \(name)!", by: partner)
        _ = try await store.addGoal(to: relationshipID, GoalDraft(title: "\(name) learns Rust"), by: target)
        let own = try await base.request(.checkIn, for: target, in: relationshipID)
        try await store.answerFeedback(requestID: own, FeedbackAnswer(score: 4, comment: "\(name) found it helpful", shared: false), by: target)
        let theirs = try await base.request(.checkIn, for: partner, in: relationshipID)
        try await store.answerFeedback(requestID: theirs, FeedbackAnswer(score: 5, comment: partnerComment, shared: false), by: partner)
        // An event written by older code that put an address in its payload: the sweep must find it
        // there and in the audit entry copied from it.
        try await store.database.transaction { database in
            _ = try await store.record(
                NewEvent(
                    .peopleImported, organisationID: base.org.admin.organisationID, actor: base.org.admin.personID, subjectID: "legacy",
                    payload: ["note": .string("imported \(email) as \(name)")]),
                on: database)
        }
        try await store.runDueJobs()
        return PrivacyFixture(base: base, target: target, partner: partner, relationshipID: relationshipID)
    }

    /// Every `table.column` (any column, any type, read as text) holding one of `needles`,
    /// case-insensitively, from the database's own catalog, so a table added later is scanned too.
    static func scan(_ database: MutualDatabase, for needles: [String]) async throws -> [String] {
        let sql = try database.sql()
        let postgres = database.location.isPostgres
        var columns: [(String, String)] = []
        if postgres {
            for row in try await sql.raw(
                "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = current_schema()"
            ).all() {
                columns.append((try row.decode(column: "t", as: String.self), try row.decode(column: "c", as: String.self)))
            }
        } else {
            for table in try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() {
                let name = try table.decode(column: "name", as: String.self)
                for column in try await sql.raw("SELECT name FROM pragma_table_info(\(bind: name))").all() {
                    columns.append((name, try column.decode(column: "name", as: String.self)))
                }
            }
        }
        var hits: [String] = []
        for (table, column) in columns {
            let like = postgres ? "ILIKE" : "LIKE"
            var query: SQLQueryString = "SELECT COUNT(*) AS n FROM \(ident: table) WHERE "
            for (index, needle) in needles.enumerated() {
                if index > 0 { query.appendLiteral(" OR ") }
                query.appendLiteral("CAST(")
                query.appendInterpolation(ident: column)
                query.appendLiteral(" AS TEXT) \(like) ")
                query.appendInterpolation(bind: "%" + needle + "%")
            }
            let count = try await sql.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
            if count > 0 { hits.append("\(table).\(column)") }
        }
        return hits.sorted()
    }

    /// What a text scan cannot see: the sealed messages of email jobs (opened with the store's
    /// key) and the outbox's base64 attachments (decoded and unfolded). Answers pseudo-columns,
    /// `jobs.payload (sealed message)` and `outbox_messages.attachments (decoded)`.
    static func scanMail(_ database: MutualDatabase, store: Store, for needles: [String]) async throws -> [String] {
        let sql = try database.sql()
        func mentions(_ text: String) -> Bool {
            let lowered = text.replacingOccurrences(of: "\r\n ", with: "").lowercased()
            return needles.contains { lowered.contains($0.lowercased()) }
        }
        var hits: Set<String> = []
        for row in try await sql.raw("SELECT payload FROM jobs WHERE kind = \(bind: JobKind.email)").all() {
            let job = try JobCoding.decode(EmailJob.self, from: try row.decode(column: "payload", as: String.self))
            let email = try JobCoding.decode(OutgoingEmail.self, from: try store.sealer.open(job.sealedMessage))
            let texts = [email.subject, email.body, email.html ?? "", email.recipientName ?? ""]
                + email.attachments.map { String(decoding: $0.content, as: UTF8.self) }
            if texts.contains(where: mentions) { hits.insert("jobs.payload (sealed message)") }
        }
        for row in try await sql.raw("SELECT attachments FROM outbox_messages").all() {
            let attachments = try JSONDecoder().decode([EmailAttachment].self, from: Data(try row.decode(column: "attachments", as: String.self).utf8))
            if attachments.contains(where: { mentions(String(decoding: $0.content, as: UTF8.self)) }) {
                hits.insert("outbox_messages.attachments (decoded)")
            }
        }
        return hits.sorted()
    }
}
