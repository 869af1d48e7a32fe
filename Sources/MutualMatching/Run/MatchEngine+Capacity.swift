extension MatchEngine {
    /// Pairs and buddies when someone takes more than one partner: an exact b-matching
    /// (``CapacitatedMatching``) on the candidate graph, its whole-pool bound, and with `--prove`
    /// pricing rounds that complete the partner lists of the people the bound still pays for.
    static func finishCapacitated(
        context: ScoringContext, candidates: CandidateGraph, options: MatchOptions, timer: PhaseTimer<MatchPhase>
    ) async -> MatchResult {
        var timer = timer
        let n = context.count
        let capacity = context.capacity
        var edges = candidates.edges.filter { $0.weight > 0 }
        var outside = candidates.outsideBound
        var pairs: [WeightedEdge]
        var totalWeight: Int64
        var upperBound: Int64
        var rounds = 0
        if options.preview {
            pairs = greedyCapacitated(vertexCount: n, edges: edges, capacity: capacity)
            totalWeight = pairs.reduce(0) { $0 + $1.weight }
            upperBound = max(totalWeight, trivialCapacitatedBound(vertexCount: n, edges: edges, capacity: capacity, outsideBound: outside))
            timer.end(.solve)
        } else {
            var solution = CapacitatedMatching.solve(vertexCount: n, edges: edges, capacity: capacity)
            timer.end(.solve)
            var bound = CapacitatedMatching.PoolBound(vertexCount: n, edges: edges, capacity: capacity, maxOutsideWeight: outside)
            if options.prove {
                // Each round lists *every* feasible partner of the people the bound pays for, so
                // their outside bound drops to 0; once nobody is left the bound equals the total.
                while bound.upperBound > solution.totalWeight, rounds < options.maximumPricingRounds {
                    let rows = bound.paysFor.filter { outside[$0] > 0 }
                    if rows.isEmpty { break }
                    rounds += 1
                    progress(timer, rounds, options)
                    edges = WeightedGraph(vertexCount: n, edges: edges + (await allPartners(of: rows, context: context))).edges
                    for row in rows { outside[row] = 0 }
                    solution = CapacitatedMatching.solve(vertexCount: n, edges: edges, capacity: capacity)
                    bound = CapacitatedMatching.PoolBound(vertexCount: n, edges: edges, capacity: capacity, maxOutsideWeight: outside)
                }
                timer.end(.pricing)
            } else {
                timer.end(.bound)
            }
            pairs = solution.pairs
            totalWeight = solution.totalWeight
            upperBound = max(totalWeight, min(solution.upperBound + openBound(capacity, outside), bound.upperBound))
        }

        var degree = [Int](repeating: 0, count: n)
        for pair in pairs {
            degree[Int(pair.u)] += 1
            degree[Int(pair.v)] += 1
        }
        let resultPairs = pairs.map { pair in
            MatchResult.Pair(a: Int(pair.u), b: Int(pair.v), weight: pair.weight, score: context.displayScore(pair.weight),
                             reasons: PairExplainer.reasons(context, Int(pair.u), Int(pair.v)))
        }
        let unmatched = (0..<n).filter { degree[$0] == 0 }
        let detailed = Int64(unmatched.count) * Int64(n) <= 20_000_000
        let unmatchedEntries = unmatched.map { person in
            MatchResult.Unmatched(person: person, reason: UnmatchedExplainer.reason(
                context, person: person, positivePartners: candidates.positivePartnerCount[person],
                exhaustive: candidates.exhaustive[person], onlyOneLeft: false, detailed: detailed))
        }
        let openPlaces = (0..<n).filter { degree[$0] > 0 && degree[$0] < capacity[$0] }.map { person in
            MatchResult.OpenPlace(
                person: person, capacity: Int(capacity[person]), partners: degree[person],
                reason: UnmatchedExplainer.openPlaceReason(
                    context, person: person, partners: degree[person], positivePartners: candidates.positivePartnerCount[person],
                    exhaustive: candidates.exhaustive[person]))
        }
        timer.end(.explain)
        return MatchResult(people: context.people, model: options.model, pairs: resultPairs, triads: [], unmatched: unmatchedEntries,
                           totalWeight: totalWeight, upperBound: upperBound, pricingRounds: rounds,
                           graph: edges, timings: timer.timings, openPlaces: openPlaces, capacitated: true)
    }

    private static func progress(_ timer: PhaseTimer<MatchPhase>, _ rounds: Int, _ options: MatchOptions) {
        timer.progress?(.pricing, Double(rounds) / Double(max(1, options.maximumPricingRounds)))
    }

    /// What open places could still earn outside the graph: each place at most half its owner's bound.
    /// (The b-matching's own dual plus this is a valid bound too; the pool bound is normally tighter.)
    static func openBound(_ capacity: [Int32], _ outside: [Int64]) -> Int64 {
        var total: Int64 = 0
        for (c, a) in zip(capacity, outside) where c > 0 && a > 0 { total += Int64(c) * a }
        return (total + 1) / 2
    }

    /// Every pair with positive weight that joins one of `rows` to anyone in the pool (the rows'
    /// complete partner lists; for mentoring, each row's mentors), scored in parallel chunks.
    static func allPartners(of rows: [Int], context: ScoringContext) async -> [WeightedEdge] {
        let chunks = min(rows.count, 32)
        guard chunks > 0 else { return [] }
        let size = (rows.count + chunks - 1) / chunks
        let found = await withTaskGroup(of: [WeightedEdge].self) { group in
            for chunk in 0..<chunks {
                let slice = rows[min(rows.count, chunk * size)..<min(rows.count, (chunk + 1) * size)]
                group.addTask {
                    var edges: [WeightedEdge] = []
                    for row in slice {
                        for other in 0..<context.count where other != row {
                            if context.model == .mentoring {
                                // Mentoring rows are mentees: their (mentor, mentee) arcs.
                                let weight = context.weight(other, row)
                                if weight > 0 { edges.append(WeightedEdge(other, row, weight)) }
                            } else {
                                let weight = context.weight(row, other)
                                if weight > 0 { edges.append(WeightedEdge(min(row, other), max(row, other), weight)) }
                            }
                        }
                    }
                    return edges
                }
            }
            var all: [WeightedEdge] = []
            for await edges in group { all += edges }
            return all
        }
        // The graph constructor sorts and de-duplicates, so chunk order does not matter.
        return found
    }

    /// The preview with capacities: heaviest pairs first while both people have a place left.
    static func greedyCapacitated(vertexCount: Int, edges: [WeightedEdge], capacity: [Int32]) -> [WeightedEdge] {
        var left = capacity.map { max(0, $0) }
        let order = edges.indices.sorted { edges[$0].weight != edges[$1].weight ? edges[$0].weight > edges[$1].weight : $0 < $1 }
        var chosen: [WeightedEdge] = []
        for index in order {
            let edge = edges[index]
            guard edge.weight > 0, left[Int(edge.u)] > 0, left[Int(edge.v)] > 0 else { continue }
            left[Int(edge.u)] -= 1
            left[Int(edge.v)] -= 1
            chosen.append(edge)
        }
        return chosen.sorted { ($0.u, $0.v) < ($1.u, $1.v) }
    }

    /// Without duals: a b-matching weighs at most half of Σ_u (sum of u's `c_u` heaviest possible pairs),
    /// and each of those is at most u's heaviest graph edge or its outside bound.
    static func trivialCapacitatedBound(vertexCount: Int, edges: [WeightedEdge], capacity: [Int32], outsideBound: [Int64]) -> Int64 {
        var best = outsideBound
        for edge in edges {
            best[Int(edge.u)] = max(best[Int(edge.u)], edge.weight)
            best[Int(edge.v)] = max(best[Int(edge.v)], edge.weight)
        }
        var total: Int64 = 0
        for v in 0..<vertexCount where capacity[v] > 0 { total += Int64(capacity[v]) * best[v] }
        return total / 2
    }
}
