import ArgumentParser
import Hummingbird
import MutualStore
import MutualWeb

/// `mutual serve`: runs the web server until SIGINT or SIGTERM, then finishes in-flight
/// requests before exiting.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Mutual server.",
        discussion: """
            Migrations run on start. Environment variables (also read from ./.env):
              MUTUAL_HOST, MUTUAL_PORT, MUTUAL_DATABASE, DATABASE_URL, MUTUAL_BASE_URL,
              MUTUAL_SECRET (at least 32 characters, the same on every replica),
              MUTUAL_LOG_LEVEL, MUTUAL_PASSWORD_COST, MUTUAL_TRUST_PROXY;
            email: MUTUAL_SMTP_URL (smtp://USER:PASS@HOST:587 or smtps://…:465; without it
              messages stay in the outbox table), MUTUAL_MAIL_FROM, MUTUAL_SMTP_RATE (a minute),
              MUTUAL_SMTP_CA_FILE; background jobs: MUTUAL_JOB_WORKERS (default 4, 0 for none),
              MUTUAL_JOB_LEASE_SECONDS (default 60); metrics: MUTUAL_METRICS_TOKEN (bearer
              token for /metrics), MUTUAL_METRICS_PORT (a port of its own); with neither,
              /metrics answers 404.
            """)

    @OptionGroup var options: ServerOptions

    @Flag(help: "Load the demo organisation first (does nothing if it is already there) and print its sign-in details.")
    var demo = false

    func run() async throws {
        let configuration = try await options.load()
        let built = try await buildApplication(configuration)
        if demo {
            try await DemoCommand.load(into: built.store, baseURL: configuration.baseURL)
        }
        try await built.application.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}
