import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long a person has at the identity provider between "Sign in with …" and its answer.
    public static let singleSignOnAttemptLifetime: TimeInterval = 10 * 60

    /// Starts a sign-in through the identity provider: a fresh `state`, `nonce` and PKCE code
    /// verifier (256 random bits each), stored with `next` for ten minutes. Only the state's
    /// digest is kept, so the row alone cannot finish a sign-in. Attempts that expired more than
    /// a day ago are cleared on the way.
    public func startSingleSignOn(next: String?) async throws -> StartedSingleSignOn {
        let now = clock.now
        let started = StartedSingleSignOn(
            state: tokens.makeToken(), nonce: tokens.makeToken(), codeVerifier: tokens.makeToken(),
            expiresAt: now.addingTimeInterval(Self.singleSignOnAttemptLifetime))
        let attempt = SingleSignOnAttempt(
            stateDigest: SecretTokens.digest(started.state), nonce: started.nonce, codeVerifier: started.codeVerifier, next: next,
            createdAt: now, expiresAt: started.expiresAt)
        try await attempt.create(on: try db())
        try await SingleSignOnAttempt.query(on: try db()).filter(\.$expiresAt < now.addingTimeInterval(-24 * 3600)).delete()
        return started
    }

    /// Uses up the attempt a provider's answer names by its `state`, once: a conditional
    /// `UPDATE … WHERE used_at IS NULL AND expires_at > now RETURNING`, so of two answers with
    /// one state (a replayed callback, a double click) exactly one goes on. Whatever does not
    /// match throws `gone` or `forbidden` with a message that says what happened.
    public func claimSingleSignOn(state: String) async throws -> ClaimedSingleSignOn {
        guard !state.isEmpty, state.utf8.count <= 200 else { throw Self.singleSignOnForgedState }
        let digest = SecretTokens.digest(state)
        let now = clock.now
        let sql = try database.sql()
        let claimed = try await sql.update(SingleSignOnAttempt.schema)
            .set("used_at", to: SQLBind(now))
            .where("state_digest", .equal, SQLBind(digest))
            .where("used_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning("nonce", "code_verifier", "next")
            .all()
        if let row = claimed.first {
            return ClaimedSingleSignOn(
                nonce: try row.decode(column: "nonce", as: String.self),
                codeVerifier: try row.decode(column: "code_verifier", as: String.self),
                next: try row.decodeNil(column: "next") ? nil : try row.decode(column: "next", as: String.self))
        }
        // Not claimed: say why.
        guard let attempt = try await SingleSignOnAttempt.query(on: try db()).filter(\.$stateDigest == digest).first() else {
            throw Self.singleSignOnForgedState
        }
        if attempt.usedAt != nil { throw Self.singleSignOnReplayed }
        throw Self.singleSignOnExpired
    }

    /// The provider's answer names no sign-in that started here (a forged or altered `state`).
    public static let singleSignOnForgedState = StoreError.forbidden(
        message: "This sign-in did not start from this browser, so it was stopped to protect your account. Go back to the sign-in page and choose the single sign-on button again.")
    /// The answer was already used (the back button, a reload, or a replayed link).
    public static let singleSignOnReplayed = StoreError.gone(
        message: "This sign-in link was already used. Links from your identity provider work once; go back to the sign-in page and choose the single sign-on button again.")
    /// More than ten minutes passed at the provider.
    public static let singleSignOnExpired = StoreError.gone(
        message: "This sign-in took longer than 10 minutes and has expired. Go back to the sign-in page and choose the single sign-on button again.")

    /// Signs in the login of an email address the identity provider has verified.
    ///
    /// The address must belong to someone Mutual knows: a login (a member of some organisation)
    /// or a person in an organisation's directory. On first sign-in, each directory person with
    /// the address who has no membership yet becomes a participant member of their
    /// organisation (a login is made for the address if it has none, with an unusable random
    /// password), with a `single_sign_on.member_joined` event; an admin can change the role on
    /// the members page. An address nobody knows is refused with a message saying to ask the
    /// organisation's admin. Two parallel first sign-ins create one login and one membership
    /// per organisation: the login is inserted with `ON CONFLICT DO NOTHING` and its row locked
    /// before memberships are looked for.
    ///
    /// No password is checked and the two-factor step is skipped: the provider authenticated
    /// the person (and does its own multi-factor checks).
    public func signInWithSingleSignOn(email rawEmail: String) async throws -> Login {
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty, email.count <= TextLimits.email, InputRules.forbiddenScalar(in: email, allowingLineBreaks: false) == nil else {
            throw Self.unknownSingleSignOnEmail(email.isEmpty ? "(no address)" : String(email.prefix(80)))
        }
        let existing = try await Login.query(on: try db()).filter(\.$email == email).first()
        // A person their identity provider deactivated (SCIM) does not become a member.
        let people = try await Person.query(on: try db()).filter(\.$email == email).filter(\.$deactivatedAt == nil).all()
        if existing == nil && people.isEmpty { throw Self.unknownSingleSignOnEmail(email) }
        // Made before the transaction (bcrypt is slow); used only if the address has no login.
        let unusableHash = existing == nil ? try await passwords.hash(tokens.makeToken()) : ""
        let now = clock.now
        let loginID: UUID = try await transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            var loginID = existing?.id
            if loginID == nil {
                _ = try await sql.insert(into: Login.schema)
                    .columns("id", "email", "password_hash", "created_at")
                    .values(SQLBind(UUID()), SQLBind(email), SQLBind(unusableHash), SQLBind(now))
                    .ignoringConflicts(with: ["email"])
                    .run()
                loginID = try await Login.query(on: transaction).filter(\.$email == email).first()?.requireID()
            }
            guard let loginID else { throw StoreError.unavailable }
            try await Self.lockRows(Login.schema, where: "id", equals: loginID, on: transaction)
            let memberOf = Set(try await Account.query(on: transaction).filter(\.$loginID == loginID).all().map(\.organisationID))
            var joined = Set<UUID>()
            for person in people where !memberOf.contains(person.organisationID) && !joined.contains(person.organisationID) {
                let personID = try person.requireID()
                // A person who is already someone's member (their profile's address was changed
                // to this one) is not taken over.
                guard try await Account.query(on: transaction).filter(\.$personID == personID).first() == nil else { continue }
                let account = Account(
                    organisationID: person.organisationID, personID: personID, loginID: loginID, name: person.name, role: .participant,
                    createdAt: now)
                try await account.create(on: transaction)
                joined.insert(person.organisationID)
                try await self.record(
                    NewEvent(
                        .singleSignOnMemberJoined, organisationID: person.organisationID, actor: personID, subject: try account.requireID(),
                        payload: ["person_id": .id(personID), "role": .string(Role.participant.rawValue)]),
                    on: transaction)
            }
            if memberOf.isEmpty && joined.isEmpty { throw Self.unknownSingleSignOnEmail(email) }
            try await sql.update(Login.schema).set("last_sign_in_at", to: SQLBind(now)).where("id", .equal, SQLBind(loginID)).run()
            return loginID
        }
        guard let login = try await Login.find(loginID, on: try db()) else { throw StoreError.unavailable }
        return login
    }

    /// The refusal for an address the identity provider vouches for but no organisation knows.
    static func unknownSingleSignOnEmail(_ email: String) -> StoreError {
        .forbidden(
            message: "Your identity provider signed you in as \(email), but no organisation in Mutual has a member or a person with that address. Ask your organisation's Mutual admin to add you to the directory (or to invite you), then sign in again.")
    }
}
