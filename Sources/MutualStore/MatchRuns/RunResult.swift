import Foundation

/// A finished run's proposal, typed: what the engine proposed (or what the manager's edits
/// made of it), with the totals and the bound for exactly the pairs, triads and groups listed.
///
/// It is read from the engine's JSON (``MatchResult/json(includeTimings:)`` or
/// ``GroupResult/json(includeTimings:)``, the text `mutual match` prints and runs store) in one
/// place, ``decode(_:)``, and written back in the same shape by ``encodedText()``; the keys it
/// does not model (group plans, coverage, fairness) are the engine's detail and stay in the
/// run's stored text.
public struct RunResult: Codable, Sendable, Equatable {
    /// Two people (for mentoring, `a` is the mentor and `b` the mentee).
    public struct Pair: Codable, Sendable, Equatable {
        public var a: String
        public var b: String
        /// The solver's weight for the pair (the run total's units).
        public var weight: Int
        /// The pair's score out of 100 (the page's units).
        public var score: Int
        public var reasons: [String]

        public init(a: String, b: String, weight: Int, score: Int, reasons: [String]) {
            (self.a, self.b, self.weight, self.score, self.reasons) = (a, b, weight, score, reasons)
        }

        public func contains(_ id: String) -> Bool { a == id || b == id }
    }

    /// Three or more people together: a triad of the odd-one-out policy or a formed group.
    public struct Group: Codable, Sendable, Equatable {
        public var members: [String]
        public var weight: Int
        public var score: Int
        public var reasons: [String]

        public init(members: [String], weight: Int, score: Int, reasons: [String]) {
            (self.members, self.weight, self.score, self.reasons) = (members, weight, score, reasons)
        }
    }

    /// Someone without a partner, and why.
    public struct Unmatched: Codable, Sendable, Equatable {
        public var id: String
        public var reason: String

        public init(id: String, reason: String) { (self.id, self.reason) = (id, reason) }
    }

    /// Someone with capacity above one and places left over, and why.
    public struct OpenPlace: Codable, Sendable, Equatable {
        public var id: String
        public var capacity: Int
        public var partners: Int
        public var reason: String

        public init(id: String, capacity: Int, partners: Int, reason: String) {
            (self.id, self.capacity, self.partners, self.reason) = (id, capacity, partners, reason)
        }
    }

    public var model: ProgrammeModel
    /// The people the engine saw.
    public var participants: Int
    /// The sum of the listed pairs', triads' and groups' weights.
    public var totalWeight: Int
    /// An upper bound for ``totalWeight`` while ``optimality`` ``RunOptimality/hasBound``.
    public var upperBound: Int
    public var optimality: RunOptimality
    /// Pricing rounds the engine performed.
    public var pricingRounds: Int
    public var pairs: [Pair]
    public var triads: [Group]
    /// Mastermind groups (group formation only).
    public var groups: [Group]
    public var unmatched: [Unmatched]
    /// Present only on runs with capacities above one.
    public var openPlaces: [OpenPlace]?

    public init(
        model: ProgrammeModel, participants: Int, totalWeight: Int, upperBound: Int, optimality: RunOptimality, pricingRounds: Int = 0,
        pairs: [Pair] = [], triads: [Group] = [], groups: [Group] = [], unmatched: [Unmatched] = [], openPlaces: [OpenPlace]? = nil
    ) {
        self.model = model
        self.participants = participants
        self.totalWeight = totalWeight
        self.upperBound = upperBound
        self.optimality = optimality
        self.pricingRounds = pricingRounds
        self.pairs = pairs
        self.triads = triads
        self.groups = groups
        self.unmatched = unmatched
        self.openPlaces = openPlaces
    }

    // MARK: Reading and writing

    /// Reads a stored result; `nil` for an empty or unreadable text (a run that never finished).
    public static func decode(_ text: String) -> RunResult? {
        guard !text.isEmpty else { return nil }
        return try? JSONDecoder().decode(RunResult.self, from: Data(text.utf8))
    }

    /// The result as JSON in the engine's shape (keys sorted, so equal results give equal bytes).
    public func encodedText() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    enum CodingKeys: String, CodingKey {
        case model, participants, matched, status, pairs, triads, groups, unmatched
        case totalWeight = "total_weight", upperBound = "upper_bound", gapPercent = "gap_percent"
        case pricingRounds = "pricing_rounds", openPlaces = "open_places"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        model = try container.decode(ProgrammeModel.self, forKey: .model)
        participants = try container.decodeIfPresent(Int.self, forKey: .participants) ?? 0
        pricingRounds = try container.decodeIfPresent(Int.self, forKey: .pricingRounds) ?? 0
        pairs = try container.decodeIfPresent([Pair].self, forKey: .pairs) ?? []
        triads = try container.decodeIfPresent([Group].self, forKey: .triads) ?? []
        groups = try container.decodeIfPresent([Group].self, forKey: .groups) ?? []
        unmatched = try container.decodeIfPresent([Unmatched].self, forKey: .unmatched) ?? []
        openPlaces = try container.decodeIfPresent([OpenPlace].self, forKey: .openPlaces)
        let engineTotal = try container.decodeIfPresent(Int.self, forKey: .totalWeight) ?? 0
        // Group formation writes no bound and no status: it is a search.
        let engineBound = try container.decodeIfPresent(Int.self, forKey: .upperBound) ?? engineTotal
        let status = try container.decodeIfPresent(RunOptimality.self, forKey: .status)
        // The engine's total and bound are for its matching; a triad also counts what the odd one
        // out adds to the pair it joined. Counting that in both keeps the total the sum of what is
        // listed and the bound a bound for it (the triads are fixed once the matching is).
        let listed = pairs.reduce(0) { $0 + $1.weight } + triads.reduce(0) { $0 + $1.weight } + groups.reduce(0) { $0 + $1.weight }
        let triadExtra = max(0, listed - engineTotal)
        totalWeight = engineTotal + triadExtra
        upperBound = max(engineBound + triadExtra, totalWeight)
        optimality = status ?? (model == .groups ? .heuristic : (totalWeight >= upperBound ? .optimal : .gap))
        if status == .edited { upperBound = engineBound }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(participants, forKey: .participants)
        try container.encode(matched, forKey: .matched)
        try container.encode(totalWeight, forKey: .totalWeight)
        try container.encode(upperBound, forKey: .upperBound)
        try container.encode(optimality, forKey: .status)
        try container.encode(Double(gapMillipercent) / 1000, forKey: .gapPercent)
        try container.encode(pricingRounds, forKey: .pricingRounds)
        try container.encode(pairs, forKey: .pairs)
        try container.encode(triads, forKey: .triads)
        if model == .groups { try container.encode(groups, forKey: .groups) }
        try container.encode(unmatched, forKey: .unmatched)
        try container.encodeIfPresent(openPlaces, forKey: .openPlaces)
    }

    // MARK: Derived

    /// People in a pair, triad or group.
    public var matched: Int { Set(pairs.flatMap { [$0.a, $0.b] } + triads.flatMap(\.members) + groups.flatMap(\.members)).count }

    /// Everyone in the proposal: matched or not.
    public var people: Set<String> {
        Set(pairs.flatMap { [$0.a, $0.b] } + triads.flatMap(\.members) + groups.flatMap(\.members) + unmatched.map(\.id))
    }

    /// Thousandths of a percent below the upper bound, rounded up so a tiny gap never reads as
    /// 0.000 (as the engine reports it); 0 without a bound.
    public var gapMillipercent: Int {
        guard optimality.hasBound, upperBound > 0, upperBound > totalWeight else { return 0 }
        return ((upperBound - totalWeight) * 100_000 + upperBound - 1) / upperBound
    }

    /// The sum of the listed weights.
    var listedWeight: Int { pairs.reduce(0) { $0 + $1.weight } + triads.reduce(0) { $0 + $1.weight } + groups.reduce(0) { $0 + $1.weight } }
}
