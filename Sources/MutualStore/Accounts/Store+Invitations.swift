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

    /// Invites an email address to the admin's organisation and sends the link through the
    /// mail transport. `acceptURL` turns the token into the absolute link for the email.
    public func invite(
        email rawEmail: String, role: Role, by identity: Identity, acceptURL: (String) -> String
    ) async throws -> IssuedInvitation {
        try requireRole(.admin, identity)
        let email = try InputRules.email(rawEmail)
        if try await Account.query(on: try db()).filter(\.$email == email).first() != nil {
            throw StoreError.conflict(field: "email", message: "\(email) already has an account, so there is no need to invite them.")
        }
        let now = clock.now
        let token = tokens.makeToken()
        let invitation = Invitation(
            organisationID: identity.organisationID, email: email, role: role,
            tokenDigest: SecretTokens.digest(token), invitedBy: identity.accountID,
            createdAt: now, expiresAt: now.addingTimeInterval(Self.invitationLifetime))
        let link = acceptURL(token)
        try await transaction { database in
            try await invitation.create(on: database)
            let id = try invitation.requireID()
            try await self.record(
                NewEvent(
                    .invitationCreated, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["role": .string(role.rawValue)]),
                on: database)
            // The message carries the link's secret, so it is queued here, sealed, rather than
            // made from the event (which holds no secrets).
            try await self.queueEmail(
                template: "invitation", category: .essential, to: EmailRecipient(personID: nil, email: email, name: nil),
                organisationID: identity.organisationID,
                values: [
                    "inviter": identity.name, "organisation": identity.organisationName, "role": role.label.lowercased(), "link": link,
                    "action": "Accept the invitation",
                ],
                uniqueKey: "email:invitation:\(id.uuidString.lowercased())", on: database)
        }
        return IssuedInvitation(invitation: invitation, token: token)
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

    /// Accepts an invitation: creates the person and the account, and uses up the link. Two
    /// simultaneous accepts of one link create one account: the second finds it already used.
    public func acceptInvitation(token: String, name rawName: String, password: String) async throws -> Account {
        let name = try InputRules.requiredText(rawName, field: "name", label: "your name")
        try PasswordHasher.validate(password)
        let (invitation, _) = try await pendingInvitation(token: token)
        let hash = try await passwords.hash(password)
        let now = clock.now
        return try await transaction { transaction in
            // Claim the invitation first with a conditional update, so only one request wins:
            // the loser's update matches no row and returns nothing.
            guard let sql = transaction as? any SQLDatabase else {
                throw StoreError.invalidConfiguration("The database does not support SQL; Mutual needs SQLite or PostgreSQL.")
            }
            let claimed = try await sql.update(Invitation.schema)
                .set("accepted_at", to: SQLBind(now))
                .where("id", .equal, SQLBind(try invitation.requireID()))
                .where("accepted_at", .is, SQLLiteral.null)
                .returning("id")
                .all()
            guard !claimed.isEmpty else {
                throw StoreError.gone(message: "This invitation has already been used. Sign in with the account it created.")
            }
            if try await Account.query(on: transaction).filter(\.$email == invitation.email).first() != nil {
                throw StoreError.conflict(field: "email", message: "\(invitation.email) already has an account. Sign in instead.")
            }
            let personID: UUID
            if let existing = try await Person.query(on: transaction)
                .filter(\.$organisationID == invitation.organisationID)
                .filter(\.$email == invitation.email)
                .first()
            {
                // The person is already in the directory (an HR import): the account joins them.
                personID = try existing.requireID()
            } else {
                let person = Person(
                    organisationID: invitation.organisationID, externalID: "member-\(invitation.email)", name: name,
                    email: invitation.email, department: "", company: "", level: 0, timeZone: "UTC",
                    location: "", languages: [], createdAt: now)
                try await person.create(on: transaction)
                personID = try person.requireID()
            }
            let account = Account(
                organisationID: invitation.organisationID, personID: personID,
                email: invitation.email, name: name, passwordHash: hash, role: invitation.role, createdAt: now)
            try await account.create(on: transaction)
            try await self.record(
                NewEvent(
                    .invitationAccepted, organisationID: invitation.organisationID, actor: personID, subject: try invitation.requireID(),
                    payload: ["account_id": .id(try account.requireID()), "person_id": .id(personID), "role": .string(invitation.role.rawValue)]),
                on: transaction)
            return account
        }
    }
}
