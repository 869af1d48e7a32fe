import FluentKit
import Foundation
import SQLKit

/// A newly made invitation with the one copy of its link token.
public struct IssuedInvitation: Sendable {
    public let invitation: Invitation
    public let token: String
}

extension Store {
    /// How long an invitation link works.
    public static let invitationLifetime: TimeInterval = 7 * 24 * 3600

    /// How long an invitation sent in bulk, with a programme launch or with a match works: the
    /// reminder goes after 7 days and the link works 7 more.
    public static let bulkInvitationLifetime: TimeInterval = 14 * 24 * 3600

    /// When the reminder of a pending invitation goes out.
    public static let invitationReminderDelay: TimeInterval = 7 * 24 * 3600

    /// "7 December 2026" (UTC), for messages about invitations.
    static func invitationDay(_ date: Date) -> String {
        let day = UTCDay(date)
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        return "\(day.day) \(months[day.month - 1]) \(day.year)"
    }

    /// Invites an email address to the admin's organisation and sends the link through the
    /// mail transport. `acceptURL` turns the token into the absolute link for the email.
    ///
    /// The answer is the same whether or not the address has a login anywhere (an admin must
    /// not learn who uses Mutual elsewhere); only a membership of this organisation is refused,
    /// as this organisation's own business. When the address belongs to someone already in the
    /// directory, the invitation names that person, and only that person can be joined by it.
    public func invite(
        email rawEmail: String, role: Role, by identity: Identity, acceptURL: @escaping @Sendable (String) -> String
    ) async throws -> IssuedInvitation {
        try requireRole(.admin, identity)
        let email = try InputRules.email(rawEmail)
        if let login = try await Login.query(on: try db()).filter(\.$email == email).first(),
            try await Account.query(on: try db())
                .filter(\.$loginID == login.requireID())
                .filter(\.$organisationID == identity.organisationID)
                .first() != nil
        {
            throw StoreError.conflict(field: "email", message: "\(email) is already a member of this organisation, so there is no need to invite them.")
        }
        var personID: UUID?
        if let person = try await Person.query(on: try db())
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$email == email)
            .first()
        {
            let id = try person.requireID()
            if try await Account.query(on: try db()).filter(\.$personID == id).first() != nil {
                throw StoreError.conflict(
                    field: "email",
                    message: "\(email) is the directory address of \(person.name), who is already a member of this organisation. Check the address.")
            }
            personID = id
        }
        let invitedPersonID = personID
        let issued = try await transaction { database -> IssuedInvitation? in
            guard let issued = try await self.issueInvitation(
                InvitationDraft(email: email, personID: invitedPersonID, role: role, invitedBy: identity.accountID, actorPersonID: identity.personID),
                organisationID: identity.organisationID, on: database)
            else { return nil }
            try await self.queueInvitationEmail(
                issued, inviter: identity.name, organisationName: identity.organisationName, link: acceptURL(issued.token), on: database)
            return issued
        }
        guard let issued else {
            let pending = try await Invitation.query(on: try db())
                .filter(\.$organisationID == identity.organisationID).filter(\.$pendingKey == email.lowercased()).first()
            let sent = pending.map { Self.invitationDay($0.createdAt) } ?? "recently"
            throw StoreError.conflict(
                field: "email",
                message: "\(email) was already invited on \(sent) and has not answered yet. Withdraw that invitation below to send a new one, or wait for them to accept it.")
        }
        return issued
    }

    /// Who an invitation is for and from, before it exists.
    struct InvitationDraft: Sendable {
        var email: String
        var personID: UUID?
        var role: Role
        var invitedBy: UUID
        var actorPersonID: UUID?
        var programmeID: UUID?
        var lifetime: TimeInterval = Store.invitationLifetime
    }

    /// Writes one invitation and its `invitation.created` event, unless the address already has
    /// a pending one in the organisation (then nil). An expired invitation for the address gives
    /// up its place first. The insert skips on the one-pending-per-address index, so two
    /// simultaneous invitations of one address make one, on both databases.
    func issueInvitation(_ draft: InvitationDraft, organisationID: UUID, on database: any Database) async throws -> IssuedInvitation? {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let now = clock.now
        let key = draft.email.lowercased()
        try await sql.update(Invitation.schema)
            .set("pending_key", to: SQLLiteral.null)
            .where("organisation_id", .equal, SQLBind(organisationID))
            .where("pending_key", .equal, SQLBind(key))
            .where("expires_at", .lessThanOrEqual, SQLBind(now))
            .run()
        let token = tokens.makeToken()
        let id = UUID()
        let expiresAt = now.addingTimeInterval(draft.lifetime)
        let sealed = try sealer.seal(token)
        let inserted = try await sql.insert(into: Invitation.schema)
            .columns(
                "id", "organisation_id", "email", "person_id", "role", "token_digest", "invited_by", "created_at", "expires_at",
                "pending_key", "sealed_token", "programme_id")
            .values(
                SQLBind(id), SQLBind(organisationID), SQLBind(draft.email), SQLBind(draft.personID), SQLBind(draft.role.rawValue),
                SQLBind(SecretTokens.digest(token)), SQLBind(draft.invitedBy), SQLBind(now), SQLBind(expiresAt), SQLBind(key),
                SQLBind(sealed), SQLBind(draft.programmeID))
            .ignoringConflicts(with: ["organisation_id", "pending_key"])
            .returning("id")
            .all()
        guard !inserted.isEmpty else { return nil }
        let invitation = Invitation(
            id: id, organisationID: organisationID, email: draft.email, personID: draft.personID, role: draft.role,
            tokenDigest: SecretTokens.digest(token), invitedBy: draft.invitedBy, createdAt: now, expiresAt: expiresAt)
        invitation.sealedToken = sealed
        invitation.programmeID = draft.programmeID
        invitation.$id.exists = true
        var payload: [String: EventValue] = ["role": .string(draft.role.rawValue)]
        if let programmeID = draft.programmeID { payload["programme_id"] = .id(programmeID) }
        try await record(NewEvent(.invitationCreated, organisationID: organisationID, actor: draft.actorPersonID, subject: id, payload: payload), on: database)
        return IssuedInvitation(invitation: invitation, token: token)
    }

    /// Queues the invitation email with its link (sealed in the job, like every queued email).
    /// Its reminder, 7 days later when the invitation lives longer than that, is a job queued
    /// with it: it sends only if the invitation is still pending then.
    func queueInvitationEmail(
        _ issued: IssuedInvitation, inviter: String, organisationName: String, link: String, on database: any Database
    ) async throws {
        let invitation = issued.invitation
        let id = try invitation.requireID()
        let days = Int((invitation.expiresAt.timeIntervalSince(invitation.createdAt) / 86_400).rounded())
        let values: [String: any Sendable] = [
            "inviter": inviter, "organisation": organisationName, "role": invitation.role.withArticle, "link": link,
            "action": "Accept the invitation", "days": days,
        ]
        try await queueEmail(
            template: "invitation", category: .essential, to: EmailRecipient(personID: nil, email: invitation.email, name: nil),
            organisationID: invitation.organisationID, values: values,
            uniqueKey: "email:invitation:\(id.uuidString.lowercased())", on: database)
        try await queueInvitationReminder(invitation, on: database)
    }

    /// The reminder of an invitation that lives long enough to need one (those sent in bulk,
    /// with a launch or with a match): a job 7 days on that sends only if it is still pending.
    func queueInvitationReminder(_ invitation: Invitation, on database: any Database) async throws {
        let id = try invitation.requireID()
        if invitation.expiresAt.timeIntervalSince(invitation.createdAt) > Self.invitationReminderDelay + 86_400 {
            try await enqueue(
                try NewJob(
                    kind: JobKind.invitationReminder, payload: InvitationReminderJob(invitationID: id), subject: "invitation:\(id.uuidString.lowercased())",
                    organisationID: invitation.organisationID, runAt: invitation.createdAt.addingTimeInterval(Self.invitationReminderDelay),
                    uniqueKey: "invitation-reminder:\(id.uuidString.lowercased())"),
                on: database)
        }
    }

    /// The caller's organisation's invitations, newest first.
    public func invitations(of identity: Identity) async throws -> [Invitation] {
        try requireRole(.admin, identity)
        return try await Invitation.query(on: try db())
            .filter(\.$organisationID == identity.organisationID)
            .sort(\.$createdAt, .descending)
            .all()
    }

    /// Withdraws a pending invitation so its link stops working.
    public func revokeInvitation(id: UUID, by identity: Identity) async throws -> Invitation {
        try requireRole(.admin, identity)
        guard let invitation = try await Invitation.query(on: try db())
            .filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID)
            .first()
        else { throw StoreError.notFound(what: "invitation") }
        if invitation.status(at: clock.now) == .pending {
            invitation.revokedAt = clock.now
            invitation.pendingKey = nil
            try await transaction { database in
                try await invitation.save(on: database)
                try await self.record(
                    NewEvent(.invitationRevoked, organisationID: identity.organisationID, actor: identity.personID, subject: id), on: database)
            }
        }
        return invitation
    }

    /// The pending invitation behind a link, or a `gone` error saying why it no longer works.
    public func pendingInvitation(token: String) async throws -> (Invitation, Organisation) {
        guard let invitation = try await Invitation.query(on: try db())
            .filter(\.$tokenDigest == SecretTokens.digest(token))
            .first(),
            let organisation = try await Organisation.find(invitation.organisationID, on: try db())
        else {
            throw StoreError.gone(message: "This invitation link is not valid. Check that you copied the whole link, or ask your admin for a new invitation.")
        }
        switch invitation.status(at: clock.now) {
        case .pending: return (invitation, organisation)
        case .accepted:
            throw StoreError.gone(message: "This invitation has already been used. Sign in with the account it created, or ask your admin for a new invitation.")
        case .revoked:
            throw StoreError.gone(message: "This invitation was withdrawn by an admin. Ask them for a new one if you should have access.")
        case .expired:
            throw StoreError.gone(message: "This invitation has expired. Ask your admin to send a new one.")
        }
    }

    /// Accepts an invitation with a name and a password. An address without a login gets a new
    /// login with that password; an address that already has one must give that login's
    /// password (checked by ``signIn(email:password:clientAddress:)``, so the sign-in limits
    /// hold here too), and the invitation adds a membership to it. Two simultaneous accepts of
    /// one link create one membership: the second finds it already used.
    public func acceptInvitation(
        token: String, name rawName: String, password: String, clientAddress: String? = nil
    ) async throws -> Account {
        let name = try InputRules.requiredText(rawName, field: "name", label: "your name")
        let (invitation, _) = try await pendingInvitation(token: token)
        if try await Login.query(on: try db()).filter(\.$email == invitation.email).first() != nil {
            let login = try await signIn(email: invitation.email, password: password, clientAddress: clientAddress)
            return try await claim(invitation, name: name, login: .existing(try login.requireID()))
        }
        try PasswordHasher.validate(password)
        let hash = try await passwords.hash(password)
        do {
            return try await claim(invitation, name: name, login: .new(passwordHash: hash))
        } catch is LoginCreatedMeanwhile {
            // The address got a login a moment ago (another invitation accepted at the same time):
            // from now on this is an accept by that login, which needs its password.
            let login: Login
            do {
                login = try await signIn(email: invitation.email, password: password, clientAddress: clientAddress)
            } catch StoreError.wrongCredentials {
                throw StoreError.conflict(
                    field: "password",
                    message: "\(invitation.email) now has an account (it was just created, perhaps by accepting another invitation). Sign in with that account, then open this link again and enter its password.")
            }
            return try await claim(invitation, name: name, login: .existing(try login.requireID()))
        }
    }

    /// Thrown inside ``claim(_:name:login:)`` when the login it was to create already exists;
    /// the transaction rolls back, so the invitation stays pending for the existing-login path.
    private struct LoginCreatedMeanwhile: Error {}

    /// Accepts an invitation as the login already signed in, which must be the one the
    /// invitation was sent to: the membership is added without asking for the password again.
    public func acceptInvitation(token: String, as identity: Identity) async throws -> Account {
        let (invitation, _) = try await pendingInvitation(token: token)
        guard let login = try await Login.find(identity.loginID, on: try db()), login.email == invitation.email else {
            throw StoreError.forbidden(
                message: "This invitation is for \(invitation.email), but you are signed in as \(identity.email). Sign out, then open the link again.")
        }
        return try await claim(invitation, name: identity.name, login: .existing(identity.loginID))
    }

    enum InvitedLogin: Sendable {
        case existing(UUID)
        case new(passwordHash: String)
    }

    /// Uses up the invitation and adds the membership, in one transaction. The membership is for
    /// the organisation the invitation names and the person it names (or a new person), never
    /// for whoever holds the address in the directory now.
    private func claim(_ invitation: Invitation, name: String, login invited: InvitedLogin) async throws -> Account {
        let now = clock.now
        let invitationID = try invitation.requireID()
        return try await transaction { transaction in
            // Claim the invitation first with a conditional update, so only one request wins:
            // the loser's update matches no row and returns nothing.
            guard let sql = transaction as? any SQLDatabase else {
                throw StoreError.invalidConfiguration("The database does not support SQL; Mutual needs SQLite or PostgreSQL.")
            }
            let claimed = try await sql.update(Invitation.schema)
                .set("accepted_at", to: SQLBind(now))
                .set("pending_key", to: SQLLiteral.null)
                .where("id", .equal, SQLBind(invitationID))
                .where("accepted_at", .is, SQLLiteral.null)
                .where("revoked_at", .is, SQLLiteral.null)
                .where("expires_at", .greaterThan, SQLBind(now))
                .returning("id")
                .all()
            guard !claimed.isEmpty else {
                throw StoreError.gone(message: "This invitation has already been used. Sign in with the account it created.")
            }
            let loginID: UUID
            switch invited {
            case .existing(let id):
                loginID = id
            case .new(let hash):
                // Another accept (say, another organisation's invitation to this address) may make
                // the login between the caller's look and here: a plain insert would then break the
                // unique email and, on PostgreSQL, the transaction (a 500). Insert only when absent;
                // if the other one won, this becomes an existing-login accept (see the caller).
                let id = UUID()
                let inserted = try await sql.insert(into: Login.schema)
                    .columns("id", "email", "password_hash", "created_at")
                    .values(SQLBind(id), SQLBind(invitation.email), SQLBind(hash), SQLBind(now))
                    .ignoringConflicts(with: ["email"])
                    .returning("id")
                    .all()
                guard !inserted.isEmpty else { throw LoginCreatedMeanwhile() }
                loginID = id
            }
            // Two accepts for one login and organisation (two invitations to the address) wait for
            // each other here, so the second finds the first's membership and answers 409 rather
            // than breaking the unique (login_id, organisation_id) index (PostgreSQL; SQLite runs
            // one write transaction at a time).
            try await Self.lockRows(Login.schema, where: "id", equals: loginID, on: transaction)
            if try await Account.query(on: transaction)
                .filter(\.$loginID == loginID)
                .filter(\.$organisationID == invitation.organisationID)
                .first() != nil
            {
                throw StoreError.conflict(field: "email", message: "\(invitation.email) is already a member of this organisation. Sign in instead.")
            }
            let personID = try await self.invitedPerson(invitation, name: name, now: now, on: transaction)
            let account = Account(
                organisationID: invitation.organisationID, personID: personID, loginID: loginID, name: name,
                role: invitation.role, createdAt: now)
            try await account.create(on: transaction)
            try await self.record(
                NewEvent(
                    .invitationAccepted, organisationID: invitation.organisationID, actor: personID, subject: invitationID,
                    payload: ["account_id": .id(try account.requireID()), "person_id": .id(personID), "role": .string(invitation.role.rawValue)]),
                on: transaction)
            return account
        }
    }

    /// The person a claimed invitation's membership is for: the one it names, if they are still
    /// in the organisation and have no membership; otherwise a new person. Never looked up by
    /// email, which anyone who can edit a profile can change.
    private func invitedPerson(_ invitation: Invitation, name: String, now: Date, on database: any Database) async throws -> UUID {
        if let named = invitation.personID,
            let person = try await Person.query(on: database)
                .filter(\.$id == named)
                .filter(\.$organisationID == invitation.organisationID)
                .first(),
            try await Account.query(on: database).filter(\.$personID == named).first() == nil
        {
            return try person.requireID()
        }
        var externalID = "member-\(invitation.email)"
        if try await Person.query(on: database)
            .filter(\.$organisationID == invitation.organisationID)
            .filter(\.$externalID == externalID)
            .first() != nil
        {
            externalID = "member-\(UUID().uuidString.lowercased())"
        }
        let person = Person(
            organisationID: invitation.organisationID, externalID: externalID, name: name,
            email: invitation.email, department: "", company: "", level: 0, timeZone: "UTC",
            location: "", languages: [], createdAt: now)
        try await person.create(on: database)
        return try person.requireID()
    }
}
