import FluentKit
import Foundation
import SQLKit

extension Store {
    /// One part of a personal export: the rows of `table` that are the person's (`condition`,
    /// with `$1` the person's id and `$2` their organisation's), without the columns that hold
    /// secrets or someone else's words.
    struct PersonalSection: Sendable {
        let key: String
        let table: String
        let condition: String
        var without: Set<String> = []
        var only: Set<String>? = nil
    }

    /// The person's own relationships, as a sub-query.
    fileprivate static let ownRelationships = "(SELECT relationship_id FROM relationship_members WHERE person_id = $1)"
    /// Every address the person has had in Mutual (their profile's and their sign-in's).
    fileprivate static let ownAddresses = """
        (SELECT LOWER(email) FROM people WHERE id = $1 AND email IS NOT NULL \
        UNION SELECT LOWER(l.email) FROM logins l JOIN accounts a ON a.login_id = l.id WHERE a.person_id = $1)
        """

    /// What belongs in a person's export, table by table (docs/architecture.md, "Privacy", says
    /// why each is in or out). Other people's feedback, logs and private notes never are: each
    /// condition selects rows the person wrote, or rows of their own relationships that both
    /// members see.
    static let personalSections: [PersonalSection] = [
        PersonalSection(key: "profile", table: "people", condition: "t.id = $1"),
        PersonalSection(
            key: "skills", table: "person_skills", condition: "t.person_id = $1"),
        PersonalSection(
            key: "skill_names", table: "skills",
            condition: "t.id IN (SELECT skill_id FROM person_skills WHERE person_id = $1)", only: ["id", "name", "family"]),
        PersonalSection(key: "account", table: "accounts", condition: "t.person_id = $1"),
        PersonalSection(
            key: "sign_in", table: "logins", condition: "t.id IN (SELECT login_id FROM accounts WHERE person_id = $1)",
            only: ["email", "created_at", "last_sign_in_at"]),
        PersonalSection(
            key: "two_factor", table: "login_two_factor", condition: "t.id IN (SELECT login_id FROM accounts WHERE person_id = $1)",
            only: ["created_at", "enabled_at"]),
        PersonalSection(
            key: "sessions", table: "sessions", condition: "t.account_id IN (SELECT id FROM accounts WHERE person_id = $1)",
            only: ["created_at", "expires_at"]),
        PersonalSection(
            key: "api_tokens", table: "api_tokens", condition: "t.account_id IN (SELECT id FROM accounts WHERE person_id = $1)",
            without: ["token_digest"]),
        PersonalSection(
            key: "calendar_feeds", table: "calendar_feeds", condition: "t.person_id = $1", only: ["id", "created_at", "rotated_at"]),
        PersonalSection(
            key: "invitations", table: "invitations",
            condition: "t.organisation_id = $2 AND (t.person_id = $1 OR LOWER(t.email) IN \(Store.ownAddresses))",
            without: ["token_digest", "sealed_token", "pending_key"]),
        PersonalSection(key: "enrolments", table: "enrolments", condition: "t.person_id = $1"),
        PersonalSection(
            key: "programmes", table: "programmes", condition: "t.id IN (SELECT programme_id FROM enrolments WHERE person_id = $1)",
            only: ["id", "name", "model", "cycle_start", "cycle_end"]),
        PersonalSection(key: "match_answers", table: "match_members", condition: "t.person_id = $1"),
        PersonalSection(key: "match_requests_sent", table: "match_requests", condition: "t.from_person_id = $1"),
        PersonalSection(key: "match_requests_received", table: "match_requests", condition: "t.to_person_id = $1", without: ["message"]),
        PersonalSection(key: "relationships", table: "relationships", condition: "t.id IN \(Store.ownRelationships)"),
        PersonalSection(key: "relationship_memberships", table: "relationship_members", condition: "t.person_id = $1"),
        PersonalSection(key: "meetings", table: "meetings", condition: "t.relationship_id IN \(Store.ownRelationships)"),
        PersonalSection(key: "meeting_logs", table: "meeting_logs", condition: "t.person_id = $1"),
        PersonalSection(
            key: "meeting_log_entries", table: "meeting_log_entries", condition: "t.log_id IN (SELECT id FROM meeting_logs WHERE person_id = $1)"),
        PersonalSection(key: "goals", table: "goals", condition: "t.person_id = $1"),
        PersonalSection(key: "milestones", table: "milestones", condition: "t.relationship_id IN \(Store.ownRelationships)"),
        PersonalSection(key: "messages_written", table: "relationship_messages", condition: "t.author_person_id = $1"),
        PersonalSection(key: "feedback_requests", table: "feedback_requests", condition: "t.person_id = $1"),
        PersonalSection(key: "feedback_given", table: "feedback_responses", condition: "t.person_id = $1"),
        PersonalSection(
            key: "feedback_goal_ratings", table: "feedback_goal_ratings",
            condition: "t.response_id IN (SELECT id FROM feedback_responses WHERE person_id = $1)"),
        PersonalSection(key: "concerns_raised", table: "concerns", condition: "t.raised_by = $1"),
        PersonalSection(key: "skill_level_changes", table: "skill_level_changes", condition: "t.person_id = $1"),
        PersonalSection(key: "hr_outcomes", table: "hr_outcomes", condition: "t.person_id = $1"),
        PersonalSection(key: "nudges_received", table: "nudge_deliveries", condition: "t.person_id = $1"),
        PersonalSection(key: "email_opt_outs", table: "email_opt_outs", condition: "t.person_id = $1"),
        PersonalSection(
            key: "emails_sent_to_you", table: "sent_emails", condition: "LOWER(t.recipient) IN \(Store.ownAddresses)",
            only: ["subject", "template", "category", "sent_at"]),
        PersonalSection(key: "deletion_requests", table: "deletion_requests", condition: "t.person_id = $1"),
    ]

    /// Everything Mutual holds about the signed-in person, as one JSON document (GDPR article
    /// 20): their profile, skills, account facts (no password hash, token or secret),
    /// enrolments, relationships with the other members' names as shown to them, agreements,
    /// meetings, their own logs, goals, messages they wrote, feedback they gave, and the emails
    /// sent to them (subject and date). Records `privacy.data_exported`.
    public func personalExport(of identity: Identity) async throws -> String {
        let sql = try database.sql()
        let catalog = try await DatabaseCatalog.read(on: sql)
        var parts: [String] = []
        func quoted(_ text: String) throws -> String { String(decoding: try JSONEncoder().encode(text), as: UTF8.self) }
        parts.append("\"format\":\"mutual.personal-data/1\"")
        parts.append("\"exported_at\":\(try quoted(ISO8601DateFormatter().string(from: clock.now)))")
        parts.append("\"organisation\":\(try quoted(identity.organisationName))")
        for section in Self.personalSections {
            guard let table = catalog.table(section.table) else { continue }
            let columns = table.columns.filter { column in
                !section.without.contains(column.name) && (section.only?.contains(column.name) ?? true)
            }
            let rows = try await sql.raw(
                PersonalTextSweep.statement(
                    "SELECT \(catalog.jsonObject(columns, alias: "t")) AS j FROM \(DatabaseCatalog.quote(section.table)) t WHERE \(section.condition)",
                    binds: [identity.personID, identity.organisationID], postgres: catalog.postgres)
            ).all().map { try $0.decode(column: "j", as: String.self) }
            parts.append("\(try quoted(section.key)):[\(rows.joined(separator: ","))]")
        }
        // The other members of their relationships, by the names they see.
        let partners = try await sql.raw(
            PersonalTextSweep.statement(
                """
                SELECT \(catalog.postgres ? "json_build_object('relationship_id', rm.relationship_id, 'name', p.name)::text" : "json_object('relationship_id', rm.relationship_id, 'name', p.name)") AS j \
                FROM relationship_members rm JOIN people p ON p.id = rm.person_id \
                WHERE rm.relationship_id IN \(Self.ownRelationships) AND rm.person_id <> $1
                """, binds: [identity.personID], postgres: catalog.postgres)
        ).all().map { try $0.decode(column: "j", as: String.self) }
        parts.append("\"relationship_partners\":[\(partners.joined(separator: ","))]")
        try await transaction { database in
            _ = try await self.record(
                NewEvent(.personalDataExported, organisationID: identity.organisationID, actor: identity.personID, subject: identity.personID),
                on: database)
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}
