import ArgumentParser
import Logging
import MutualStore

/// `mutual two-factor-off EMAIL`: the way back for a person who lost both their authenticator
/// and their recovery codes. Run by whoever runs Mutual, after checking who is asking.
struct TwoFactorOffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "two-factor-off",
        abstract: "Turn two-factor sign-in off for one login (lost phone and recovery codes); its password alone then signs in.")

    @Argument(help: "The login's email address.") var email: String
    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try await options.load()
        let logger = Logger(label: "mutual.two-factor-off")
        let database = try MutualDatabase(location: configuration.database, logger: logger)
        do {
            try await database.migrate()
            let store = Store(database: database, sealer: SecretSealer(secret: configuration.secret), logger: logger)
            let changed = try await store.turnOffTwoFactor(email: email)
            await database.shutdown()
            print(changed
                ? "Two-factor sign-in is off for \(email). They sign in with their password and can set it up again under Two-factor sign-in."
                : "\(email) has no login with two-factor sign-in on; nothing changed.")
        } catch {
            await database.shutdown()
            throw error
        }
    }
}
