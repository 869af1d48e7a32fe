import Configuration
import Foundation
import Logging
import MutualStore
import SystemPackage

/// Everything an operator can set, read once at start.
///
/// Sources, highest priority first: command-line flags, environment variables, a `.env` file in
/// the working directory, built-in defaults. Keys map to environment variables by upper-casing
/// and joining with `_`: `mutual.port` is `MUTUAL_PORT`.
public struct AppConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var database: DatabaseLocation = .sqliteFile(path: "./mutual.sqlite")
    public var logLevel: Logger.Level = .info
    /// The address people use to reach Mutual; links in emails start with it, and an `https`
    /// address makes cookies `Secure`.
    public var baseURL: String = "http://127.0.0.1:8080"
    /// Signs CSRF tokens. Set the same value on every replica.
    public var secret: String = ""
    /// Whether the secret was generated for this process only (a warning is logged).
    public var secretIsEphemeral = false
    /// Bcrypt cost for new passwords.
    public var passwordCost: UInt8 = 12
    /// Trust a proxy on loopback (`MUTUAL_TRUST_PROXY=true`, the README's nginx on the same host).
    public var trustProxy = false
    /// Proxies whose `X-Forwarded-For` entries are believed (`MUTUAL_TRUSTED_PROXIES`, CIDRs).
    public var trustedProxies: [IPNetwork] = []

    /// Every trusted proxy network: the configured ones, and loopback with ``trustProxy``.
    public var proxiesTrusted: [IPNetwork] { trustedProxies + (trustProxy ? IPNetwork.loopback : []) }
    /// Largest request body accepted, in bytes.
    public var maxBodySize = 1_048_576
    /// The mail server (`smtp://…` or `smtps://…`); `nil` keeps messages in the outbox table.
    public var smtpURL: String?
    /// The sender of every message, e.g. `Mutual <mentoring@example.org>`.
    public var mailFrom: String = "Mutual <mutual@localhost>"
    /// At most this many messages a minute, across all replicas; `nil` for no limit.
    public var smtpRate: Int?
    /// A PEM file of extra trusted certificate authorities for the mail server.
    public var smtpCAFile: String?
    /// How long a job's claim lasts without renewal, in seconds (a dead worker's job is taken
    /// over this long after its last renewal).
    public var jobLeaseSeconds: Double = 60
    /// Jobs this replica runs at once; 0 runs no worker here.
    public var jobWorkers: Int = 4
    /// The bearer token `/metrics` asks for (`MUTUAL_METRICS_TOKEN`); nil for none.
    public var metricsToken: String?
    /// A port of its own for `/metrics` (`MUTUAL_METRICS_PORT`), on the same host as the server;
    /// nil serves no separate listener. 0 (tests only) takes any free port.
    public var metricsPort: Int?
    /// The OpenID Connect identity provider (`MUTUAL_OIDC_*`); nil offers no single sign-on.
    public var singleSignOn: OpenIDConnectSettings?
    /// The waits between webhook attempts, in seconds (`MUTUAL_WEBHOOK_RETRY_SCHEDULE`).
    public var webhookRetrySchedule: [TimeInterval] = WebhookSettings.standardSchedule
    /// Whether webhook endpoints may be on private, loopback and link-local addresses
    /// (`MUTUAL_WEBHOOK_ALLOW_PRIVATE`).
    public var webhookAllowPrivate = false

    public init() {}

    /// Whether cookies must be marked `Secure`.
    public var usesHTTPS: Bool { baseURL.lowercased().hasPrefix("https://") }

    /// The keys, their environment variable names and what they mean, for `--help` and the README.
    public static let documentedKeys: [(key: String, environment: String, meaning: String)] = [
        ("mutual.host", "MUTUAL_HOST", "address to listen on (default 127.0.0.1)"),
        ("mutual.port", "MUTUAL_PORT", "port to listen on (default 8080)"),
        ("mutual.database", "MUTUAL_DATABASE", "SQLite file path, :memory:, or a postgres:// URL (default ./mutual.sqlite)"),
        ("database.url", "DATABASE_URL", "PostgreSQL URL; overrides MUTUAL_DATABASE when set"),
        ("mutual.log.level", "MUTUAL_LOG_LEVEL", "trace, debug, info, notice, warning, error or critical (default info)"),
        ("mutual.base.url", "MUTUAL_BASE_URL", "public address, used in links and to decide Secure cookies (default http://HOST:PORT)"),
        ("mutual.secret", "MUTUAL_SECRET", "signing secret, at least 32 characters; the same on every replica"),
        ("mutual.password.cost", "MUTUAL_PASSWORD_COST", "bcrypt cost 4–31 (default 12)"),
        ("mutual.trust.proxy", "MUTUAL_TRUST_PROXY", "true to trust a proxy on this host (loopback) for X-Forwarded-For (default false)"),
        ("mutual.trusted.proxies", "MUTUAL_TRUSTED_PROXIES", "comma-separated CIDRs of the proxies in front of Mutual, e.g. 10.0.0.0/8; the client is the right-most X-Forwarded-For address not in them"),
        ("mutual.smtp.url", "MUTUAL_SMTP_URL", "mail server, smtp://USER:PASSWORD@HOST:587 (STARTTLS) or smtps://…:465; unset keeps mail in the outbox table"),
        ("mutual.mail.from", "MUTUAL_MAIL_FROM", "sender address, e.g. Mutual <mentoring@example.org>"),
        ("mutual.smtp.rate", "MUTUAL_SMTP_RATE", "at most this many messages a minute across all replicas (default no limit; Microsoft 365 accepts about 30)"),
        ("mutual.smtp.ca.file", "MUTUAL_SMTP_CA_FILE", "PEM file of extra certificate authorities to trust for the mail server"),
        ("mutual.job.lease.seconds", "MUTUAL_JOB_LEASE_SECONDS", "how long a job's claim lasts without renewal; a dead replica's jobs are taken over after it (default 60)"),
        ("mutual.job.workers", "MUTUAL_JOB_WORKERS", "jobs this replica runs at once; 0 runs no job worker here (default 4)"),
        ("mutual.metrics.token", "MUTUAL_METRICS_TOKEN", "serve /metrics only to `Authorization: Bearer` this token (at least 16 characters); with neither this nor MUTUAL_METRICS_PORT, /metrics answers 404"),
        ("mutual.metrics.port", "MUTUAL_METRICS_PORT", "serve /metrics on this port of MUTUAL_HOST instead of the main port (with MUTUAL_METRICS_TOKEN, the token is asked for there too)"),
        ("mutual.oidc.issuer", "MUTUAL_OIDC_ISSUER", "OpenID Connect issuer for single sign-on, e.g. https://login.example.org (http:// only on localhost); unset offers no single sign-on"),
        ("mutual.oidc.client.id", "MUTUAL_OIDC_CLIENT_ID", "the client id the identity provider gave Mutual (its redirect URI is BASE_URL/sign-in/oidc/callback)"),
        ("mutual.oidc.client.secret", "MUTUAL_OIDC_CLIENT_SECRET", "the client secret the identity provider gave Mutual"),
        ("mutual.oidc.name", "MUTUAL_OIDC_NAME", "the sign-in button's label, \"Sign in with NAME\" (default the issuer's host)"),
        ("mutual.webhook.retry.schedule", "MUTUAL_WEBHOOK_RETRY_SCHEDULE", "waits between webhook attempts in seconds, comma-separated (default 5,300,1800,7200,18000,36000,36000, the Standard Webhooks schedule); after the last the endpoint is disabled"),
        ("mutual.webhook.allow.private", "MUTUAL_WEBHOOK_ALLOW_PRIVATE", "true lets webhook endpoints be on private, loopback and link-local addresses (default false: refused, against SSRF)"),
    ]

    /// Reads the configuration. `flags` holds command-line values by key (e.g. `mutual.port`).
    public static func load(
        flags: [String: String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        dotEnvPath: String? = ".env"
    ) async throws -> AppConfiguration {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flags",
                values: Dictionary(
                    uniqueKeysWithValues: flags.map { key, value in
                        (AbsoluteConfigKey(key.split(separator: ".").map(String.init)), ConfigValue(.string(value), isSecret: false))
                    })),
            EnvironmentVariablesProvider(environmentVariables: environment),
        ]
        if let dotEnvPath {
            do {
                providers.append(try await EnvironmentVariablesProvider(environmentFilePath: FilePath(dotEnvPath), allowMissing: true))
            } catch {
                throw ConfigurationError("The file \(dotEnvPath) could not be read (\(error)). Fix its KEY=value lines or remove it.")
            }
        }
        return try AppConfiguration(reader: ConfigReader(providers: providers))
    }

    init(reader: ConfigReader) throws {
        if let host = reader.string(forKey: "mutual.host"), !host.isEmpty { self.host = host }
        if let port = reader.string(forKey: "mutual.port") {
            guard let value = Int(port), (1...65535).contains(value) else {
                throw ConfigurationError("The port \"\(port)\" is not a number from 1 to 65535. Set MUTUAL_PORT or --port to one, e.g. 8080.")
            }
            self.port = value
        }
        if let url = reader.string(forKey: "database.url"), !url.isEmpty {
            self.database = DatabaseLocation(parsing: url)
        } else if let database = reader.string(forKey: "mutual.database"), !database.isEmpty {
            self.database = DatabaseLocation(parsing: database)
        }
        if let level = reader.string(forKey: "mutual.log.level") {
            guard let value = Logger.Level(rawValue: level.lowercased()) else {
                throw ConfigurationError("The log level \"\(level)\" is unknown. Use one of trace, debug, info, notice, warning, error, critical.")
            }
            self.logLevel = value
        }
        if let baseURL = reader.string(forKey: "mutual.base.url"), !baseURL.isEmpty {
            guard let url = URL(string: baseURL), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
                url.host != nil
            else {
                throw ConfigurationError("The base URL \"\(baseURL)\" is not an http:// or https:// address. Set MUTUAL_BASE_URL to e.g. https://mentoring.example.org.")
            }
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        } else {
            self.baseURL = "http://\(host):\(port)"
        }
        if let secret = reader.string(forKey: "mutual.secret", isSecret: true), !secret.isEmpty {
            guard secret.count >= 32 else {
                throw ConfigurationError("MUTUAL_SECRET is too short. Use at least 32 random characters, e.g. from `openssl rand -hex 32`.")
            }
            self.secret = secret
        } else {
            self.secret = SecretTokens.system.makeToken()
            self.secretIsEphemeral = true
        }
        if let cost = reader.string(forKey: "mutual.password.cost") {
            guard let value = UInt8(cost), (4...31).contains(value) else {
                throw ConfigurationError("The password cost \"\(cost)\" must be a number from 4 to 31 (12 is a good choice).")
            }
            self.passwordCost = value
        }
        if let trust = reader.string(forKey: "mutual.trust.proxy") {
            switch trust.lowercased() {
            case "true", "yes", "1": self.trustProxy = true
            case "false", "no", "0": self.trustProxy = false
            default: throw ConfigurationError("MUTUAL_TRUST_PROXY must be true or false, not \"\(trust)\".")
            }
        }
        if let proxies = reader.string(forKey: "mutual.trusted.proxies"), !proxies.trimmingCharacters(in: .whitespaces).isEmpty {
            self.trustedProxies = try proxies.split(separator: ",").map { entry in
                guard let network = IPNetwork(cidr: String(entry)) else {
                    throw ConfigurationError(
                        "MUTUAL_TRUSTED_PROXIES holds \"\(entry.trimmingCharacters(in: .whitespaces))\", which is not an address or a network; write CIDRs such as 10.0.0.0/8,2001:db8::/32.")
                }
                return network
            }
        }
        if let url = reader.string(forKey: "mutual.smtp.url", isSecret: true), !url.isEmpty {
            let lowered = url.lowercased()
            guard lowered.hasPrefix("smtp://") || lowered.hasPrefix("smtps://") else {
                throw ConfigurationError("MUTUAL_SMTP_URL must start with smtp:// or smtps://, e.g. smtp://user:password@mail.example.org:587.")
            }
            self.smtpURL = url
        }
        if let from = reader.string(forKey: "mutual.mail.from"), !from.isEmpty { self.mailFrom = from }
        if let rate = reader.string(forKey: "mutual.smtp.rate"), !rate.isEmpty {
            guard let value = Int(rate), (1...100_000).contains(value) else {
                throw ConfigurationError("MUTUAL_SMTP_RATE must be a number of messages a minute from 1 to 100000, not \"\(rate)\" (30 suits Microsoft 365).")
            }
            self.smtpRate = value
        }
        if let file = reader.string(forKey: "mutual.smtp.ca.file"), !file.isEmpty {
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw ConfigurationError("MUTUAL_SMTP_CA_FILE names \(file), which cannot be read. Give the path of a PEM certificate file.")
            }
            self.smtpCAFile = file
        }
        if let lease = reader.string(forKey: "mutual.job.lease.seconds"), !lease.isEmpty {
            guard let value = Double(lease), value >= 1, value <= 3600 else {
                throw ConfigurationError("MUTUAL_JOB_LEASE_SECONDS must be a number of seconds from 1 to 3600, not \"\(lease)\" (60 is a good choice).")
            }
            self.jobLeaseSeconds = value
        }
        if let workers = reader.string(forKey: "mutual.job.workers"), !workers.isEmpty {
            guard let value = Int(workers), (0...64).contains(value) else {
                throw ConfigurationError("MUTUAL_JOB_WORKERS must be a number from 0 to 64, not \"\(workers)\" (4 is the default).")
            }
            self.jobWorkers = value
        }
        if let token = reader.string(forKey: "mutual.metrics.token", isSecret: true), !token.isEmpty {
            guard token.count >= 16, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline && ($0.asciiValue ?? 0) >= 0x21 }) else {
                throw ConfigurationError("MUTUAL_METRICS_TOKEN must be at least 16 printable characters without spaces, e.g. from `openssl rand -hex 32`.")
            }
            self.metricsToken = token
        }
        if let metricsPort = reader.string(forKey: "mutual.metrics.port"), !metricsPort.isEmpty {
            guard let value = Int(metricsPort), (1...65535).contains(value) else {
                throw ConfigurationError("MUTUAL_METRICS_PORT \"\(metricsPort)\" is not a number from 1 to 65535. Set it to a free port, e.g. 9464, or leave it unset.")
            }
            guard value != port else {
                throw ConfigurationError("MUTUAL_METRICS_PORT is the same as the server's port (\(port)). Choose another port for metrics, e.g. 9464.")
            }
            self.metricsPort = value
        }
        let oidcIssuer = reader.string(forKey: "mutual.oidc.issuer") ?? ""
        let oidcClientID = reader.string(forKey: "mutual.oidc.client.id") ?? ""
        let oidcClientSecret = reader.string(forKey: "mutual.oidc.client.secret", isSecret: true) ?? ""
        if !oidcIssuer.isEmpty {
            self.singleSignOn = try OpenIDConnectSettings(
                issuer: oidcIssuer, clientID: oidcClientID, clientSecret: oidcClientSecret, name: reader.string(forKey: "mutual.oidc.name"))
        } else if !oidcClientID.isEmpty || !oidcClientSecret.isEmpty {
            throw ConfigurationError("MUTUAL_OIDC_CLIENT_ID or MUTUAL_OIDC_CLIENT_SECRET is set but MUTUAL_OIDC_ISSUER is not. Set the issuer too, or unset both to turn single sign-on off.")
        }
        if let schedule = reader.string(forKey: "mutual.webhook.retry.schedule"), !schedule.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                self.webhookRetrySchedule = try WebhookSettings.parseSchedule(schedule)
            } catch {
                throw ConfigurationError(error.localizedDescription)
            }
        }
        if let allow = reader.string(forKey: "mutual.webhook.allow.private"), !allow.isEmpty {
            switch allow.lowercased() {
            case "true", "yes", "1": self.webhookAllowPrivate = true
            case "false", "no", "0": self.webhookAllowPrivate = false
            default: throw ConfigurationError("MUTUAL_WEBHOOK_ALLOW_PRIVATE must be true or false, not \"\(allow)\".")
            }
        }
    }
}

/// A configuration value is wrong; the message says which and how to fix it.
public struct ConfigurationError: Error, LocalizedError, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var errorDescription: String? { message }
    public var description: String { message }
}
