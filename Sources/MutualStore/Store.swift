import FluentKit
import Foundation
import Logging

/// The store's services with their injected dependencies. Methods that touch an organisation's
/// data take the organisation from an `Identity`, never from the request, so a query can only
/// ever see the signed-in member's own tenant.
public struct Store: Sendable {
    public let database: MutualDatabase
    public let clock: MutualClock
    public let tokens: SecretTokens
    public let passwords: PasswordHasher
    public let mail: any MailTransport
    public let limits: SignInLimits
    public let logger: Logger

    public init(
        database: MutualDatabase, clock: MutualClock = .system, tokens: SecretTokens = .system,
        passwords: PasswordHasher = PasswordHasher(), mail: (any MailTransport)? = nil,
        limits: SignInLimits = SignInLimits(), logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.tokens = tokens
        self.passwords = passwords
        self.mail = mail ?? OutboxMailTransport(database: database, clock: clock, logger: logger)
        self.limits = limits
        self.logger = logger
    }

    func db() throws -> any Database { try database.database() }

    /// A write transaction; always use this rather than `db().transaction`, so SQLite writers queue.
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        try await database.transaction(work)
    }
}

/// Who is signed in, as far as every scoped query is concerned.
public struct Identity: Sendable, Equatable {
    public let accountID: UUID
    public let organisationID: UUID
    public let personID: UUID
    public let role: Role
    public let name: String
    public let email: String
    public let organisationName: String

    public init(account: Account, organisation: Organisation) throws {
        self.accountID = try account.requireID()
        self.organisationID = account.organisationID
        self.personID = account.personID
        self.role = account.role
        self.name = account.name
        self.email = account.email
        self.organisationName = organisation.name
    }
}
