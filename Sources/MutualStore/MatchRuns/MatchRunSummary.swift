import Foundation

/// A finished or running match run, as pages and the API show it.
public struct MatchRunSummary: Sendable, Equatable {
    public let id: UUID
    public let programmeID: UUID
    public let status: MatchRun.Status
    public let model: ProgrammeModel
    public let seed: Int
    public let participants: Int
    public let matched: Int
    /// The run total in the solver's weight units (not the 0–100 pair scores).
    public let totalWeight: Int
    /// A bound for ``totalWeight`` while ``optimality`` has one (``RunOptimality/hasBound``).
    public let upperBound: Int
    /// `nil` until the run is done.
    public let optimality: RunOptimality?
    /// The certified gap in percent (0 when optimal or without a bound).
    public let gapPercent: Double
    public let failure: String
    public let createdAt: Date
    public let finishedAt: Date?
    /// The current proposal, `nil` until done.
    public let result: RunResult?
    /// What a running run is doing, in words; empty once finished.
    public var progress: String = ""
    /// The rules the run used, as a complete rules document (empty for runs made before rules were recorded: the defaults).
    public var rulesJSON: String = ""
    /// The manager's edits to the proposal, oldest first.
    public var edits: [ProposalEdit] = []
    /// What the run was run around (empty for a plain run).
    public var frame = RunFrame()

    /// The current proposal as the engine's JSON (``RunResult/encodedText()``); empty until done.
    public var resultJSON: String { result?.encodedText() ?? "" }

    /// The run's pairs, then its triads, then its groups (empty until done).
    public var groups: [RunGroup] {
        guard let result else { return [] }
        return result.pairs.map { RunGroup(members: [$0.a, $0.b], score: $0.score, reasons: $0.reasons) }
            + (result.triads + result.groups).map { RunGroup(members: $0.members, score: $0.score, reasons: $0.reasons) }
    }

    /// Everyone the run left out, with the engine's reason, by the people file's ids.
    public var unmatched: [(id: String, reason: String)] {
        (result?.unmatched ?? []).map { ($0.id, $0.reason) }
    }

    /// Whether an edit changed the proposal the engine made (locks and unlocks do not).
    public var isEditedByHand: Bool { edits.contains { $0.kind.changesProposal } }
}

/// A pair, triad or group of a finished run, by the people file's ids.
public struct RunGroup: Sendable, Equatable {
    public let members: [String]
    public let score: Int
    public let reasons: [String]
}
