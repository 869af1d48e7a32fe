import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long a password reset link works.
    public static let passwordResetLifetime: TimeInterval = 3600
    /// At most this many self-service reset emails go to one login per hour; more requests are
    /// answered the same but send nothing, so the form cannot be used to flood someone's inbox.
    static let passwordResetsPerHour = 3

    /// "Forgot your password?": emails a single-use reset link to the login with this address,
    /// if there is one. The caller always answers the same; the work is the same shape either
    /// way (one lookup, one write transaction), and nothing is returned that says which it was.
    /// `resetURL` turns the link's secret into the absolute link for the email.
    public func requestPasswordReset(email rawEmail: String, resetURL: @escaping @Sendable (String) -> String) async throws {
        let email = try InputRules.email(rawEmail)
        let login = try await Login.query(on: try db()).filter(\.$email == email).first()
        let token = tokens.makeToken()
        let now = clock.now
        try await transaction { database in
            guard let login else { return }
            // Parallel requests for one address would each count the same links and all send;
            // the login's row lock makes them count one after another (PostgreSQL; SQLite
            // already runs one write transaction at a time).
            try await Self.lockRows(Login.schema, where: "id", equals: try login.requireID(), on: database)
            let recent = try await LoginLink.query(on: database)
                .filter(\.$loginID == login.requireID())
                .filter(\.$purpose == .passwordReset)
                .filter(\.$createdAt > now.addingTimeInterval(-3600))
                .count()
            guard recent < Self.passwordResetsPerHour else { return }
            try await self.issuePasswordReset(to: login, token: token, link: resetURL(token), by: nil, on: database)
        }
    }

    /// An admin's "Send a password reset link" for a member of their organisation: the same
    /// link, to the member's login address. The admin never sees the link.
    public func sendPasswordReset(toMember id: UUID, by identity: Identity, resetURL: @escaping @Sendable (String) -> String) async throws -> Member {
        try requireRole(.admin, identity)
        let account = try await scopedAccount(id: id, of: identity)
        guard let login = try await Login.find(account.loginID, on: try db()) else { throw StoreError.notFound(what: "member") }
        let token = tokens.makeToken()
        try await transaction { database in
            try await self.issuePasswordReset(to: login, token: token, link: resetURL(token), by: identity, on: database)
        }
        return try await member(account)
    }

    /// Writes the link (its digest), the email and one `password.reset_requested` event per
    /// organisation the login belongs to, on the caller's transaction.
    private func issuePasswordReset(to login: Login, token: String, link: String, by admin: Identity?, on database: any Database) async throws {
        let now = clock.now
        let loginID = try login.requireID()
        let row = LoginLink(
            loginID: loginID, purpose: .passwordReset, tokenDigest: SecretTokens.digest(token), createdAt: now,
            expiresAt: now.addingTimeInterval(Self.passwordResetLifetime))
        try await row.create(on: database)
        let memberships = try await Account.query(on: database).filter(\.$loginID == loginID).all()
        for account in memberships {
            let byThisAdmin = admin?.organisationID == account.organisationID
            try await record(
                NewEvent(
                    .passwordResetRequested, organisationID: account.organisationID,
                    actor: byThisAdmin ? admin?.personID : account.personID, subject: try account.requireID(),
                    payload: ["by_admin": .bool(byThisAdmin)]),
                on: database)
        }
        // The message carries the link's secret, so it is queued here, sealed, not made from the event.
        var values: [String: any Sendable] = ["link": link, "action": "Choose a new password"]
        if let name = memberships.first?.name { values["name"] = name }
        if let admin {
            values["admin"] = admin.name
            values["organisation"] = admin.organisationName
        }
        _ = try await queueEmail(
            template: "password-reset", category: .essential,
            to: EmailRecipient(personID: nil, email: login.email, name: memberships.first?.name),
            organisationID: admin?.organisationID, values: values,
            uniqueKey: "email:password-reset:\(try row.requireID().uuidString.lowercased())", on: database)
    }

    /// The login a still-usable link of this purpose belongs to, or a `gone` error saying why
    /// the link no longer works.
    public func pendingLoginLink(token: String, purpose: LoginLink.Purpose) async throws -> (LoginLink, Login) {
        let what = purpose == .passwordReset ? "password reset" : "unlock"
        guard let link = try await LoginLink.query(on: try db())
            .filter(\.$tokenDigest == SecretTokens.digest(token))
            .filter(\.$purpose == purpose)
            .first(),
            let login = try await Login.find(link.loginID, on: try db())
        else {
            throw StoreError.gone(message: "This \(what) link is not valid. Check that you copied the whole link, or ask for a new one from the sign-in page (“Forgot your password?”).")
        }
        if link.usedAt != nil {
            throw StoreError.gone(message: "This \(what) link has already been used; each link works once. Ask for a new one from the sign-in page (“Forgot your password?”).")
        }
        if link.expiresAt <= clock.now {
            throw StoreError.gone(message: "This \(what) link has expired. Ask for a new one from the sign-in page (“Forgot your password?”).")
        }
        return (link, login)
    }

    /// Uses up a link with a conditional update on the caller's transaction: of two requests
    /// with the same link, exactly one finds it unused and unexpired.
    func claim(_ link: LoginLink, at now: Date, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else {
            throw StoreError.invalidConfiguration("The database does not support SQL; Mutual needs SQLite or PostgreSQL.")
        }
        let claimed = try await sql.update(LoginLink.schema)
            .set("used_at", to: SQLBind(now))
            .where("id", .equal, SQLBind(try link.requireID()))
            .where("used_at", .is, SQLLiteral.null)
            .where("expires_at", .greaterThan, SQLBind(now))
            .returning("id")
            .all()
        guard !claimed.isEmpty else {
            throw StoreError.gone(message: "This link has already been used; each link works once. Ask for a new one from the sign-in page (“Forgot your password?”).")
        }
    }

    /// Sets a new password with a reset link. In one transaction: the link is claimed (once),
    /// the hash replaced, every session and API token of every membership of the login ended,
    /// the login's other unused links (resets, unlocks) voided and its failed sign-ins cleared.
    public func resetPassword(token: String, newPassword: String) async throws -> Login {
        let (link, _) = try await pendingLoginLink(token: token, purpose: .passwordReset)
        try PasswordHasher.validate(newPassword)
        let hash = try await passwords.hash(newPassword)
        let now = clock.now
        return try await transaction { database in
            try await self.claim(link, at: now, on: database)
            guard let login = try await Login.find(link.loginID, on: database) else {
                throw StoreError.gone(message: "This password reset link is not valid any more. Ask for a new one from the sign-in page.")
            }
            login.passwordHash = hash
            login.lockoutNotifiedAt = nil
            try await login.save(on: database)
            let loginID = try login.requireID()
            try await LoginLink.query(on: database)
                .filter(\.$loginID == loginID)
                .filter(\.$usedAt == nil)
                .set(\.$usedAt, to: now)
                .update()
            let memberships = try await Account.query(on: database).filter(\.$loginID == loginID).all()
            let membershipIDs = try memberships.map { try $0.requireID() }
            try await Session.query(on: database).filter(\.$accountID ~~ membershipIDs).delete()
            // A reset is how an owner takes back a login someone else used (a guessed password, a
            // squatted address): tokens minted meanwhile would outlive it, so they go too. The
            // owner makes new ones on the tokens page.
            try await APIToken.query(on: database).filter(\.$accountID ~~ membershipIDs).delete()
            try await SignInFailure.query(on: database).filter(\.$subject == "account:\(login.email)").delete()
            for account in memberships {
                try await self.record(
                    NewEvent(.passwordReset, organisationID: account.organisationID, actor: account.personID, subject: try account.requireID()),
                    on: database)
            }
            return login
        }
    }
}
