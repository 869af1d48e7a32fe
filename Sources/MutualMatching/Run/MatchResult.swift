/// The outcome of a match run, ready to be written as the JSON the command prints.
public struct MatchResult: Sendable {
    /// A matched pair (for mentoring, `a` is the mentor and `b` the mentee).
    public struct Pair: Sendable, Hashable {
        public var a: Int
        public var b: Int
        public var weight: Int64
        public var score: Int
        public var reasons: [String]
    }

    /// Three people together: a pair plus the person the odd-one-out policy added.
    public struct Triad: Sendable, Hashable {
        public var members: [Int]
        public var weight: Int64
        public var score: Int
        public var reasons: [String]
    }

    /// Someone left without a partner, and why.
    public struct Unmatched: Sendable, Hashable {
        public var person: Int
        public var reason: String
    }

    /// Someone with capacity above one who got fewer partners than places, and why.
    public struct OpenPlace: Sendable, Hashable {
        public var person: Int
        public var capacity: Int
        public var partners: Int
        public var reason: String
    }

    /// Whether the total is proven best for the whole pool.
    public enum Status: String, Sendable {
        case optimal, gap
    }

    public var people: [Person]
    public var model: MatchModel
    public var pairs: [Pair]
    public var triads: [Triad]
    public var unmatched: [Unmatched]
    /// The solver's objective: the sum of matched pair weights.
    public var totalWeight: Int64
    /// An upper bound on the best total for the whole pool.
    public var upperBound: Int64
    /// Pricing rounds performed (`--prove`).
    public var pricingRounds: Int
    /// The graph the solver finished on, for `--emit-graph`.
    public var graph: [WeightedEdge]
    /// Milliseconds per phase, in phase order.
    public var timings: [(MatchPhase, Int)]
    /// People with capacity above one and places left over (empty when everyone's capacity is 1).
    public var openPlaces: [OpenPlace] = []
    /// Whether some capacity above one made this a b-matching run (adds `open_places` to the JSON).
    public var capacitated = false

    public var status: Status { totalWeight >= upperBound ? .optimal : .gap }

    /// `(upper bound − total) / upper bound` in thousandths of a percent.
    public var gapPerHundredThousand: Int64 {
        guard upperBound > 0, upperBound > totalWeight else { return 0 }
        let gap = upperBound - totalWeight
        // Round up so a tiny gap never reads as 0.000.
        return (gap * 100_000 + upperBound - 1) / upperBound
    }

    /// People in a pair or triad.
    public var matchedCount: Int {
        var seen = Set<Int>()
        for pair in pairs {
            seen.insert(pair.a)
            seen.insert(pair.b)
        }
        for triad in triads { seen.formUnion(triad.members) }
        return seen.count
    }

    /// The output document. Timings are the only part that varies between identical runs,
    /// so `includeTimings: false` gives byte-identical output for identical inputs.
    public func json(includeTimings: Bool = true) -> JSONValue {
        var members: [(String, JSONValue)] = [
            ("model", .string(model.rawValue)),
            ("participants", .int(people.count)),
            ("matched", .int(matchedCount)),
            ("total_weight", .int(totalWeight)),
            ("upper_bound", .int(upperBound)),
            ("status", .string(status.rawValue)),
            ("gap_percent", .fixed(gapPerHundredThousand, decimals: 3)),
            ("pricing_rounds", .int(pricingRounds)),
            ("pairs", .array(pairs.map { pair in
                .object([
                    ("a", .string(people[pair.a].id)), ("b", .string(people[pair.b].id)),
                    ("weight", .int(pair.weight)), ("score", .int(pair.score)),
                    ("reasons", .array(pair.reasons.map(JSONValue.string))),
                ])
            })),
            ("triads", .array(triads.map { triad in
                .object([
                    ("members", .array(triad.members.map { .string(people[$0].id) })),
                    ("weight", .int(triad.weight)), ("score", .int(triad.score)),
                    ("reasons", .array(triad.reasons.map(JSONValue.string))),
                ])
            })),
            ("unmatched", .array(unmatched.map { entry in
                .object([("id", .string(people[entry.person].id)), ("reason", .string(entry.reason))])
            })),
        ]
        if capacitated {
            // Only runs with capacities carry this key, so capacity-1 output is unchanged.
            members.append(("open_places", .array(openPlaces.map { entry in
                .object([("id", .string(people[entry.person].id)), ("capacity", .int(entry.capacity)),
                         ("partners", .int(entry.partners)), ("reason", .string(entry.reason))])
            })))
        }
        if includeTimings {
            members.append(("timings", .object(timings.map { ("\($0.0.rawValue)_ms", .int($0.1)) })))
        }
        return .object(members)
    }

    /// The candidate graph as `a,b,weight` CSV lines (with a header), ids quoted as needed.
    public func graphCSV() -> String {
        var output = "a,b,weight\n"
        for edge in graph {
            output += PeopleCSVWriter.quote(people[Int(edge.u)].id) + "," + PeopleCSVWriter.quote(people[Int(edge.v)].id)
            output += ",\(edge.weight)\n"
        }
        return output
    }
}
