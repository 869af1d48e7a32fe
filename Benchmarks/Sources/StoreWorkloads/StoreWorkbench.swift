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

extension StoreWorkbench {
    /// A mutual-pairs programme with everyone in the organisation enrolled (the people must be
    /// imported first, with the generator's ids E000001…); returns its id.
    public func enrolEveryoneInProgramme(count: Int) async throws -> UUID {
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Bench peers", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: admin)
        let ids = (1...count).map { String(format: "E%06d", $0) }.joined(separator: "\n")
        let report = try await store.enrol(csv: "id\n" + ids + "\n", in: programme.id, by: admin)
        precondition(report.problems.isEmpty && report.added == count, "enrolment failed: \(report.problems.prefix(3))")
        return programme.id
    }

    /// One match run of the programme, start to stored result, as the server does it.
    public func runMatching(programmeID: UUID, seed: Int = 1) async throws -> MatchRunSummary {
        let run = try await store.startMatchRun(programmeID: programmeID, seed: seed, by: admin)
        await store.executeMatchRun(id: run.id)
        return try await store.matchRun(id: run.id, of: admin)
    }
}

/// The demo organisation in a fresh SQLite file, for timing a run of its pairs programme.
public enum DemoWorkbench {
    /// Loads the demo and returns the store, the demo admin and the skill-swap programme's id.
    public static func make() async throws -> (StoreWorkbench, UUID) {
        let workbench = try await StoreWorkbench.make()
        _ = try await workbench.store.loadDemo()
        let account = try await workbench.store.signIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, clientAddress: nil)
        let admin = try Identity(account: account, organisation: try await workbench.store.organisation(id: account.organisationID))
        let programmes = try await workbench.store.programmes(of: admin)
        guard let pairs = programmes.first(where: { $0.model == .pairs }) else { throw DemoMissing() }
        return (StoreWorkbench(store: workbench.store, database: workbench.database, admin: admin, path: workbench.path), pairs.id)
    }

    struct DemoMissing: Error {}
}
