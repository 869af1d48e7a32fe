import ArgumentParser
import Logging
import MutualStore

/// `mutual migrate`: brings the database schema up to date and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Run the database migrations and exit (serve also runs them on start).")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try await options.load()
        let database = try MutualDatabase(location: configuration.database, logger: Logger(label: "mutual.migrate"))
        do {
            try await database.migrate()
        } catch {
            await database.shutdown()
            throw ValidationError("Migrations failed on \(configuration.database): \(error)")
        }
        await database.shutdown()
        print("The database (\(configuration.database)) is up to date.")
    }
}
