import FluentKit
import Foundation

extension Store {
    /// Every member of the signed-in member's organisation, by name.
    public func members(of identity: Identity) async throws -> [Member] {
        let accounts = try await Account.query(on: try db())
            .filter(\.$organisationID == identity.organisationID)
            .sort(\.$name)
            .all()
        let people = try await Person.query(on: try db())
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$id ~~ accounts.map(\.personID))
            .all()
        let peopleByID = Dictionary(people.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        let logins = try await Login.query(on: try db()).filter(\.$id ~~ accounts.map(\.loginID)).all()
        let loginsByID = Dictionary(logins.compactMap { l in l.id.map { ($0, l) } }, uniquingKeysWith: { a, _ in a })
        // An erased person's membership stays (others' invitations point at it) on a placeholder
        // login nobody can use; it is not a member any more.
        return try accounts.filter { loginsByID[$0.loginID]?.email.hasSuffix(Self.erasedLoginDomain) != true }
            .map { try Member(account: $0, login: loginsByID[$0.loginID], person: peopleByID[$0.personID]) }
    }

    /// One member of the caller's organisation; an id from another organisation is "not found".
    public func member(id: UUID, of identity: Identity) async throws -> Member {
        let account = try await scopedAccount(id: id, of: identity)
        return try await member(account)
    }

    /// Changes a member's role. An admin cannot demote themself if they are the last admin,
    /// because nobody could then manage the organisation.
    public func changeRole(ofMember id: UUID, to role: Role, by identity: Identity) async throws -> Member {
        try requireRole(.admin, identity)
        _ = try await scopedAccount(id: id, of: identity)
        let organisationID = identity.organisationID
        let account = try await transaction { transaction -> Account in
            // The organisation's admins are locked before they are counted: two admins demoting
            // each other at once would otherwise both see two admins and leave none.
            try await Self.lockRows(Account.schema, where: "organisation_id", equals: organisationID, on: transaction)
            guard let account = try await Account.find(id, on: transaction), account.organisationID == organisationID else {
                throw StoreError.notFound(what: "member")
            }
            if account.role == .admin && role != .admin {
                let admins = try await Account.query(on: transaction).filter(\.$organisationID == organisationID).filter(\.$role == .admin).count()
                if admins <= 1 {
                    throw StoreError.conflict(
                        field: "role",
                        message: "\(account.name) is the only admin. Make someone else an admin first, then change this role.")
                }
            }
            account.role = role
            try await account.save(on: transaction)
            return account
        }
        return try await member(account)
    }

    func member(_ account: Account) async throws -> Member {
        try Member(
            account: account, login: try await Login.find(account.loginID, on: try db()),
            person: try await Person.find(account.personID, on: try db()))
    }

    func scopedAccount(id: UUID, of identity: Identity) async throws -> Account {
        guard let account = try await Account.query(on: try db())
            .filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID)
            .first()
        else { throw StoreError.notFound(what: "member") }
        return account
    }

    /// Refuses with a clear message when the identity's role is below `role`.
    public func requireRole(_ role: Role, _ identity: Identity) throws {
        guard identity.role >= role else {
            throw StoreError.forbidden(
                message: "This needs the \(role.label.lowercased()) role; you are signed in as \(identity.role.withArticle). Ask an admin if you need access.")
        }
    }
}
