import FluentKit
import Foundation

/// One organisation a login belongs to, as the "Choose an organisation" page lists it.
public struct Membership: Sendable, Equatable {
    /// The membership (account) id a session would be issued for.
    public let accountID: UUID
    public let organisationID: UUID
    public let organisationName: String
    public let role: Role
    public let lastSignInAt: Date?
}

extension Store {
    /// How long a browser stays signed in without signing in again.
    public static let sessionLifetime: TimeInterval = 14 * 24 * 3600

    /// Starts a session for one membership; returns the token for the cookie (only its digest is stored).
    public func startSession(for account: Account) async throws -> (token: String, expiresAt: Date) {
        let token = tokens.makeToken()
        let now = clock.now
        let session = Session(
            tokenDigest: SecretTokens.digest(token), organisationID: account.organisationID,
            accountID: try account.requireID(), createdAt: now, expiresAt: now.addingTimeInterval(Self.sessionLifetime))
        try await session.create(on: try db())
        account.lastSignInAt = now
        try await account.save(on: try db())
        return (token, session.expiresAt)
    }

    /// The member a session cookie belongs to, or nil when it is unknown or expired.
    public func identity(forSessionToken token: String) async throws -> Identity? {
        guard let session = try await Session.find(SecretTokens.digest(token), on: try db()) else { return nil }
        guard session.expiresAt > clock.now else {
            try await session.delete(on: try db())
            return nil
        }
        return try await identity(accountID: session.accountID)
    }

    /// Ends a session (sign-out). Unknown tokens are ignored: signing out twice is fine.
    public func endSession(token: String) async throws {
        try await Session.query(on: try db()).filter(\.$id == SecretTokens.digest(token)).delete()
    }

    /// The identity of a membership, as a session for it would see it.
    public func identity(for account: Account) async throws -> Identity {
        guard let identity = try await identity(accountID: try account.requireID()) else {
            throw StoreError.notFound(what: "member")
        }
        return identity
    }

    func identity(accountID: UUID) async throws -> Identity? {
        guard let account = try await Account.find(accountID, on: try db()),
            let login = try await Login.find(account.loginID, on: try db()),
            let organisation = try await Organisation.find(account.organisationID, on: try db())
        else { return nil }
        // A person their identity provider deactivated (SCIM) has no sessions and no API tokens:
        // deactivating deleted them, and this refuses any that a race let through.
        guard try await Self.isActive(personID: account.personID, on: try db()) else { return nil }
        let count = try await Account.query(on: try db()).filter(\.$loginID == account.loginID).count()
        return try Identity(account: account, login: login, organisation: organisation, organisationCount: count)
    }

    /// Every organisation a login belongs to, most recently used first, then by name.
    public func memberships(ofLogin loginID: UUID) async throws -> [Membership] {
        let accounts = try await Self.activeMemberships(
            try await Account.query(on: try db()).filter(\.$loginID == loginID).all(), on: try db())
        let organisations = try await Organisation.query(on: try db()).filter(\.$id ~~ accounts.map(\.organisationID)).all()
        let names = Dictionary(organisations.compactMap { o in o.id.map { ($0, o.name) } }, uniquingKeysWith: { a, _ in a })
        return try accounts.map {
            Membership(
                accountID: try $0.requireID(), organisationID: $0.organisationID, organisationName: names[$0.organisationID] ?? "",
                role: $0.role, lastSignInAt: $0.lastSignInAt)
        }
        .sorted { ($0.lastSignInAt ?? .distantPast, $1.organisationName) > ($1.lastSignInAt ?? .distantPast, $0.organisationName) }
    }

    /// The membership a login signs in to by default: the one it used last.
    public func defaultMembership(of login: Login) async throws -> Account {
        let loginID = try login.requireID()
        guard let first = try await memberships(ofLogin: loginID).first,
            let account = try await Account.find(first.accountID, on: try db())
        else {
            if try await Account.query(on: try db()).filter(\.$loginID == loginID).count() > 0 {
                throw StoreError.forbidden(
                    message: "Your organisation has deactivated your Mutual account (through its identity provider), so you cannot sign in. If you think this is a mistake, ask your organisation's IT or Mutual admin to reactivate you.")
            }
            throw StoreError.forbidden(
                message: "This account is not a member of any organisation any more. Ask an organisation's admin for an invitation.")
        }
        return account
    }

    /// The signed-in login's membership of another organisation, to issue a session for it.
    /// Only a membership of the same login is ever returned: any other id is "not found".
    public func switchMembership(to accountID: UUID, from identity: Identity) async throws -> Account {
        guard let account = try await Account.query(on: try db())
            .filter(\.$id == accountID)
            .filter(\.$loginID == identity.loginID)
            .first(),
            try await Self.isActive(personID: account.personID, on: try db())
        else { throw StoreError.notFound(what: "organisation membership") }
        return account
    }

    /// Whether a person is active (not deactivated by their identity provider through SCIM).
    static func isActive(personID: UUID, on database: any Database) async throws -> Bool {
        try await Person.query(on: database).filter(\.$id == personID).filter(\.$deactivatedAt == nil).count() > 0
    }

    /// The memberships whose people are active: a deactivated person's membership cannot be entered.
    static func activeMemberships(_ accounts: [Account], on database: any Database) async throws -> [Account] {
        guard !accounts.isEmpty else { return [] }
        let inactive = Set(
            try await Person.query(on: database).filter(\.$id ~~ accounts.map(\.personID)).filter(\.$deactivatedAt != nil).all().compactMap(\.id))
        return accounts.filter { !inactive.contains($0.personID) }
    }
}
