import Foundation
import Hummingbird
import Logging
import MutualStore
import NIOCore

/// What the application is built from. Tests pass their own clock, randomness and mail
/// transport; production uses the defaults.
public struct AppDependencies: Sendable {
    public var clock: MutualClock
    public var tokens: SecretTokens
    public var mail: (any MailTransport)?
    public var signInLimits: SignInLimits
    /// An already opened and migrated database to use instead of `configuration.database`
    /// (tests pass one with a schema of its own). The application shuts it down when it stops.
    public var database: MutualDatabase?
    /// The job worker's settings other than those the configuration sets (tests poll faster).
    public var jobWorker: JobWorkerConfiguration?
    /// How Mutual reaches the OpenID Connect provider; nil uses async-http-client (tests pass
    /// a provider of their own).
    public var identityProviderTransport: (any IdentityProviderTransport)?
    /// Sends webhooks; nil uses AsyncHTTPClient (tests pass a recording transport).
    public var webhookTransport: (any WebhookTransport)?

    public init(
        clock: MutualClock = .system, tokens: SecretTokens = .system, mail: (any MailTransport)? = nil,
        signInLimits: SignInLimits = SignInLimits(), database: MutualDatabase? = nil, jobWorker: JobWorkerConfiguration? = nil,
        webhookTransport: (any WebhookTransport)? = nil
    ) {
        self.jobWorker = jobWorker
        self.webhookTransport = webhookTransport
        self.clock = clock
        self.tokens = tokens
        self.mail = mail
        self.signInLimits = signInLimits
        self.database = database
    }
}

/// The pieces `buildApplication` made, for callers that need them (tests, the CLI).
public struct BuiltApplication<App: ApplicationProtocol>: Sendable {
    public let application: App
    public let store: Store
    public let routes: [RouteRecord]
    /// The typed API routes' contracts, by `"METHOD path"`.
    public let contracts: [String: APIContract]
    /// The separate metrics listener's address, when `MUTUAL_METRICS_PORT` asks for one.
    public let metricsListener: ListenerAddress?
}

/// Builds the whole Mutual application from explicit inputs: opens the database, runs the
/// migrations and wires every route. The caller runs it (`runService()`) or tests it.
public func buildApplication(
    _ configuration: AppConfiguration, dependencies: AppDependencies = AppDependencies(), logger: Logger? = nil
) async throws -> BuiltApplication<some ApplicationProtocol> {
    let logger: Logger = {
        var logger = logger ?? Logger(label: "mutual")
        logger.logLevel = configuration.logLevel
        return logger
    }()
    if configuration.secretIsEphemeral {
        logger.warning("MUTUAL_SECRET is not set: using a secret for this process only. Set it (the same on every replica) so forms keep working across restarts and replicas.")
    }
    // Templates and resources first: a broken build should fail before any pool is opened.
    let pages = try await PageRenderer.load()
    let openAPIDocument = try Resource.buffer("Resources/openapi.json")
    let stylesheet = try Resource.buffer("Resources/static/app.css")
    let database = try dependencies.database ?? MutualDatabase(location: configuration.database, logger: logger)
    do {
        try await database.migrate()
    } catch {
        // Pools must be shut down before they are released, or AsyncKit traps.
        await database.shutdown()
        throw ConfigurationError("Could not open or migrate the database (\(configuration.database)): \(String(reflecting: error)). Check the path or URL and that the database is running.")
    }
    let mail = try dependencies.mail ?? MailTransports.make(configuration, database: database, clock: dependencies.clock, logger: logger)
    let store = Store(
        database: database, clock: dependencies.clock, tokens: dependencies.tokens,
        passwords: PasswordHasher(cost: configuration.passwordCost), mail: mail,
        limits: dependencies.signInLimits, sealer: SecretSealer(secret: configuration.secret),
        mailSettings: MailSettings(baseURL: configuration.baseURL, ratePerMinute: configuration.smtpRate),
        webhooks: WebhookSettings(
            transport: dependencies.webhookTransport, retrySchedule: configuration.webhookRetrySchedule,
            allowPrivateAddresses: configuration.webhookAllowPrivate),
        logger: logger)
    let cookies = CookieFactory(secure: configuration.usesHTTPS)
    let tokens = dependencies.tokens
    let signer = CSRFTokenSigner(secret: configuration.secret) { tokens.makeToken() }

    // HEAD answers wherever GET does (monitors and link checkers send it), as the 405 Allow headers say.
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    let routePatterns = RoutePatterns()
    router.addMiddleware {
        RequestLogMiddleware()
        SecurityHeadersMiddleware(https: configuration.usesHTTPS)
        MetricsMiddleware()
        ClientAddressMiddleware(trustedProxies: configuration.proxiesTrusted)
        ErrorMiddleware(pages: pages)
        MethodCheckMiddleware(routes: routePatterns)
        TextInputGuardMiddleware()
        SessionMiddleware(store: store, cookies: cookies)
        CSRFMiddleware(signer: signer, cookies: cookies, maxBodySize: configuration.maxBodySize, streamingUploads: [PeopleImportPages.importPath])
        // Again inside the session and CSRF layers: an error page (a 404 among them) then knows
        // who is signed in and keeps the site's navigation and sign-out form. The outer one
        // answers for what fails before a session is known (a refused form, a wrong method).
        ErrorMiddleware(pages: pages)
    }
    let routes = RouteTable(
        router: router, idempotencyKeys: IdempotencyKeys(store: store), memberGate: TwoFactorRequirementGate(store: store).check)
    let jobGauges = JobQueueGauges()
    let metricsEndpoint = MetricsEndpoint(
        registry: MetricsBootstrap.registry, token: configuration.metricsToken, refreshGauges: { await jobGauges.refresh(from: store) })
    let metricsExposure = MetricsExposure(token: configuration.metricsToken, port: configuration.metricsPort)
    OperationsRoutes(
        database: database, metrics: metricsExposure == .mainPortWithToken ? metricsEndpoint : nil,
        openAPIDocument: openAPIDocument, stylesheet: stylesheet
    ).register(on: routes)
    let identityProvider = configuration.singleSignOn.map {
        IdentityProvider(settings: $0, transport: dependencies.identityProviderTransport ?? AsyncHTTPClientTransport(), clock: dependencies.clock)
    }
    SessionPages(store: store, pages: pages, cookies: cookies, identityProvider: identityProvider, baseURL: configuration.baseURL)
        .register(on: routes)
    PasswordResetPages(store: store, pages: pages, baseURL: configuration.baseURL).register(on: routes)
    UnlockPages(store: store, pages: pages).register(on: routes)
    MemberPages(store: store, pages: pages, baseURL: configuration.baseURL).register(on: routes)
    TokenPages(store: store, pages: pages).register(on: routes)
    AccountsAPI(store: store, baseURL: configuration.baseURL).register(on: routes)
    BulkInvitationsAPI(store: store, baseURL: configuration.baseURL).register(on: routes)
    PeopleImportPages(store: store, pages: pages).register(on: routes)
    PeopleImportAPI(store: store).register(on: routes)
    PeoplePages(store: store, pages: pages).register(on: routes)
    SkillPages(store: store, pages: pages).register(on: routes)
    PeopleAPI(store: store).register(on: routes)
    ProgrammePages(store: store, pages: pages).register(on: routes)
    ProgrammeManagerPages(store: store, pages: pages).register(on: routes)
    ProgrammesAPI(store: store).register(on: routes)
    LaunchPages(store: store, pages: pages).register(on: routes)
    LaunchesAPI(store: store).register(on: routes)
    ProgrammeManagersAPI(store: store).register(on: routes)
    ProgrammeDashboardPages(store: store, pages: pages).register(on: routes)
    KPIsAPI(store: store).register(on: routes)
    EvidencePages(store: store, pages: pages).register(on: routes)
    ConcernPages(store: store, pages: pages).register(on: routes)
    ImpactPages(store: store, pages: pages).register(on: routes)
    ImpactAPI(store: store).register(on: routes)
    OutcomesImportPages(store: store, pages: pages).register(on: routes)
    MatchRunsAPI(store: store).register(on: routes)
    MatchRunPages(store: store, pages: pages).register(on: routes)
    RulesPages(store: store, pages: pages).register(on: routes)
    MatchRulesAPI(store: store).register(on: routes)
    MyMatchPages(store: store, pages: pages).register(on: routes)
    RelationshipPages(store: store, pages: pages).register(on: routes)
    SelfMatchPages(store: store, pages: pages).register(on: routes)
    RelationshipsAPI(store: store).register(on: routes)
    MeetingPages(store: store, pages: pages).register(on: routes)
    MeetingsAPI(store: store).register(on: routes)
    GoalPages(store: store, pages: pages).register(on: routes)
    GoalsAPI(store: store).register(on: routes)
    SlotPages(store: store, pages: pages).register(on: routes)
    SlotsAPI(store: store).register(on: routes)
    JobsPages(store: store, pages: pages).register(on: routes)
    AuditPages(store: store, pages: pages).register(on: routes)
    EmailPages(store: store, pages: pages).register(on: routes)
    TwoFactorPages(store: store, pages: pages).register(on: routes)
    SingleSignOnSettingsPages(store: store, pages: pages, providerName: configuration.singleSignOn?.name).register(on: routes)
    MessagePages(store: store, pages: pages).register(on: routes)
    MessagesAPI(store: store).register(on: routes)
    AttentionPages(store: store, pages: pages).register(on: routes)
    NudgeRulesPages(store: store, pages: pages).register(on: routes)
    NudgesAPI(store: store).register(on: routes)
    CalendarPages(store: store, pages: pages).register(on: routes)
    CalendarAPI(store: store).register(on: routes)
    CalendarFeedRoute(store: store).register(on: routes)
    LedgerPages(store: store, pages: pages).register(on: routes)
    LedgerAPI(store: store).register(on: routes)
    FeedbackPages(store: store, pages: pages).register(on: routes)
    FeedbackAPI(store: store).register(on: routes)
    WebhooksAPI(store: store).register(on: routes)
    WebhookPages(store: store, pages: pages).register(on: routes)
    PrivacyPages(store: store, pages: pages).register(on: routes)
    PrivacyAPI(store: store).register(on: routes)
    SCIMRoutes(store: store, baseURL: configuration.baseURL).register(on: routes)
    ProvisioningPages(store: store, pages: pages, baseURL: configuration.baseURL).register(on: routes)
    routePatterns.load(routes.records)

    var app = Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Mutual"),
        onServerRunning: { channel in
            logger.info("Mutual is listening", metadata: ["address": "\(channel.localAddress?.description ?? "?")", "base_url": "\(configuration.baseURL)"])
        },
        logger: logger)
    app.addServices(DatabaseService(database: database))
    var metricsListener: ListenerAddress?
    switch metricsExposure {
    case .off:
        logger.notice("\(MetricsExposure.howToTurnOn)")
    case .mainPortWithToken:
        break
    case .separatePort(let port):
        let address = ListenerAddress()
        app.addServices(MetricsListener.make(host: configuration.host, port: port, endpoint: metricsEndpoint, address: address, logger: logger))
        metricsListener = address
    }
    if configuration.jobWorkers > 0 {
        var workerConfiguration = dependencies.jobWorker ?? JobWorkerConfiguration()
        workerConfiguration.concurrency = configuration.jobWorkers
        workerConfiguration.lease = configuration.jobLeaseSeconds
        app.addServices(
            JobWorker(store: store, handlers: store.jobHandlers(), schedules: Store.jobSchedules, configuration: workerConfiguration, logger: logger))
    }
    return BuiltApplication(
        application: app, store: store, routes: routes.records, contracts: routes.contracts, metricsListener: metricsListener)
}

/// Reads files shipped in the module's resource bundle.
enum Resource {
    /// The bundle's own folder; `Resources/…` paths are relative to it. (`resourceURL` differs
    /// between platforms, `bundleURL` does not.)
    static func url(_ relativePath: String) -> URL {
        Bundle.module.bundleURL.appendingPathComponent(relativePath)
    }

    static func buffer(_ relativePath: String) throws -> ByteBuffer {
        guard let data = FileManager.default.contents(atPath: url(relativePath).path) else {
            throw ConfigurationError("The file \(relativePath) is missing from the Mutual build. Rebuild with `swift build`.")
        }
        return ByteBuffer(bytes: data)
    }
}
