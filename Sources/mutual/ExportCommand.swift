import ArgumentParser
import Foundation
import Logging
import MutualStore
import MutualWeb

/// `mutual export people`: writes an organisation's people in the import format.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data to files.",
        subcommands: [People.self])

    /// `mutual export people [--output FILE]`.
    struct People: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "people",
            abstract: "Export people as CSV, sorted by id, in the format `mutual import people` reads.")

        @Option(help: "The organisation's slug; may be left out when there is only one organisation.")
        var organisation: String?

        @Option(help: "Write to this file instead of standard output.")
        var output: String?

        @OptionGroup var options: ServerOptions

        func run() async throws {
            let configuration = try await options.load()
            let logger = Logger(label: "mutual.export")
            let handle: FileHandle
            if let output {
                guard FileManager.default.createFile(atPath: output, contents: nil), let opened = FileHandle(forWritingAtPath: output) else {
                    throw ValidationError("Could not write \(output). Check the folder exists and is writable.")
                }
                handle = opened
            } else {
                handle = FileHandle.standardOutput
            }
            let database = try MutualDatabase(location: configuration.database, logger: logger)
            do {
                try await database.migrate()
                let target = try await OrganisationChoice.resolve(organisation, in: database)
                let store = Store(database: database, logger: logger)
                try await store.exportPeople(from: try target.requireID()) { text in
                    try handle.write(contentsOf: Data(text.utf8))
                }
                if output != nil { try handle.close() }
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
        }
    }
}
