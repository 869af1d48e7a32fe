import ArgumentParser
import Foundation
import Logging
import MutualStore
import MutualWeb

/// `mutual demo`: loads the demo organisation and prints how to sign in.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Load the demo organisation (320 people) into the database. Loading it twice changes nothing.")

    @OptionGroup var options: ServerOptions

    func run() async throws {
        let configuration = try await options.load()
        let logger = Logger(label: "mutual.demo")
        let database = try MutualDatabase(location: configuration.database, logger: logger)
        do {
            try await database.migrate()
            let store = Store(database: database, passwords: PasswordHasher(cost: configuration.passwordCost), logger: logger)
            try await Self.load(into: store, baseURL: configuration.baseURL)
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    static func load(into store: Store, baseURL: String) async throws {
        switch try await store.loadDemo() {
        case .created(let people):
            print("Loaded the demo organisation \"\(DemoOrganisation.name)\" with \(people) people.")
        case .alreadyPresent:
            print("The demo organisation is already loaded; nothing was changed.")
        }
        print(
            """

            Sign in at \(baseURL)/sign-in
              admin:       \(DemoOrganisation.adminEmail) / \(DemoOrganisation.adminPassword)
              participant: \(DemoOrganisation.participantEmail) / \(DemoOrganisation.participantPassword)

            """)
        // Sent to a file or a pipe, standard output is block-buffered: without this the
        // accounts would appear only when `mutual serve --demo` stops. (`nil` flushes every
        // stream, without touching the C global `stdout`, which Swift 6 calls unsafe.)
        fflush(nil)
    }
}
