import FluentKit
import Foundation
import MutualMatching

/// The one path of a match run, shared by the run page, the API and the job worker: ``start``
/// and ``rerun`` queue a run (a durable job), and the worker's handler calls ``execute(runID:)``,
/// which hands the run's people, rules, seed and history to the engine and records its result.
///
/// `start` → ``Store/queue(_:by:)`` (run, event, job in one transaction) → the job worker →
/// `execute` → `MatchEngine.run` or `GroupEngine.run` → ``record(_:on:)`` (``RunResult/decode(_:)``) →
/// ``Store/finish(_:proposal:)`` (the proposal's rows); pages and the API then read it through ``Store/matchRun(id:of:)``.
public struct MatchRunner: Sendable {
    /// Group sizes the app forms for mastermind programmes: four to six, the size at which
    /// everyone gets airtime at a meeting and the group still has enough different backgrounds.
    public static let groupSizeRange = 4...6

    let store: Store

    /// Starts a match run of the programme's enrolled people and returns it at once, still
    /// running: the run is a durable job (``JobKind/matchRun``) that a worker runs with
    /// ``execute(runID:)``; if that worker dies, another takes the job over.
    public func start(programmeID: UUID, seed: Int = 1, by identity: Identity) async throws -> MatchRunSummary {
        let programme = try await store.managedProgramme(id: programmeID, of: identity)
        try MatchRun.checkSeed(seed)
        let enrolled = try await Enrolment.query(on: try store.db()).filter(\.$programmeID == programmeID).count()
        guard enrolled >= 2 else {
            throw StoreError.conflict(field: nil, message: "Matching needs at least two enrolled people; \(programme.name) has \(enrolled). Enrol people first.")
        }
        // The rules are written out in full, so the run can be reproduced from its rules and seed.
        let run = MatchRun(
            queuedIn: identity.organisationID, programmeID: programmeID, model: programme.model,
            rules: RulesFile.encodeText(try Store.rules(of: programme)), seed: seed, participants: enrolled)
        return try await store.queue(run, by: identity)
    }

    /// Starts a new run of the same programme with the same rules (and the given seed, or the
    /// same), around this run's proposal: its locked pairs are kept as they are, its broken
    /// pairs are never proposed again, and the people left out stay out.
    public func rerun(runID: UUID, seed: Int? = nil, by identity: Identity) async throws -> MatchRunSummary {
        try store.requireRole(.programmeManager, identity)
        guard let source = try await MatchRun.query(on: try store.db()).filter(\.$id == runID)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match run") }
        try await store.requireManager(ofProgrammeID: source.programmeID, identity)
        try await store.requireEditable(source)
        let seed = seed ?? source.seed
        try MatchRun.checkSeed(seed)
        let summary = Store.summary(source)
        let run = MatchRun(
            queuedIn: identity.organisationID, programmeID: source.programmeID, model: source.model, rules: source.rules, seed: seed,
            participants: source.participants)
        run.frame = try ProposalCoding.text(
            RunFrame(fromRun: runID, locked: summary.lockedPairs, broken: summary.brokenPairs, excluded: summary.excludedPeople))
        return try await store.queue(run, by: identity)
    }

    /// Runs the engine for a started run and stores its result (or why it failed). A run that
    /// is no longer running (another worker finished it) is left alone, so running a run's job
    /// twice is safe: the same rules and seed give the same result.
    public func execute(runID: UUID) async {
        try? await execute(runID: runID, throwing: false)
    }

    /// As ``execute(runID:)``; with `throwing`, a failure to reach the database is thrown (so
    /// the job is retried) instead of being recorded as the run's failure.
    func execute(runID id: UUID, throwing: Bool) async throws {
        do {
            guard let run = try await MatchRun.find(id, on: try store.db()), run.status == .running,
                let programme = try await Programme.find(run.programmeID, on: try store.db())
            else { return }
            // Everyone enrolled without a pending match or open relationship, and who was together before.
            let people = try await store.matchingPeople(of: programme)
            let history = try await store.previousPairs(in: run.programmeID)
            // The run's own rules (and frame, for a re-run), not the programme's current ones.
            let rules = try Store.runRules(of: run)
            let recorder = RunProgressRecorder(runID: id, database: store.database)
            let engineJSON: JSONValue
            if let model = Store.engineModel(run.model) {
                let options = MatchOptions(model: model, seed: UInt64(run.seed))
                engineJSON = await Self.match(run, people: people, rules: rules, history: history, options: options, progress: recorder.report)
                    .json(includeTimings: false)
            } else {
                // Group formation is a search: its result says so instead of claiming an optimum.
                await recorder.write(RunProgress.forming)
                let options = GroupOptions(sizeRange: Self.groupSizeRange, seed: UInt64(run.seed))
                engineJSON = await GroupEngine.run(people: people, rules: rules, history: history, options: options).json(includeTimings: false)
            }
            await recorder.write(RunProgress.saving)
            let proposal = try Self.record(JSONWriter.write(engineJSON), on: run)
            try await store.finish(run, proposal: proposal)
        } catch {
            if throwing, Store.isUnavailable(error) { throw error }
            store.logger.error("Match run failed", metadata: ["run": "\(id)", "error": "\(error)"])
            await store.recordRunFailure(
                id: id, message: "The run stopped with an error (\(error)). Run it again; if it fails again, tell your administrator.")
        }
    }

    /// Records the engine's finished result on the run: its document as stored text, and the
    /// totals read from it the one way every reader reads it (``RunResult/decode(_:)``). Returns
    /// the proposal, whose rows ``Store/finish(_:proposal:)`` writes.
    static func record(_ engineJSON: String, on run: MatchRun) throws -> RunResult {
        guard let typed = RunResult.decode(engineJSON) else {
            throw StoreError.conflict(field: nil, message: "The engine's result could not be read. Run matching again; if it fails again, tell your administrator.")
        }
        run.participants = typed.participants
        run.pricingRounds = typed.pricingRounds
        run.capacitated = typed.openPlaces != nil
        run.result = engineJSON
        run.progress = ""
        run.recordTotals(of: typed)
        return typed
    }

    /// The matching engine's result for a run, around its frame for a re-run. The same run
    /// inputs give the same bytes.
    static func match(
        _ run: MatchRun, people: [MutualMatching.Person], rules: MatchRules, history: [(String, String)], options: MatchOptions,
        progress: (@Sendable (MatchPhase, Double) -> Void)? = nil
    ) async -> MatchResult {
        let frame = ProposalCoding.frame(run.frame)
        guard !(frame.locked.isEmpty && frame.broken.isEmpty && frame.excluded.isEmpty) else {
            return await MatchEngine.run(people: people, rules: rules, history: history, options: options, progress: progress)
        }
        func pairs(_ list: [[String]]) -> [ProposalFrame.Pair] { list.filter { $0.count == 2 }.map { ProposalFrame.Pair($0[0], $0[1]) } }
        let around = ProposalFrame(locked: pairs(frame.locked), broken: pairs(frame.broken), excluded: frame.excluded)
        return await MatchEngine.run(people: people, rules: rules, history: history, around: around, options: options, progress: progress)
    }
}

extension Store {
    /// The match runner over this store (cheap: it holds only the store).
    public var matchRunner: MatchRunner { MatchRunner(store: self) }
}
