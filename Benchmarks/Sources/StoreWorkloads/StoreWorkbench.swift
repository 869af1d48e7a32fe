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
        let admin = try await store.identity(for: account)
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

    /// One match run of the programme, start to stored result, as the server does it
    /// (`matchRunner.start`, then `matchRunner.execute`, which the server calls in the background).
    /// `start` and `stop` bracket exactly those two calls (package-benchmark measures between
    /// them); reading the stored result back happens after `stop`.
    public func runMatching(
        programmeID: UUID, seed: Int = 1, start: () -> Void = {}, stop: () -> Void = {}
    ) async throws -> MatchRunSummary {
        start()
        let run = try await store.matchRunner.start(programmeID: programmeID, seed: seed, by: admin)
        await store.matchRunner.execute(runID: run.id)
        stop()
        return try await store.matchRun(id: run.id, of: admin)
    }
}

/// The demo organisation in a fresh SQLite file, for timing a run of its pairs programme.
public enum DemoWorkbench {
    /// The demo's *Cross-team skill swap* programme ready to be run again, and the run the demo
    /// made of it while loading.
    public struct SkillSwap: Sendable {
        public let workbench: StoreWorkbench
        /// The programme to run: a copy of the skill swap (same settings, rules, people and roles).
        public let programmeID: UUID
        /// The demo's own skill-swap programme (matched and published while the demo loaded).
        public let demoProgrammeID: UUID
        /// The run the demo made of the skill swap while loading, on the full pool: a fresh run of
        /// the copy must give the same result.
        public let reference: MatchRunSummary
    }

    /// Loads the demo and returns the store, the demo admin and the id of the programme to run
    /// (see ``makeSkillSwap()``).
    public static func make() async throws -> (StoreWorkbench, UUID) {
        let swap = try await makeSkillSwap()
        return (swap.workbench, swap.programmeID)
    }

    /// Loads the demo (which runs and publishes every programme) and copies its skill-swap
    /// programme. The demo's own programme cannot be run afresh: its published matches are pending
    /// or accepted, so a run of it now sees only the people the first run left out. The copy has
    /// the same draft, rules and enrolled people (with their roles) and no published matches, so
    /// a run of it is the run of the full skill-swap pool the demo made while loading.
    public static func makeSkillSwap() async throws -> SkillSwap {
        let workbench = try await StoreWorkbench.make()
        _ = try await workbench.store.loadDemo()
        let store = workbench.store
        let login = try await store.signIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, clientAddress: nil)
        let admin = try await store.identity(for: try await store.defaultMembership(of: login))
        let programmes = try await store.programmes(of: admin)
        guard let demo = programmes.first(where: { $0.name == "Cross-team skill swap" && $0.model == .pairs }) else {
            throw WorkloadError("the demo has no pairs programme named Cross-team skill swap")
        }
        // The demo's first run of the programme (the oldest), made while loading.
        guard let reference = try await store.matchRuns(of: demo.id, by: admin).last, reference.status == .done else {
            throw WorkloadError("the demo's skill-swap programme has no finished run")
        }
        var draft = try await store.programme(id: demo.id, of: admin).draft
        draft.name += " (benchmark copy)"
        let copy = try await store.createProgramme(draft, objectives: [], by: admin)
        let rules = try await store.programmeRules(programmeID: demo.id, by: admin)
        if !rules.isDefault { _ = try await store.setProgrammeRules(rules.rules, programmeID: copy.id, by: admin) }
        let enrolled = try await store.enrolments(in: demo.id, by: admin)
        for (role, lines) in Dictionary(grouping: enrolled, by: \.role) {
            _ = try await store.enrol(personIDs: lines.map(\.personID), role: role, in: copy.id, by: admin)
        }
        guard try await store.enrolments(in: copy.id, by: admin).count == enrolled.count, enrolled.count == reference.participants else {
            throw WorkloadError("the copy does not enrol the \(reference.participants) people of the demo's first run (\(enrolled.count) enrolled)")
        }
        let bench = StoreWorkbench(store: store, database: workbench.database, admin: admin, path: workbench.path)
        return SkillSwap(workbench: bench, programmeID: copy.id, demoProgrammeID: demo.id, reference: reference)
    }
}

/// A programme with `count` generated people enrolled, for timing a large match run.
public enum LargeProgrammeWorkbench {
    /// Generates `count` people, imports them into a fresh SQLite file and enrols them all in a
    /// pairs programme; returns the workbench and the programme's id.
    public static func make(count: Int) async throws -> (StoreWorkbench, UUID) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-run-\(count).csv").path
        try PeopleFileGenerator.write(count: count, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let workbench = try await StoreWorkbench.make()
        let report = try await workbench.importFile(file)
        guard report.created == count else { throw WorkloadError("the import did not create all \(count) people: \(report.summary)") }
        let programmeID = try await workbench.enrolEveryoneInProgramme(count: count)
        return (workbench, programmeID)
    }
}

/// What a valid match run must show; ``check(_:)`` throws instead of letting a figure through
/// for a run that failed or matched other people than expected.
public struct MatchRunExpectation: Sendable {
    public var participants: Int
    public var matched: ClosedRange<Int>
    /// When set, the total weight must be exactly this (a rerun of the same pool and seed).
    public var totalWeight: Int?
    /// Largest certified gap accepted, in percent.
    public var maximumGapPercent: Double

    public init(participants: Int, matched: ClosedRange<Int>, totalWeight: Int? = nil, maximumGapPercent: Double = 1) {
        self.participants = participants
        self.matched = matched
        self.totalWeight = totalWeight
        self.maximumGapPercent = maximumGapPercent
    }

    /// The same result as a finished run of the same pool with the same rules and seed.
    public init(sameAs run: MatchRunSummary) {
        self.init(participants: run.participants, matched: run.matched...run.matched, totalWeight: run.totalWeight, maximumGapPercent: run.gapPercent)
    }

    public func check(_ run: MatchRunSummary) throws {
        guard run.status == .done, run.failure.isEmpty else {
            throw WorkloadError("match run \(run.id) did not finish: status \(run.status.rawValue) \(run.failure)")
        }
        guard run.participants == participants, matched.contains(run.matched) else {
            throw WorkloadError("match run \(run.id): \(run.matched) of \(run.participants) matched, expected \(matched) of \(participants)")
        }
        guard run.optimality?.hasBound == true, run.gapPercent <= maximumGapPercent else {
            throw WorkloadError("match run \(run.id): \(run.optimality?.rawValue ?? "not done"), gap \(run.gapPercent) % (at most \(maximumGapPercent) % expected)")
        }
        if let totalWeight, run.totalWeight != totalWeight {
            throw WorkloadError("match run \(run.id): total weight \(run.totalWeight), expected \(totalWeight)")
        }
    }
}

/// A run's counts, for reporting next to its timings (callers need not import MutualStore).
public enum MatchRunCounts {
    public static func of(_ run: MatchRunSummary) -> (participants: Int, matched: Int) {
        (run.participants, run.matched)
    }
}

/// A workload that could not be set up or gave a result that does not count.
public struct WorkloadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
