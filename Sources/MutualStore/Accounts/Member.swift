import Foundation

/// A member as pages and the API show them: a membership with its login's email and the person behind it.
public struct Member: Sendable, Codable, Equatable {
    public var id: UUID
    /// The person in the directory behind the account.
    public var personID: UUID
    public var name: String
    public var email: String
    public var role: Role
    public var department: String
    public var joinedAt: Date
    public var lastSignInAt: Date?

    init(account: Account, login: Login?, person: Person?) throws {
        self.id = try account.requireID()
        self.personID = account.personID
        self.name = account.name
        self.email = login?.email ?? ""
        self.role = account.role
        self.department = person?.department ?? ""
        self.joinedAt = account.createdAt
        self.lastSignInAt = account.lastSignInAt
    }
}
