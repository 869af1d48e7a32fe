/// What a programme manager decided about an earlier proposal, for a run around it: pairs to
/// keep as they are, pairs never to propose again, and people to leave out.
public struct ProposalFrame: Sendable, Hashable {
    /// Two people by id; for mentoring `a` is the mentor and `b` the mentee.
    public struct Pair: Sendable, Hashable {
        public var a: String
        public var b: String

        public init(_ a: String, _ b: String) {
            self.a = a
            self.b = b
        }
    }

    /// Pairs kept exactly as they are (they use up a place of each member's capacity).
    public var locked: [Pair]
    /// Pairs never proposed again (``HardConstraint/setAside``).
    public var broken: [Pair]
    /// People left out of the run altogether.
    public var excluded: [String]

    public init(locked: [Pair] = [], broken: [Pair] = [], excluded: [String] = []) {
        self.locked = locked
        self.broken = broken
        self.excluded = excluded
    }

    /// Whether the frame changes nothing (a plain run).
    public var isEmpty: Bool { locked.isEmpty && broken.isEmpty && excluded.isEmpty }
}

extension MatchEngine {
    /// Runs a match around a frame: excluded people are left out, broken pairs are forbidden,
    /// and locked pairs are kept as they are while everyone else is matched as usual (a locked
    /// pair takes one place of each member's capacity; someone whose places are all locked sits
    /// the rest of the run out).
    ///
    /// The locked pairs are added to the rest's result, so the total and the upper bound are
    /// those of the best proposal *that keeps the locks*. A locked pair is kept even when a
    /// hard rule now forbids it (the manager chose it); its weight is then what it would score
    /// without that rule. Locks naming someone not in `people` (or excluded) are dropped.
    public static func run(
        people: [Person], rules: MatchRules, history: [(String, String)] = [], around frame: ProposalFrame,
        options: MatchOptions, progress: (@Sendable (MatchPhase, Double) -> Void)? = nil
    ) async -> MatchResult {
        let excluded = Set(frame.excluded)
        let pool = people.filter { !excluded.contains($0.id) }
        let broken = frame.broken.map { ($0.a, $0.b) }
        let full = ScoringContext(people: pool, rules: rules, model: options.model, history: history, setAside: broken)
        let mentoring = options.model == .mentoring

        // The locks that fit: both present, distinct, not repeated, within capacity.
        var locks: [(Int, Int)] = []
        var lockCount = [Int](repeating: 0, count: pool.count)
        var hasLockedMentor = [Bool](repeating: false, count: pool.count)
        var seen = Set<UInt64>()
        for pair in frame.locked {
            guard let a = full.indexOfID[pair.a], let b = full.indexOfID[pair.b], a != b,
                seen.insert(ScoringContext.pairKey(a, b)).inserted
            else { continue }
            if mentoring {
                guard lockCount[a] < max(1, Int(full.capacity[a])), !hasLockedMentor[b] else { continue }
                lockCount[a] += 1
                hasLockedMentor[b] = true
            } else {
                guard lockCount[a] < max(1, Int(full.capacity[a])), lockCount[b] < max(1, Int(full.capacity[b])) else { continue }
                lockCount[a] += 1
                lockCount[b] += 1
            }
            locks.append((a, b))
        }

        // Everyone else, with the places their locks leave them.
        var rest: [Person] = []
        var restIndex: [Int] = []
        for (index, person) in pool.enumerated() {
            var person = person
            let capacity = Int(full.capacity[index])
            if mentoring {
                var role = person.role ?? .both
                if hasLockedMentor[index] {
                    if role == .mentee { continue }
                    role = .mentor
                }
                if lockCount[index] > 0 {
                    let left = capacity - lockCount[index]
                    if left <= 0 {
                        // No mentee places left: still a mentee if they may be one and have no mentor yet.
                        guard role == .both else { continue }
                        role = .mentee
                        person.capacity = 1
                    } else {
                        person.capacity = left
                    }
                }
                person.role = role
            } else if lockCount[index] > 0 {
                let left = capacity - lockCount[index]
                if left <= 0 { continue }
                person.capacity = left
                // Without a role the capacity column is read as partners (see ScoringContext.capacity(of:model:rules:)).
                person.role = nil
            }
            rest.append(person)
            restIndex.append(index)
        }

        let lockedPairs = locks.map { (pool[$0.0].id, pool[$0.1].id) }
        var inner: MatchResult
        if rest.count >= 2 {
            inner = await run(people: rest, rules: rules, history: history, setAside: broken + lockedPairs, options: options, progress: progress)
        } else {
            inner = MatchResult(
                people: rest, model: options.model, pairs: [], triads: [],
                unmatched: rest.indices.map { MatchResult.Unmatched(person: $0, reason: "everyone else is in a locked pair or left out") },
                totalWeight: 0, upperBound: 0, pricingRounds: 0, graph: [], timings: [])
        }

        var pairs = inner.pairs.map { pair in
            var pair = pair
            pair.a = restIndex[pair.a]
            pair.b = restIndex[pair.b]
            return pair
        }
        var lockedWeight: Int64 = 0
        for (a, b) in locks {
            let weight = full.unconstrainedWeight(a, b)
            lockedWeight += weight
            pairs.append(MatchResult.Pair(a: a, b: b, weight: weight, score: full.displayScore(weight), reasons: PairExplainer.reasons(full, a, b)))
        }
        pairs.sort { mentoring ? ($0.b, $0.a) < ($1.b, $1.a) : ($0.a, $0.b) < ($1.a, $1.b) }
        let triads = inner.triads.map { triad in
            var triad = triad
            triad.members = triad.members.map { restIndex[$0] }
            return triad
        }
        let unmatched = inner.unmatched.map { entry in
            var entry = entry
            entry.person = restIndex[entry.person]
            return entry
        }
        let openPlaces = inner.openPlaces.map { entry in
            var entry = entry
            entry.person = restIndex[entry.person]
            entry.capacity = Int(full.capacity[entry.person])
            entry.partners += lockCount[entry.person]
            return entry
        }
        let graph = inner.graph.map { WeightedEdge(restIndex[Int($0.u)], restIndex[Int($0.v)], $0.weight) }
        return MatchResult(
            people: pool, model: options.model, pairs: pairs, triads: triads, unmatched: unmatched,
            totalWeight: inner.totalWeight + lockedWeight, upperBound: inner.upperBound + lockedWeight,
            pricingRounds: inner.pricingRounds, graph: graph, timings: inner.timings, openPlaces: openPlaces,
            capacitated: inner.capacitated || (!mentoring && full.capacity.contains { $0 > 1 }))
    }
}
