import Foundation
import MutualStore
import MutualWeb
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("Defaults serve SQLite on 127.0.0.1:8080")
    func defaults() async throws {
        let configuration = try await AppConfiguration.load(flags: [:], environment: [:], dotEnvPath: nil)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.database == .sqliteFile(path: "./mutual.sqlite"))
        #expect(configuration.baseURL == "http://127.0.0.1:8080")
        #expect(configuration.secretIsEphemeral)
        #expect(!configuration.usesHTTPS)
    }

    @Test("Flags beat the environment, which beats .env")
    func precedence() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let dotEnv = directory.appendingPathComponent(".env")
        try "MUTUAL_PORT=7000\nMUTUAL_HOST=0.0.0.0\nMUTUAL_LOG_LEVEL=debug\n".write(to: dotEnv, atomically: true, encoding: .utf8)
        let configuration = try await AppConfiguration.load(
            flags: ["mutual.port": "9000"],
            environment: ["MUTUAL_PORT": "8000", "MUTUAL_HOST": "10.0.0.5", "DATABASE_URL": "postgres://u:p@db:5432/mutual"],
            dotEnvPath: dotEnv.path)
        #expect(configuration.port == 9000)
        #expect(configuration.host == "10.0.0.5")
        #expect(configuration.logLevel == .debug)
        #expect(configuration.database == .postgres(url: "postgres://u:p@db:5432/mutual"))
        #expect(configuration.database.description.contains("***"), "the password must not reach the logs")
    }

    @Test(
        "Bad values are refused with a message saying how to fix them",
        arguments: [
            ["MUTUAL_PORT": "eighty"], ["MUTUAL_PORT": "70000"], ["MUTUAL_LOG_LEVEL": "loud"],
            ["MUTUAL_BASE_URL": "ftp://x"], ["MUTUAL_SECRET": "short"], ["MUTUAL_PASSWORD_COST": "2"],
            ["MUTUAL_TRUST_PROXY": "maybe"],
        ])
    func badValues(environment: [String: String]) async throws {
        do {
            _ = try await AppConfiguration.load(flags: [:], environment: environment, dotEnvPath: nil)
            Issue.record("accepted \(environment)")
        } catch let error as ConfigurationError {
            #expect(error.message.count > 20)
        }
    }

    @Test("An https base URL makes cookies Secure")
    func https() async throws {
        let configuration = try await AppConfiguration.load(
            flags: ["mutual.base.url": "https://mentoring.example.org/"], environment: [:], dotEnvPath: nil)
        #expect(configuration.usesHTTPS)
        #expect(configuration.baseURL == "https://mentoring.example.org")
    }
}
