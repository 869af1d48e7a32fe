import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MutualStore
import MutualWeb

/// A running application for one test: its client, its store (same database) and its routes.
public struct TestApp: Sendable {
    public let client: any TestClientProtocol
    public let store: Store
    public let routes: [RouteRecord]
    /// The typed API routes' contracts, by `"METHOD path"`.
    public let contracts: [String: APIContract]
    public let clock: TestClock
    public let backend: TestBackend
    /// The separate metrics listener, when the options ask for one (`metricsPort`).
    public let metricsListener: ListenerAddress?

    /// A new browser with its own cookie jar.
    public func browser() -> BrowserSession { BrowserSession(client: client) }

    /// A new browser signed in as `email` through the sign-in form (the seeds' password unless
    /// another is given). Throws when the sign-in is not answered with its redirect (303), so a
    /// test does not go on signed out.
    public func signedIn(_ email: String, password: String = Seeds.password) async throws -> BrowserSession {
        let browser = browser()
        let answer = try await browser.post("/sign-in", form: ["email": email, "password": password])
        guard answer.status == .seeOther else { throw SeedError("signing in as \(email) answered \(answer.status.code), not 303") }
        return browser
    }
}

/// How a test wants the application configured.
public struct TestAppOptions: Sendable {
    public var baseURL = "http://mutual.test"
    public var trustProxy = true
    public var signInLimits = SignInLimits()
    /// `.router` drives the router in-process; `.live` starts a real HTTP server on a free port.
    public var live = false
    /// A logger of the test's own (to read what the application logs); it then logs at info.
    public var logger: Logger?
    /// `MUTUAL_METRICS_TOKEN` and `MUTUAL_METRICS_PORT` (0: a free port, see `TestApp.metricsListener`).
    /// By default /metrics is served on the main port to this token.
    public var metricsToken: String? = TestAppOptions.metricsToken
    public var metricsPort: Int?
    /// `MUTUAL_OIDC_*` and the transport that stands in for the identity provider.
    public var singleSignOn: OpenIDConnectSettings?
    public var identityProviderTransport: (any IdentityProviderTransport)?
    /// What sends webhooks: a scripted transport (no test reaches the network).
    public var webhookTransport: any WebhookTransport = ScriptedWebhookTransport()
    /// `MUTUAL_WEBHOOK_ALLOW_PRIVATE`.
    public var webhookAllowPrivate = false
    /// The database's logger (a ``QueryCounter``'s, to count the statements a request makes).
    public var databaseLogger: Logger?
    /// `MUTUAL_JOB_WORKERS`; 0 starts no job worker (whose polling would add statements).
    public var jobWorkers: Int?

    /// The metrics token the test application takes unless a test sets another.
    public static let metricsToken = "test-metrics-token-0123456789"

    public init(baseURL: String = "http://mutual.test", trustProxy: Bool = true, signInLimits: SignInLimits = SignInLimits(), live: Bool = false) {
        self.baseURL = baseURL
        self.trustProxy = trustProxy
        self.signInLimits = signInLimits
        self.live = live
    }
}

/// Builds the real application on a fresh test database and runs `body` against it.
public func withTestApp(
    _ backend: TestBackend, options: TestAppOptions = TestAppOptions(), clock: TestClock = TestClock(),
    _ body: @escaping @Sendable (TestApp) async throws -> Void
) async throws {
    let (database, cleanup) = try await backend.makeDatabase(logger: options.databaseLogger)
    var configuration = AppConfiguration()
    configuration.port = 0
    configuration.baseURL = options.baseURL
    configuration.secret = "test-secret-which-is-at-least-32-characters-long"
    configuration.passwordCost = 4
    configuration.trustProxy = options.trustProxy
    configuration.logLevel = options.logger == nil ? .warning : .info
    configuration.metricsToken = options.metricsToken
    configuration.metricsPort = options.metricsPort
    configuration.singleSignOn = options.singleSignOn
    configuration.webhookAllowPrivate = options.webhookAllowPrivate
    if let workers = options.jobWorkers { configuration.jobWorkers = workers }
    var dependencies = AppDependencies(
        clock: clock.mutualClock, tokens: .seeded(UInt64.random(in: 1...UInt64.max)),
        signInLimits: options.signInLimits, database: database, webhookTransport: options.webhookTransport)
    dependencies.identityProviderTransport = options.identityProviderTransport
    var built: Bool = false
    do {
        let application = try await buildApplication(configuration, dependencies: dependencies, logger: options.logger ?? TestBackend.logger)
        built = true
        try await run(application, clock: clock, backend: backend, live: options.live, body)
    } catch {
        // Once built, the application shuts the database down when it stops; before, it is ours
        // (buildApplication closes it itself only when migrating fails).
        if !built && !(error is ConfigurationError) { await database.shutdown() }
        try? await cleanup()
        throw error
    }
    try await cleanup()
}

private func run<App: ApplicationProtocol>(
    _ built: BuiltApplication<App>, clock: TestClock, backend: TestBackend, live: Bool,
    _ body: @escaping @Sendable (TestApp) async throws -> Void
) async throws {
    let store = built.store
    let routes = built.routes
    let contracts = built.contracts
    let metricsListener = built.metricsListener
    try await built.application.test(live ? .live : .router) { client in
        try await body(
            TestApp(
                client: client, store: store, routes: routes, contracts: contracts, clock: clock, backend: backend,
                metricsListener: metricsListener))
    }
}
