/// The next round of a rotation: pairs or groups of the same pool, avoiding everyone's
/// previous partners from a ``RoundHistory``.
///
/// * **Pairs** use the pair machinery unchanged — ``CandidateGenerator`` builds each person's
///   best partners, the exact ``MaximumWeightMatching`` solver pairs the pool, ``PoolBound``
///   bounds the optimum, ``PairExplainer`` and ``UnmatchedExplainer`` explain — with each
///   candidate pair who met before losing its recency cost from its weight
///   (``RoundHistory/recencyPermille(age:penaltyPercent:)``), or, with zero repeats, with
///   previous partners forbidden as a hard rule.
/// * **Groups** run ``GroupEngine`` with the recency costs charged inside the group objective,
///   or with previous partners forbidden as a hard rule.
///
/// With zero repeats, a person left out whose only partners with learning value are people
/// they met before is listed in `could_not_avoid_repeat`: they could not be placed without one.
public enum RotationEngine {
    /// Forms the next round of pairs.
    public static func pairs(
        people: [Person], rules: MatchRules, history: RoundHistory, options: RotationOptions
    ) async -> RotationPairsResult {
        var timer = PhaseTimer<MatchPhase>()
        var pairRules = rules
        pairRules.history = .forbid
        let context = ScoringContext(people: people, rules: pairRules, model: .pairs,
                                     history: options.zeroRepeats ? history.pairs : [])
        let metBefore = history.metBefore(indexOfID: context.indexOfID)
        var lastRound: [UInt64: Int] = [:]
        for meeting in history.meetings {
            guard let a = context.indexOfID[meeting.a], let b = context.indexOfID[meeting.b], a != b else { continue }
            lastRound[ScoringContext.pairKey(a, b)] = max(lastRound[ScoringContext.pairKey(a, b)] ?? 0, meeting.round)
        }
        var costs: [UInt64: Int64] = [:]
        if !options.zeroRepeats {
            for (a, b, cost) in history.repeatCosts(indexOfID: context.indexOfID, penaltyPercent: options.repeatPenaltyPercent) {
                costs[ScoringContext.pairKey(a, b), default: 0] += cost
            }
        }
        let candidates = await CandidateGenerator.build(context)
        timer.end(.candidates)

        var edges = candidates.edges
        if !costs.isEmpty {
            for index in edges.indices {
                guard let cost = costs[ScoringContext.pairKey(Int(edges[index].u), Int(edges[index].v))] else { continue }
                edges[index].weight = edges[index].weight * max(0, 1000 - cost) / 1000
            }
        }
        let graph = WeightedGraph(vertexCount: people.count, edges: edges)
        let solution = MaximumWeightMatching.solve(graph)
        timer.end(.solve)
        // Penalties only lower weights, so the candidate search's outside bounds still hold.
        let bound = PoolBound(graph: graph, maxOutsideWeight: candidates.outsideBound, candidateSolution: solution)
        timer.end(.bound)

        var pairs: [MatchResult.Pair] = []
        var repeats = 0
        for a in 0..<people.count where Int(solution.mate[a]) > a {
            let b = Int(solution.mate[a])
            let weight = graph.weight(a, b) ?? 0
            var reasons = PairExplainer.reasons(context, a, b)
            if metBefore.contains(ScoringContext.pairKey(a, b)) {
                repeats += 1
                let round = lastRound[ScoringContext.pairKey(a, b)] ?? 0
                let cost = costs[ScoringContext.pairKey(a, b)] ?? 0
                reasons.append("partners before, last in round \(round) −\(cost / 10) %")
            }
            pairs.append(MatchResult.Pair(a: a, b: b, weight: weight, score: context.displayScore(weight), reasons: reasons))
        }
        let unmatchedPeople = (0..<people.count).filter { solution.mate[$0] < 0 }
        var previousPartners = [Int: [Int]]()
        if options.zeroRepeats {
            for meeting in history.meetings {
                guard let a = context.indexOfID[meeting.a], let b = context.indexOfID[meeting.b], a != b else { continue }
                previousPartners[a, default: []].append(b)
                previousPartners[b, default: []].append(a)
            }
        }
        let open = ScoringContext(people: people, rules: pairRules, model: .pairs)
        let eligible = (0..<people.count).filter { context.capacity[$0] > 0 }.count
        let leftOver = unmatchedPeople.filter { context.capacity[$0] > 0 }
        var couldNotAvoid: [Int] = []
        var unmatched: [MatchResult.Unmatched] = []
        for person in unmatchedPeople {
            let noOtherPartner = candidates.positivePartnerCount[person] == 0 && candidates.exhaustive[person]
            let former = Set(previousPartners[person] ?? []).sorted().filter { open.weight(person, $0) > 0 }
            if options.zeroRepeats, context.capacity[person] > 0, noOtherPartner, !former.isEmpty {
                couldNotAvoid.append(person)
                let ids = former.prefix(5).map { people[$0].id }.joined(separator: ", ")
                unmatched.append(MatchResult.Unmatched(person: person, reason:
                    "could not be placed without a repeat: every partner with learning value met them before (\(ids)\(former.count > 5 ? ", …" : ""))"))
                continue
            }
            unmatched.append(MatchResult.Unmatched(person: person, reason: UnmatchedExplainer.reason(
                context, person: person, positivePartners: candidates.positivePartnerCount[person],
                exhaustive: candidates.exhaustive[person], onlyOneLeft: eligible % 2 == 1 && leftOver == [person],
                detailed: Int64(unmatchedPeople.count) * Int64(people.count) <= 20_000_000)))
        }
        timer.end(.explain)
        let match = MatchResult(people: people, model: .pairs, pairs: pairs, triads: [], unmatched: unmatched,
                                totalWeight: solution.totalWeight, upperBound: max(solution.totalWeight, bound.upperBound),
                                pricingRounds: 0, graph: graph.edges.filter { $0.weight > 0 }, timings: timer.timings)
        return RotationPairsResult(match: match, round: history.nextRound, repeats: repeats,
                                   zeroRepeatsRequired: options.zeroRepeats, couldNotAvoidRepeat: couldNotAvoid)
    }

    /// Forms the next round of groups (``RotationOptions/groups`` gives the sizes; 4–6 when nil).
    public static func groups(
        people: [Person], rules: MatchRules, history: RoundHistory, options: RotationOptions
    ) async -> GroupResult {
        let groupOptions = options.groups ?? GroupOptions(seed: options.seed)
        let indexOfID = Dictionary(people.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let metBefore = history.metBefore(indexOfID: indexOfID)
        var groupRules = rules
        groupRules.history = .forbid
        if options.zeroRepeats {
            return await GroupEngine.run(people: people, rules: groupRules, history: history.pairs, options: groupOptions,
                                         rotation: (history.nextRound, true, metBefore))
        }
        let costs = history.repeatCosts(indexOfID: indexOfID, penaltyPercent: options.repeatPenaltyPercent)
        return await GroupEngine.run(people: people, rules: groupRules, options: groupOptions, repeatCosts: costs,
                                     rotation: (history.nextRound, false, metBefore))
    }
}
