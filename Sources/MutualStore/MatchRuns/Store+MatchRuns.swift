import FluentKit
import Foundation
import MutualMatching
import SQLKit

/// The payload of a match run's job.
public struct MatchRunJob: Codable, Sendable, Equatable {
    public var runID: UUID

    public init(runID: UUID) { self.runID = runID }
}

extension Store {
    /// Writes a new run with its event and its job in one transaction, so a run exists exactly
    /// when the job that will finish it does.
    func queue(_ run: MatchRun, by identity: Identity) async throws -> MatchRunSummary {
        run.createdBy = identity.accountID
        run.createdAt = clock.now
        try await transaction { database in
            try await run.create(on: database)
            let id = try run.requireID()
            try await self.record(
                NewEvent(
                    .matchRunStarted, organisationID: identity.organisationID, actor: identity.personID, subject: id,
                    payload: ["programme_id": .id(run.programmeID), "model": .string(run.model.rawValue), "seed": .int(run.seed)]),
                on: database)
            try await self.enqueue(
                NewJob(
                    kind: JobKind.matchRun, payload: MatchRunJob(runID: id), subject: "match_run:\(id.uuidString.lowercased())",
                    organisationID: identity.organisationID, uniqueKey: "match_run:\(id.uuidString.lowercased())", policy: .matchRun),
                on: database)
        }
        return Self.summary(run)
    }

    /// The match-run job's handler.
    func runMatchRunJob(_ job: ClaimedJob) async throws -> JobOutcome {
        let payload = try job.decode(MatchRunJob.self)
        try await matchRunner.execute(runID: payload.runID, throwing: true)
        return .finished
    }

    /// Marks a run failed when its job is given up (its worker died on every try).
    func giveUpMatchRun(_ job: ClaimedJob, reason: String) async {
        guard let payload = try? job.decode(MatchRunJob.self) else { return }
        await recordRunFailure(id: payload.runID, message: reason)
    }

    /// Stores a finished run, its proposal's rows and its event, unless another worker finished it first.
    func finish(_ run: MatchRun, proposal: RunResult) async throws {
        let id = try run.requireID()
        let now = clock.now
        try await transaction { database in
            // Two workers can finish the same run (the first died before settling its job): the
            // row lock makes the second see the first's `done` and write no second set of rows.
            try await Self.lockRun(id, on: database)
            guard let current = try await MatchRun.find(id, on: database), current.status == .running else { return }
            run.status = .done
            run.finishedAt = now
            try await run.save(on: database)
            try await ProposalRows.insert(proposal, runID: id, organisationID: run.organisationID, on: database)
            try await self.record(
                NewEvent(
                    .matchRunFinished, organisationID: run.organisationID, actor: nil, subject: id,
                    payload: [
                        "programme_id": .id(run.programmeID), "participants": .int(run.participants), "matched": .int(run.matched),
                        "optimality": .string(run.optimality),
                    ]),
                on: database)
        }
    }

    /// Marks a running run failed, with its event.
    func recordRunFailure(id: UUID, message: String) async {
        let now = clock.now
        do {
            try await transaction { database in
                try await Self.lockRun(id, on: database)
                guard let run = try await MatchRun.find(id, on: database), run.status == .running else { return }
                run.status = .failed
                run.failure = message
                run.progress = ""
                run.finishedAt = now
                try await run.save(on: database)
                try await self.record(
                    NewEvent(.matchRunFailed, organisationID: run.organisationID, actor: nil, subject: id, payload: ["programme_id": .id(run.programmeID)]),
                    on: database)
            }
        } catch {
            logger.error("Could not record a match run's failure", metadata: ["run": "\(id)", "error": "\(error)"])
        }
    }

    /// Whether an error means the database could not be used (worth retrying), rather than a
    /// problem with the run itself (which would fail the same way again).
    static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? StoreError, error == .unavailable { return true }
        let text = String(reflecting: error)
        return text.contains("connection") || text.contains("Connection") || text.contains("PSQLError")
    }

    /// Names of the organisation's people by their external id, for showing results.
    public func personNames(externalIDs: [String], of identity: Identity) async throws -> [String: String] {
        var names: [String: String] = [:]
        let unique = Array(Set(externalIDs))
        for slice in unique.queryBatches() {
            for person in try await Person.query(on: try db()).filter(\.$organisationID == identity.organisationID)
                .filter(\.$externalID ~~ Array(slice)).all()
            {
                names[person.externalID] = person.name
            }
        }
        return names
    }

    /// One run; "not found" for another organisation's run.
    public func matchRun(id: UUID, of identity: Identity) async throws -> MatchRunSummary {
        try requireRole(.programmeManager, identity)
        guard let run = try await MatchRun.query(on: try db()).filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID).first()
        else { throw StoreError.notFound(what: "match run") }
        try await requireManager(ofProgrammeID: run.programmeID, identity)
        return try await summary(run, on: try db())
    }

    /// A programme's runs, newest first; their proposals only when asked for (a list shows totals).
    public func matchRuns(of programmeID: UUID, includingProposals: Bool = false, by identity: Identity) async throws -> [MatchRunSummary] {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let runs = try await MatchRun.query(on: try db()).filter(\.$programmeID == programmeID).sort(\.$createdAt, .descending).all()
        guard includingProposals else { return runs.map { Self.summary($0) } }
        var summaries: [MatchRunSummary] = []
        for run in runs { summaries.append(try await summary(run, on: try db())) }
        return summaries
    }

    // MARK: Helpers

    /// Locks a run's row until the transaction ends (PostgreSQL; SQLite's single writer already
    /// runs one write transaction at a time), so a change checked against the row's state is
    /// the only one made from that state.
    static func lockRun(_ id: UUID, on database: any Database) async throws {
        try await lockRows(MatchRun.schema, where: "id", equals: id, on: database)
    }

    static func engineModel(_ model: ProgrammeModel) -> MatchModel? {
        switch model {
        case .pairs: .pairs
        case .buddies: .buddies
        case .mentoring: .mentoring
        case .groups: nil
        }
    }

    /// The run as pages and the API show it, with its proposal read from its rows once done.
    func summary(_ run: MatchRun, on database: any Database) async throws -> MatchRunSummary {
        Self.summary(run, proposal: run.status == .done ? try await ProposalRows.load(run, on: database) : nil)
    }

    /// The run as pages and the API show it, with the given proposal (`nil`: totals only).
    static func summary(_ run: MatchRun, proposal result: RunResult? = nil) -> MatchRunSummary {
        // The row's totals are written with every change of the proposal (``MatchRun/recordTotals(of:)``).
        MatchRunSummary(
            id: run.id ?? UUID(), programmeID: run.programmeID, status: run.status, model: run.model,
            seed: run.seed, participants: run.participants, matched: run.matched, totalWeight: run.totalWeight, upperBound: run.upperBound,
            optimality: run.status == .done ? RunOptimality(rawValue: run.optimality) : nil, gapPercent: Double(run.gapMillipercent) / 1000,
            failure: run.failure, createdAt: run.createdAt, finishedAt: run.finishedAt, result: result,
            progress: run.status == .running ? run.progress : "", rulesJSON: run.rules, edits: ProposalCoding.edits(run.edits), frame: ProposalCoding.frame(run.frame))
    }
}
