import FluentKit
import Foundation
import SQLKit

/// What an erasure did, in counts (never a name).
public struct ErasureReport: Sendable, Equatable {
    public let personID: UUID
    public let erasedAt: Date
    /// Memberships whose sign-in was removed (0 for a directory person without an account).
    public let accounts: Int
    /// Free-text values elsewhere that mentioned the name or address and were rewritten.
    public let mentionsRewritten: Int
}

extension Store {
    /// What an erased person is called wherever they still appear in someone else's history.
    public static let formerMemberName = "a former member"

    /// An admin erases a person of their organisation at once (issue 17, point 4): personal data
    /// is removed or anonymised in every table, in one transaction, and `person.erased` is
    /// recorded with ids only. Admins cannot erase themselves (another admin can).
    public func erasePerson(_ personID: UUID, by admin: Identity) async throws -> ErasureReport {
        guard admin.role >= .admin else {
            throw StoreError.forbidden(message: "Only organisation admins can erase a person. Ask an admin.")
        }
        guard personID != admin.personID else {
            throw StoreError.conflict(
                field: nil,
                message: "You cannot erase yourself while signed in as an admin. Ask another admin to erase you, or ask for your account's deletion on your account page.")
        }
        let placeholderHash = try await passwords.hash(tokens.makeToken())
        let report = try await transaction { database in
            let report = try await self.erase(
                personID: personID, organisationID: admin.organisationID, placeholderHash: placeholderHash, on: database)
            try await self.record(
                NewEvent(
                    .personErased, organisationID: admin.organisationID, actor: admin.personID, subject: personID,
                    payload: ["accounts": .int(report.accounts), "by_request": .bool(false)]),
                on: database)
            return report
        }
        directoryFacetCache.forget(admin.organisationID)
        return report
    }

    /// The erasure itself, on the caller's transaction (the admin's action or the deletion job).
    /// The steps name each table whose rows hold the person's data; ``PersonalTextSweep`` then
    /// rewrites any remaining mention of their name or address in any text column of any table.
    /// Rows that carry the person's place in other people's history (relationships, meetings,
    /// matches, feedback scores, enrolments, outcomes) stay, under the name "a former member",
    /// so the programme's figures do not change.
    func erase(personID: UUID, organisationID: UUID, placeholderHash: String, on database: any Database) async throws -> ErasureReport {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        guard let person = try await Person.query(on: database).filter(\.$id == personID)
            .filter(\.$organisationID == organisationID).first()
        else { throw StoreError.notFound(what: "person") }
        try await Self.lockRows(Person.schema, where: "id", equals: personID, on: database)
        let now = clock.now
        let name = person.name
        let email = person.email?.lowercased()
        let postgres = self.database.location.isPostgres
        let oldExternalID = person.externalID
        let newExternalID = "erased-" + personID.uuidString.lowercased()

        // Sign-in: each membership keeps its row (others' invitations and history point at it)
        // but is moved to a placeholder login that nobody can sign in with; the real login goes
        // when no other organisation's membership uses it, with its two-factor secret, recovery
        // codes, links and pending sign-ins.
        let accounts = try await Account.query(on: database).filter(\.$personID == personID)
            .filter(\.$organisationID == organisationID).all()
        var emailIsOnlyTheirs = true
        var loginEmails: [String] = []
        for account in accounts {
            let accountID = try account.requireID()
            let oldLoginID = account.loginID
            let placeholderID = UUID()
            try await sql.raw("""
                INSERT INTO logins (id, email, password_hash, created_at) VALUES \
                (\(bind: placeholderID), \(bind: "erased+\(accountID.uuidString.lowercased())" + Self.erasedLoginDomain), \(bind: placeholderHash), \(bind: now))
                """).run()
            try await sql.raw("""
                UPDATE accounts SET login_id = \(bind: placeholderID), name = \(bind: Self.formerMemberName), \
                role = \(bind: Role.participant.rawValue), last_sign_in_at = NULL WHERE id = \(bind: accountID)
                """).run()
            try await sql.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()
            try await sql.raw("DELETE FROM api_tokens WHERE account_id = \(bind: accountID)").run()
            try await sql.raw("DELETE FROM idempotency_keys WHERE account_id = \(bind: accountID)").run()
            try await sql.raw(
                "UPDATE organisations SET sso_break_glass_account_id = NULL WHERE sso_break_glass_account_id = \(bind: accountID)"
            ).run()
            if let login = try await Login.find(oldLoginID, on: database) {
                loginEmails.append(login.email.lowercased())
                let others = try await Account.query(on: database).filter(\.$loginID == oldLoginID).count()
                if others == 0 {
                    for table in ["login_two_factor"] {
                        try await sql.raw("DELETE FROM \(ident: table) WHERE id = \(bind: oldLoginID)").run()
                    }
                    for table in ["two_factor_recovery_codes", "login_links", "pending_sign_ins"] {
                        try await sql.raw("DELETE FROM \(ident: table) WHERE login_id = \(bind: oldLoginID)").run()
                    }
                    try await sql.raw("DELETE FROM logins WHERE id = \(bind: oldLoginID)").run()
                    let lowered = login.email.lowercased()
                    try await sql.raw("""
                        DELETE FROM sign_in_failures WHERE subject IN \
                        (\(bind: "account:" + lowered), \(bind: "two_factor:" + lowered))
                        """).run()
                } else {
                    emailIsOnlyTheirs = false
                }
            }
        }

        // The profile: name, address and everything they wrote about themselves. Department,
        // company, level and time zone stay: the programme's breakdowns count by them.
        try await sql.raw("""
            UPDATE people SET name = \(bind: Self.formerMemberName), email = NULL, external_id = \(bind: newExternalID), \
            location = '', languages = '', interests = '', exclude = '', bio = '', availability = '', off_limits = '', \
            meeting_frequency = '', formality = '', manager_id = NULL, updated_at = \(bind: now), erased_at = \(bind: now) \
            WHERE id = \(bind: personID)
            """).run()
        // Match runs name people by external id.
        try await sql.raw("""
            UPDATE proposed_match_members SET person_key = \(bind: newExternalID) WHERE person_key = \(bind: oldExternalID) \
            AND run_id IN (SELECT id FROM match_runs WHERE organisation_id = \(bind: organisationID))
            """).run()
        try await sql.raw("""
            UPDATE unplaced_people SET person_key = \(bind: newExternalID) WHERE person_key = \(bind: oldExternalID) \
            AND organisation_id = \(bind: organisationID)
            """).run()
        // Skills stay as anonymous rows (a skill and a level, of "a former member"): the
        // programme dashboard's skills-growth figures count learners by them.
        for table in ["calendar_feeds", "email_opt_outs"] {
            try await sql.raw("DELETE FROM \(ident: table) WHERE person_id = \(bind: personID)").run()
        }
        // Invitations to them (by person or address): their address and when they were asked.
        var addresses = Set(loginEmails)
        if let email { addresses.insert(email) }
        try await sql.raw("DELETE FROM invitations WHERE organisation_id = \(bind: organisationID) AND person_id = \(bind: personID)").run()
        for address in addresses {
            try await sql.raw("DELETE FROM invitations WHERE organisation_id = \(bind: organisationID) AND LOWER(email) = \(bind: address)").run()
        }

        // What they wrote. The rows stay (counts and the other member's thread keep their shape).
        try await sql.raw("UPDATE enrolments SET goals = '', answers = '[]' WHERE person_id = \(bind: personID)").run()
        try await sql.raw("UPDATE relationship_members SET goals = '' WHERE person_id = \(bind: personID)").run()
        try await sql.raw("UPDATE match_members SET reason = '' WHERE person_id = \(bind: personID)").run()
        try await sql.raw("UPDATE match_requests SET message = '' WHERE from_person_id = \(bind: personID)").run()
        try await sql.raw("""
            UPDATE relationship_messages SET body = \(bind: Self.removedMessage) WHERE author_person_id = \(bind: personID)
            """).run()
        try await sql.raw("""
            UPDATE meeting_log_entries SET note = '' WHERE log_id IN (SELECT id FROM meeting_logs WHERE person_id = \(bind: personID))
            """).run()
        try await sql.raw("UPDATE meeting_logs SET commitment = '' WHERE person_id = \(bind: personID)").run()
        try await sql.raw("""
            UPDATE milestones SET title = \(bind: "A milestone of \(Self.formerMemberName)") \
            WHERE goal_id IN (SELECT id FROM goals WHERE person_id = \(bind: personID))
            """).run()
        try await sql.raw("UPDATE goals SET title = \(bind: "A goal of \(Self.formerMemberName)") WHERE person_id = \(bind: personID)").run()
        try await sql.raw("UPDATE feedback_responses SET comment = '', story = '' WHERE person_id = \(bind: personID)").run()
        try await sql.raw("""
            UPDATE concerns SET body = \(bind: "Removed when the person who raised it was erased.") WHERE raised_by = \(bind: personID)
            """).run()

        // Mail to them: no more will go; the records keep their date and template, not the address.
        for address in addresses {
            try await sql.raw("UPDATE sent_emails SET recipient = '' WHERE LOWER(recipient) = \(bind: address)").run()
            try await sql.raw(
                "UPDATE outbox_messages SET recipient = '', body = '', attachments = '[]' WHERE LOWER(recipient) = \(bind: address)"
            ).run()
            try await sql.raw("""
                DELETE FROM jobs WHERE kind = \(bind: JobKind.email) AND LOWER(payload) LIKE \(bind: PersonalTextSweep.likePattern("\"recipient\":\"\(address)\"")) ESCAPE '\\'
                """).run()
        }
        try await sql.raw("""
            DELETE FROM jobs WHERE kind = \(bind: JobKind.messageDigest) AND status = 'queued' \
            AND (payload LIKE \(bind: "%" + personID.uuidString.uppercased() + "%") OR payload LIKE \(bind: "%" + personID.uuidString.lowercased() + "%"))
            """).run()
        // Others' email that names them where the sweep below cannot read: sealed messages and
        // base64 calendar files.
        _ = try await eraseFromMail(name: name, addresses: addresses, organisationID: organisationID, on: sql)
        // Recorded API answers are sealed; open each to find the ones that named them.
        let recorded = try await sql.raw("""
            SELECT id, response_body FROM idempotency_keys WHERE organisation_id = \(bind: organisationID) AND response_body IS NOT NULL
            """).all()
        for row in recorded {
            guard let sealed = try row.decode(column: "response_body", as: String?.self) else { continue }
            let body = ((try? sealer.open(sealed)) ?? "").lowercased()
            if body.contains(name.lowercased()) || addresses.contains(where: { body.contains($0) }) {
                try await sql.raw("DELETE FROM idempotency_keys WHERE id = \(bind: try row.decode(column: "id", as: UUID.self))").run()
            }
        }

        // Anything left that still mentions them, in any table.
        var mentions = try await PersonalTextSweep(
            organisationID: organisationID, name: name, email: email, emailIsOnlyTheirs: emailIsOnlyTheirs
        ).run(on: sql, postgres: postgres)
        for address in addresses where address != email {
            mentions += try await PersonalTextSweep(
                organisationID: organisationID, name: name, email: address, emailIsOnlyTheirs: emailIsOnlyTheirs
            ).run(on: sql, postgres: postgres)
        }
        return ErasureReport(personID: personID, erasedAt: now, accounts: accounts.count, mentionsRewritten: mentions)
    }

    /// The domain of the placeholder logins erased memberships are moved to (`.invalid` never resolves).
    public static let erasedLoginDomain = "@erased.invalid"

    /// What a removed message says in the thread.
    public static let removedMessage = "message removed"
}
