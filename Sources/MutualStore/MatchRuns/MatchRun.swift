import FluentKit
import Foundation

/// One run of the matching engine over a programme's enrolled people: its inputs (model,
/// rules, seed), and, once finished, its result as the engine's JSON. Runs are kept, so any
/// run can be reproduced and compared.
public final class MatchRun: Model, @unchecked Sendable {
    public static let schema = "match_runs"

    public enum Status: String, Codable, Sendable, CaseIterable {
        case running, done, failed
    }

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    @Field(key: "status") public var status: Status
    /// The engine's model (`pairs`, `buddies`, `mentoring`, or `groups` for group formation).
    @Field(key: "model") public var model: ProgrammeModel
    /// The rules the run used, as the rules-file JSON (empty: the model's defaults).
    @Field(key: "rules") public var rules: String
    @Field(key: "seed") public var seed: Int
    @Field(key: "participants") public var participants: Int
    @Field(key: "matched") public var matched: Int
    @Field(key: "total_weight") public var totalWeight: Int
    @Field(key: "upper_bound") public var upperBound: Int
    /// ``RunOptimality``'s raw value once done (empty before); the result's own is what pages read.
    @Field(key: "optimality") public var optimality: String
    /// The certified gap in thousandths of a percent (0 when optimal).
    @Field(key: "gap_millipercent") public var gapMillipercent: Int
    /// The engine's document as the run finished (``RunResult/decode(_:)`` reads it), kept as
    /// the engine wrote it; the current proposal, edits included, is rows (``ProposalRows``).
    @Field(key: "result") public var result: String
    /// Why a failed run failed, for the manager.
    @Field(key: "failure") public var failure: String
    /// What a running run is doing, in words (see ``RunProgress``); empty once finished.
    @Field(key: "progress") public var progress: String
    /// Pricing rounds the engine performed.
    @Field(key: "pricing_rounds") public var pricingRounds: Int
    /// Whether capacities above one made this a run with open places.
    @Field(key: "capacitated") public var capacitated: Bool
    @Field(key: "created_by") public var createdBy: UUID
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// The manager's edits to the proposal, oldest first, as JSON (see ``ProposalEdit``); empty
    /// when untouched. The current proposal, edits applied, is the run's rows (``ProposalRows``).
    @Field(key: "edits") public var edits: String
    /// What this run was run around (locked and broken pairs, people left out, the run it
    /// re-runs), as JSON (see ``RunFrame``); empty for a plain run.
    @Field(key: "frame") public var frame: String

    public init() {
        edits = ""
        frame = ""
    }

    /// A run about to be queued (``Store/queue(_:by:)``): running, nothing measured yet, its
    /// inputs recorded so it can be reproduced from them.
    convenience init(queuedIn organisationID: UUID, programmeID: UUID, model: ProgrammeModel, rules: String, seed: Int, participants: Int) {
        self.init()
        self.organisationID = organisationID
        self.programmeID = programmeID
        status = .running
        self.model = model
        self.rules = rules
        self.seed = seed
        self.participants = participants
        matched = 0
        totalWeight = 0
        upperBound = 0
        optimality = ""
        gapMillipercent = 0
        result = ""
        failure = ""
        progress = RunProgress.loading
        pricingRounds = 0
        capacitated = false
    }

    /// A run's seed must fit the engine's 32-bit seed.
    static func checkSeed(_ seed: Int) throws {
        guard (0...Int(Int32.max)).contains(seed) else {
            throw StoreError.invalid(field: "seed", message: "The seed must be a whole number from 0 to \(Int32.max).")
        }
    }

    /// Copies a proposal's totals onto the row (for lists and events that do not read the result).
    func recordTotals(of typed: RunResult) {
        matched = typed.matched
        totalWeight = typed.totalWeight
        upperBound = typed.upperBound
        optimality = typed.optimality.rawValue
        gapMillipercent = typed.gapMillipercent
    }
}
