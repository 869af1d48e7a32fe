/// The whole match run, from people and rules to the explained result: score → candidate
/// graph → exact solve (or preview) → pricing proof → odd one out → explanations.
///
/// This is the one entry point the command line and the server call, so both produce the
/// same matches for the same input.
public enum MatchEngine {
    /// Runs a match.
    ///
    /// - Parameters:
    ///   - history: pairs of ids that were partners before (see ``HistoryFile``).
    ///   - setAside: pairs of ids never to match, whatever the rules (``HardConstraint/setAside``).
    ///   - progress: called with a phase and the fraction of it done, from any thread.
    public static func run(
        people: [Person], rules: MatchRules, history: [(String, String)] = [], setAside: [(String, String)] = [],
        options: MatchOptions, progress: (@Sendable (MatchPhase, Double) -> Void)? = nil
    ) async -> MatchResult {
        var timer = PhaseTimer(progress: progress)

        let context = ScoringContext(people: people, rules: rules, model: options.model, history: history, setAside: setAside)
        var k = options.partnersPerPerson
        var scanLimit = options.scanLimit
        if options.preview {
            // The preview trades depth for speed: short lists, bounded scans, and no one-way
            // partners for people with a full list of partners who both learn (which pays for
            // two more partners each than the 12 it kept before, at a higher quality).
            k = k ?? min(14, CandidateGraph.defaultPartnersPerPerson(poolSize: people.count))
            scanLimit = min(scanLimit, 300)
        }
        var candidates = await CandidateGenerator.build(context, partnersPerPerson: k, scanLimit: scanLimit, reciprocalFirst: options.preview) { fraction in
            progress?(.candidates, fraction)
        }
        timer.end(.candidates)

        if options.model == .mentoring {
            return await finishMentoring(context: context, candidates: candidates, options: options, timer: timer)
        }
        if context.capacity.contains(where: { $0 > 1 }) {
            // Only pools where someone takes several partners pay for the b-matching reduction.
            return await finishCapacitated(context: context, candidates: candidates, options: options, timer: timer)
        }

        var graph = WeightedGraph(vertexCount: people.count, edges: candidates.edges)
        var mate: [Int32]
        var totalWeight: Int64
        var upperBound: Int64
        var rounds = 0
        if options.preview {
            let preview = PreviewMatcher.match(graph, seed: options.seed)
            mate = preview.mate
            totalWeight = preview.totalWeight
            upperBound = trivialUpperBound(graph: graph, outsideBound: candidates.outsideBound)
            timer.end(.solve)
        } else {
            var solution = MaximumWeightMatching.solve(graph)
            timer.end(.solve)
            if options.prove {
                while rounds < options.maximumPricingRounds {
                    let missing = await PricingOracle.violations(
                        context: context, candidates: candidates, graph: graph, certificate: solution.certificate)
                    if missing.isEmpty { break }
                    rounds += 1
                    progress?(.pricing, Double(rounds) / Double(options.maximumPricingRounds))
                    graph = graph.adding(missing)
                    solution = MaximumWeightMatching.solve(graph, warmStart: solution)
                }
                timer.end(.pricing)
            }
            mate = solution.mate
            totalWeight = solution.totalWeight
            if options.prove, rounds < options.maximumPricingRounds {
                // Pricing found nothing uncovered: the dual covers every pair of the pool.
                upperBound = max(totalWeight, solution.dualObjective)
            } else {
                // One more solve on shifted weights gives the tightest bound of its kind (see PoolBound).
                var bound = PoolBound(graph: graph, maxOutsideWeight: candidates.outsideBound, candidateSolution: solution)
                // Most of what is left of the gap is the price of the people the bound pays for
                // (about 1 % at 100,000): deeper lists for just them lower their outside bounds
                // and may find them a partner, for a small fraction of the first search.
                var deepened = 0
                while deepened < deepeningRounds, bound.upperBound > solution.totalWeight, !bound.paysFor.isEmpty {
                    deepened += 1
                    candidates = await CandidateGenerator.deepen(
                        candidates, context: context, people: bound.paysFor,
                        partnersPerPerson: candidates.partnersPerPerson * deepeningFactor, scanLimit: scanLimit)
                    graph = WeightedGraph(vertexCount: people.count, edges: candidates.edges)
                    solution = MaximumWeightMatching.solve(graph, warmStart: solution)
                    bound = PoolBound(graph: graph, maxOutsideWeight: candidates.outsideBound, candidateSolution: solution)
                }
                mate = solution.mate
                totalWeight = solution.totalWeight
                upperBound = max(totalWeight, bound.upperBound)
                timer.end(.bound)
            }
        }

        var neighbours = [[Int32]](repeating: [], count: people.count)
        for edge in graph.edges where edge.weight > 0 {
            neighbours[Int(edge.u)].append(edge.v)
            neighbours[Int(edge.v)].append(edge.u)
        }
        var unmatched = (0..<people.count).filter { mate[$0] < 0 }
        var triads: [MatchResult.Triad] = []
        var inTriad = [Int: Int]()  // lower pair member → added person
        if rules.oddOneOut == .triad {
            for placement in TriadBuilder.place(unmatched: unmatched, mate: mate, context: context, neighbours: neighbours) {
                inTriad[placement.pair.0] = placement.person
            }
            unmatched.removeAll { person in inTriad.values.contains(person) }
        }

        var pairs: [MatchResult.Pair] = []
        for a in 0..<people.count where Int(mate[a]) > a {
            let b = Int(mate[a])
            let weight = graph.weight(a, b) ?? context.weight(a, b)
            if let third = inTriad[a] {
                let added = context.weight(third, a) + context.weight(third, b)
                let reasons = PairExplainer.reasons(context, a, b)
                    + PairExplainer.reasons(context, third, a).map { "\(context.people[third].displayName) with \(context.people[a].displayName): \($0)" }
                    + PairExplainer.reasons(context, third, b).map { "\(context.people[third].displayName) with \(context.people[b].displayName): \($0)" }
                triads.append(MatchResult.Triad(members: [a, b, third], weight: weight + added,
                                                score: context.displayScore((weight + added) * 2 / 3), reasons: reasons))
            } else {
                pairs.append(MatchResult.Pair(a: a, b: b, weight: weight, score: context.displayScore(weight),
                                              reasons: PairExplainer.reasons(context, a, b)))
            }
        }
        let eligible = (0..<people.count).filter { context.capacity[$0] > 0 }.count
        let leftOver = unmatched.filter { context.capacity[$0] > 0 }
        let detailed = Int64(unmatched.count) * Int64(people.count) <= 20_000_000
        let unmatchedEntries = unmatched.map { person in
            MatchResult.Unmatched(person: person, reason: UnmatchedExplainer.reason(
                context, person: person, positivePartners: candidates.positivePartnerCount[person],
                exhaustive: candidates.exhaustive[person],
                onlyOneLeft: eligible % 2 == 1 && leftOver == [person], detailed: detailed))
        }
        timer.end(.explain)
        return MatchResult(people: people, model: options.model, pairs: pairs, triads: triads, unmatched: unmatchedEntries,
                           totalWeight: totalWeight, upperBound: upperBound, pricingRounds: rounds,
                           graph: graph.edges.filter { $0.weight > 0 }, timings: timer.timings)
    }

    /// Rounds of deeper lists for the people the pool bound pays for (without `--prove`), and
    /// how much deeper. Measured at 100,000 (seed 1, k = 44): 13,293 people paid for; one round
    /// at 4k took the gap from 1.44 % to 0.32 % for about 10 s (at 2k: 0.57 % for 8 s, since
    /// scanning their index lists, not keeping more partners, is the cost; a second round at
    /// 16k: 0.13 % for another 7 s, too close to the 60 s target on a loaded machine).
    static let deepeningRounds = 1
    static let deepeningFactor = 4

    /// Without duals (preview): every matching weighs at most half the sum over people of
    /// their heaviest possible pair, inside or outside the graph.
    static func trivialUpperBound(graph: WeightedGraph, outsideBound: [Int64]) -> Int64 {
        var best = outsideBound
        for edge in graph.edges {
            best[Int(edge.u)] = max(best[Int(edge.u)], edge.weight)
            best[Int(edge.v)] = max(best[Int(edge.v)], edge.weight)
        }
        return best.reduce(0, +) / 2
    }

    static func finishMentoring(
        context: ScoringContext, candidates: CandidateGraph, options: MatchOptions, timer: PhaseTimer<MatchPhase>
    ) async -> MatchResult {
        var timer = timer
        var edges = candidates.edges
        var outside = candidates.outsideBound
        var solved = MentoringAssignment.solve(vertexCount: context.count, edges: edges, capacity: context.capacity)
        timer.end(.solve)
        var bound = MentoringAssignment.poolBound(vertexCount: context.count, edges: edges, capacity: context.capacity, outsideBound: outside)
        var rounds = 0
        if options.prove {
            // As for capacities: complete the mentor lists of the mentees the bound pays for.
            while bound.upperBound > solved.totalWeight, rounds < options.maximumPricingRounds {
                let rows = bound.paysFor.filter { outside[$0] > 0 }
                if rows.isEmpty { break }
                rounds += 1
                var known = Set(edges.map { UInt64(UInt32($0.u)) << 32 | UInt64(UInt32($0.v)) })
                for edge in await allPartners(of: rows, context: context)
                where known.insert(UInt64(UInt32(edge.u)) << 32 | UInt64(UInt32(edge.v))).inserted {
                    edges.append(edge)
                }
                edges.sort { ($0.u, $0.v) < ($1.u, $1.v) }
                for row in rows { outside[row] = 0 }
                solved = MentoringAssignment.solve(vertexCount: context.count, edges: edges, capacity: context.capacity)
                bound = MentoringAssignment.poolBound(vertexCount: context.count, edges: edges, capacity: context.capacity, outsideBound: outside)
            }
            timer.end(.pricing)
        } else {
            timer.end(.bound)
        }
        let upperBound = max(solved.totalWeight, bound.upperBound)
        var weights: [UInt64: Int64] = [:]
        for edge in edges { weights[UInt64(UInt32(edge.u)) << 32 | UInt64(UInt32(edge.v))] = edge.weight }
        let pairs = solved.pairs.map { pair in
            let weight = weights[UInt64(UInt32(pair.mentor)) << 32 | UInt64(UInt32(pair.mentee))] ?? 0
            return MatchResult.Pair(a: pair.mentor, b: pair.mentee, weight: weight, score: context.displayScore(weight),
                                    reasons: PairExplainer.reasons(context, pair.mentor, pair.mentee))
        }
        var hasMentor = [Bool](repeating: false, count: context.count)
        var menteeCount = [Int32](repeating: 0, count: context.count)
        for pair in solved.pairs {
            hasMentor[pair.mentee] = true
            menteeCount[pair.mentor] += 1
        }
        // Mentees without a mentor are unmatched; people who only mentor are unmatched when no mentee got them.
        var unmatched: [MatchResult.Unmatched] = []
        for person in 0..<context.count where !hasMentor[person] && menteeCount[person] == 0 {
            let role = context.people[person].role ?? .both
            let reason: String
            if role == .mentor {
                reason = context.capacity[person] <= 0
                    ? "capacity: takes no mentee this round (capacity 0)"
                    : "no mentee was assigned: others fit every mentee better or nobody wants what they offer"
            } else {
                reason = UnmatchedExplainer.reason(
                    context, person: person, positivePartners: candidates.positivePartnerCount[person],
                    exhaustive: candidates.exhaustive[person], onlyOneLeft: false, detailed: context.count <= 20_000)
            }
            unmatched.append(MatchResult.Unmatched(person: person, reason: reason))
        }
        timer.end(.explain)
        return MatchResult(people: context.people, model: .mentoring, pairs: pairs, triads: [], unmatched: unmatched,
                           totalWeight: solved.totalWeight, upperBound: upperBound, pricingRounds: rounds,
                           graph: edges, timings: timer.timings)
    }
}
