import Foundation
import Logging
import MutualStore

/// A Mutual store on a fresh SQLite file with one organisation, for the store benchmarks.
public final class StoreWorkbench: Sendable {
    public let store: Store
    public let database: MutualDatabase
    public let admin: Identity
    public let path: String

    /// Opens and migrates a new SQLite file in the temporary folder and creates an organisation.
    public static func make() async throws -> StoreWorkbench {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-\(UUID().uuidString).sqlite").path
        var logger = Logger(label: "mutual.bench")
        logger.logLevel = .warning
        let database = try MutualDatabase(location: .sqliteFile(path: path), logger: logger)
        try await database.migrate()
        let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: logger)
        let account = try await store.createOrganisation(
            SetupRequest(organisationName: "Bench Corp", adminName: "Bench Admin", email: "admin@bench.example", password: "benchmark-password"),
            slug: "bench")
        let admin = try Identity(account: account, organisation: try await store.organisation(id: account.organisationID))
        return StoreWorkbench(store: store, database: database, admin: admin, path: path)
    }

    init(store: Store, database: MutualDatabase, admin: Identity, path: String) {
        self.store = store
        self.database = database
        self.admin = admin
        self.path = path
    }

    /// Imports a people file (all-or-nothing) and returns the report.
    public func importFile(_ file: String) async throws -> PeopleImportReport {
        try await store.importPeople(into: admin.organisationID, from: FileByteChunks(path: file), options: PeopleImportOptions(mode: .allOrNothing))
    }

    /// The directory benchmark's query: strong in SQL (level 3 or more), in Engineering, speaking German.
    public func searchFirstPage() async throws -> DirectoryPage {
        try await store.searchPeople(
            DirectoryQuery(skill: "SQL", minimumLevel: 3, department: "Engineering", language: "de"), of: admin)
    }

    /// Shuts the database down and deletes the file.
    public func close() async {
        await database.shutdown()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
