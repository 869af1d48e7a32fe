import Foundation

/// One change a manager made to a finished run's proposal, with its effect on the score.
public struct ProposalEdit: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case lock, unlock
        case breakPair = "break"
        case swap, exclude

        /// Whether the edit changes the pairs (locks only mark what a re-run keeps).
        public var changesProposal: Bool { self == .breakPair || self == .swap || self == .exclude }
    }

    public var kind: Kind
    /// The people file's ids: the pair (lock, unlock, break), the two people swapped, or the
    /// person left out.
    public var people: [String]
    /// The effect in words, as the page showed it.
    public var summary: String
    /// Change of the proposal's total score (the solver's weight units).
    public var delta: Int
    /// The total afterwards.
    public var total: Int
    public var accountID: UUID
    /// Who made the edit, as their name read then.
    public var by: String
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case kind, people, summary, delta, total, by, at
        case accountID = "account_id"
    }
}

/// What a run was run around: the previous run's locked pairs (kept as they are), its broken
/// pairs (never proposed again) and the people left out. Empty for a plain run.
public struct RunFrame: Codable, Sendable, Equatable {
    /// The run this one re-runs.
    public var fromRun: UUID?
    /// Pairs as `[a, b]` ids (for mentoring the mentor first).
    public var locked: [[String]]
    public var broken: [[String]]
    public var excluded: [String]

    public init(fromRun: UUID? = nil, locked: [[String]] = [], broken: [[String]] = [], excluded: [String] = []) {
        self.fromRun = fromRun
        self.locked = locked
        self.broken = broken
        self.excluded = excluded
    }

    public var isEmpty: Bool { fromRun == nil && locked.isEmpty && broken.isEmpty && excluded.isEmpty }

    enum CodingKeys: String, CodingKey {
        case locked, broken, excluded
        case fromRun = "from_run"
    }
}

/// A change to a proposal, by the people file's ids.
public enum ProposalChange: Sendable, Equatable {
    /// Keep this pair as it is in a re-run.
    case lock(String, String)
    case unlock(String, String)
    /// Take the pair apart; it is never proposed again.
    case breakPair(String, String)
    /// Exchange two people between their pairs.
    case swap(String, String)
    /// Leave someone out of this proposal and any re-run of it.
    case exclude(String)
}

extension MatchRunSummary {
    /// Pairs kept as they are in a re-run: the frame's locks, then this run's, minus unlocks.
    public var lockedPairs: [[String]] {
        var locked = frame.locked
        for edit in edits {
            switch edit.kind {
            case .lock: locked.append(edit.people)
            case .unlock: locked.removeAll { Set($0) == Set(edit.people) }
            case .breakPair: locked.removeAll { Set($0) == Set(edit.people) }
            default: break
            }
        }
        return locked
    }

    /// Pairs never proposed again: the frame's and the ones broken in this run.
    public var brokenPairs: [[String]] {
        frame.broken + edits.filter { $0.kind == .breakPair }.map(\.people)
    }

    /// People left out: the frame's and the ones excluded in this run.
    public var excludedPeople: [String] {
        frame.excluded + edits.filter { $0.kind == .exclude }.flatMap(\.people)
    }

    /// Whether the pair of these two people is locked.
    public func isLocked(_ a: String, _ b: String) -> Bool {
        lockedPairs.contains { Set($0) == [a, b] }
    }
}

enum ProposalCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func edits(_ text: String) -> [ProposalEdit] {
        guard !text.isEmpty else { return [] }
        return (try? decoder.decode([ProposalEdit].self, from: Data(text.utf8))) ?? []
    }

    static func frame(_ text: String) -> RunFrame {
        guard !text.isEmpty else { return RunFrame() }
        return (try? decoder.decode(RunFrame.self, from: Data(text.utf8))) ?? RunFrame()
    }

    static func text(_ value: some Encodable) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
