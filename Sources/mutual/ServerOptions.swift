import ArgumentParser
import Foundation
import Logging
import MutualWeb

/// The flags every server-side command shares. Unset flags fall through to the environment,
/// then `.env`, then the defaults (see `AppConfiguration`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Address to listen on (env MUTUAL_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (env MUTUAL_PORT, default 8080).")
    var port: String?

    @Option(help: "SQLite file, :memory:, or postgres://USER:PASSWORD@HOST:5432/DB (env MUTUAL_DATABASE or DATABASE_URL, default ./mutual.sqlite).")
    var database: String?

    @Option(help: "Public address used in links; https makes cookies Secure (env MUTUAL_BASE_URL, default http://HOST:PORT).")
    var baseURL: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env MUTUAL_LOG_LEVEL, default info).")
    var logLevel: String?

    /// The flags as configuration keys, highest priority.
    var flags: [String: String] {
        var flags: [String: String] = [:]
        if let host { flags["mutual.host"] = host }
        if let port { flags["mutual.port"] = port }
        if let database {
            flags["mutual.database"] = database
            // An explicit flag beats DATABASE_URL from the environment.
            flags["database.url"] = database
        }
        if let baseURL { flags["mutual.base.url"] = baseURL }
        if let logLevel { flags["mutual.log.level"] = logLevel }
        return flags
    }

    /// Reads the configuration and sets up logging, or exits with a clear message.
    func load() async throws -> AppConfiguration {
        do {
            let configuration = try await AppConfiguration.load(flags: flags)
            LoggingSystem.bootstrap { label in
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = configuration.logLevel
                return handler
            }
            return configuration
        } catch let error as ConfigurationError {
            throw ValidationError(error.message)
        }
    }
}
