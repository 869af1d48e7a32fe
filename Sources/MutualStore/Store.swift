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
    /// Wakes this process's job worker when a job is queued here.
    public let jobSignal: JobSignal
    /// Seals secrets that queued jobs carry and signs unsubscribe links.
    public let sealer: SecretSealer
    /// Links in messages and the send-rate limit.
    public let mailSettings: MailSettings
    /// How webhooks are sent: transport, retry schedule, address rule, rotation overlap.
    public let webhooks: WebhookSettings
    /// The directory's filter menus per organisation (shared by copies of this store).
    public let directoryFacetCache: DirectoryFacetCache

    public init(
        database: MutualDatabase, clock: MutualClock = .system, tokens: SecretTokens = .system,
        passwords: PasswordHasher = PasswordHasher(), mail: (any MailTransport)? = nil,
        limits: SignInLimits = SignInLimits(), sealer: SecretSealer? = nil, mailSettings: MailSettings = MailSettings(), jobSignal: JobSignal = JobSignal(),
        webhooks: WebhookSettings = WebhookSettings(), directoryFacetCache: DirectoryFacetCache = DirectoryFacetCache(), logger: Logger
    ) {
        self.database = database
        self.clock = clock
        self.tokens = tokens
        self.passwords = passwords
        self.mail = mail ?? OutboxMailTransport(database: database, clock: clock, logger: logger)
        self.limits = limits
        self.logger = logger
        self.sealer = sealer ?? .ephemeral()
        self.jobSignal = jobSignal
        self.mailSettings = mailSettings
        self.webhooks = webhooks
        self.directoryFacetCache = directoryFacetCache
    }

    func db() throws -> any Database { try database.database() }

    /// A write transaction; always use this rather than `db().transaction`, so SQLite writers queue.
    func transaction<T: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        let result = try await database.transaction(work)
        // The transaction may have queued jobs; now that they are committed, the worker can see them.
        jobSignal.notify()
        return result
    }
}

/// Who is signed in, as far as every scoped query is concerned.
public struct Identity: Sendable, Equatable {
    /// The membership signed in to (sessions and API tokens are per membership).
    public let accountID: UUID
    /// The login behind the membership; switching organisation stays within it.
    public let loginID: UUID
    public let organisationID: UUID
    public let personID: UUID
    public let role: Role
    public let name: String
    public let email: String
    public let organisationName: String
    /// How many organisations the login belongs to (more than one offers "Switch organisation").
    public let organisationCount: Int

    public init(account: Account, login: Login, organisation: Organisation, organisationCount: Int = 1) throws {
        self.accountID = try account.requireID()
        self.loginID = try login.requireID()
        self.organisationID = account.organisationID
        self.personID = account.personID
        self.role = account.role
        self.name = account.name
        self.email = login.email
        self.organisationName = organisation.name
        self.organisationCount = organisationCount
    }
}
