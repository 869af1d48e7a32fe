/// Builds the candidate graph: for every person the `k` best partners allowed by the hard
/// constraints, found through ``PartnerIndex`` and searched in parallel over the pool.
///
/// For reciprocal pairs (no related-skill credit) the search first looks only at people who
/// could both teach and learn from the person; when the k-th best of those already beats
/// ``ScoringContext/oneWayPairBound(_:)`` the one-way partners cannot enter the list, so the
/// list is still exactly the top k. Otherwise every partner with possible learning value is
/// scored, up to `scanLimit` per person; a person whose search hits the limit gets the
/// loose static bound instead, which the reported gap then accounts for.
public enum CandidateGenerator {
    /// Options for ``build(_:partnersPerPerson:scanLimit:progress:)``.
    public static let defaultScanLimit = 60_000

    /// Builds the graph. `progress` receives the fraction done (0…1) from worker tasks.
    public static func build(
        _ context: ScoringContext, partnersPerPerson: Int? = nil, scanLimit: Int = defaultScanLimit,
        reciprocalFirst: Bool = false, progress: (@Sendable (Double) -> Void)? = nil
    ) async -> CandidateGraph {
        let n = context.count
        let k = partnersPerPerson ?? context.rules.candidatesPerPerson ?? CandidateGraph.defaultPartnersPerPerson(poolSize: n)
        let useReciprocal = usesReciprocalIndex(context)
        let index = PartnerIndex(context, buildReciprocal: useReciprocal)
        let chunkCount = max(1, min(n, 64))
        let chunkSize = (n + chunkCount - 1) / max(chunkCount, 1)
        let results = await withTaskGroup(of: ChunkResult.self) { group in
            for chunk in 0..<chunkCount {
                let range = min(n, chunk * chunkSize)..<min(n, (chunk + 1) * chunkSize)
                if range.isEmpty { continue }
                group.addTask {
                    searchChunk(range, context: context, index: index, k: k, scanLimit: scanLimit, useReciprocal: useReciprocal,
                                reciprocalFirst: reciprocalFirst)
                }
            }
            var collected: [ChunkResult] = []
            var done = 0
            for await result in group {
                collected.append(result)
                done += result.range.count
                progress?(Double(done) / Double(max(n, 1)))
            }
            return collected.sorted { $0.range.lowerBound < $1.range.lowerBound }
        }
        var edges: [WeightedEdge] = []
        edges.reserveCapacity(n * k)
        var bound = [Int64](repeating: 0, count: n)
        var exhaustive = [Bool](repeating: true, count: n)
        var positive = [Int32](repeating: 0, count: n)
        for result in results {
            for (offset, person) in result.range.enumerated() {
                bound[person] = result.bound[offset]
                exhaustive[person] = result.exhaustive[offset]
                positive[person] = result.positive[offset]
            }
            for edge in result.edges { edges.append(edge) }
        }
        if context.model == .mentoring {
            // Directed (mentor, mentee) edges: each mentee's search lists a mentor once.
            edges.sort { ($0.u, $0.v) < ($1.u, $1.v) }
        } else {
            edges = WeightedGraph(vertexCount: n, edges: edges).edges
        }
        return CandidateGraph(vertexCount: n, edges: edges, outsideBound: bound, exhaustive: exhaustive,
                              positivePartnerCount: positive, partnersPerPerson: k,
                              index: context.model == .mentoring ? nil : index)
    }

    /// Whether the search looks at reciprocal partners first (pairs without related credit).
    static func usesReciprocalIndex(_ context: ScoringContext) -> Bool {
        context.model == .pairs && context.rules.relatedCreditPercent == 0 && context.rules.reciprocity > 0
    }

    struct ChunkResult: Sendable {
        var range: Range<Int>
        var edges: [WeightedEdge] = []
        var bound: [Int64] = []
        var exhaustive: [Bool] = []
        var positive: [Int32] = []
    }

    static func searchChunk(
        _ range: Range<Int>, context: ScoringContext, index: PartnerIndex, k: Int, scanLimit: Int, useReciprocal: Bool,
        reciprocalFirst: Bool = false
    ) -> ChunkResult {
        var result = ChunkResult(range: range)
        search(range, into: &result, context: context, index: index, k: k, scanLimit: scanLimit,
               useReciprocal: useReciprocal, reciprocalFirst: reciprocalFirst)
        return result
    }

    /// Searches the partners of `people` (in order), appending to `result`.
    static func search(
        _ people: some Collection<Int>, into result: inout ChunkResult, context: ScoringContext, index: PartnerIndex,
        k: Int, scanLimit: Int, useReciprocal: Bool, reciprocalFirst: Bool = false
    ) {
        var stamp = [Int32](repeating: -1, count: context.count)
        for person in people {
            // One more than kept: the (k+1)-th best is the tightest bound on the partners left out.
            var top = TopPartners(capacity: k + 1)
            var scanned = 0, positive: Int32 = 0
            var limited = false
            let me = Int32(person)
            /// Scores one partner; returns false once the scan limit is reached.
            func consider(_ other: Int32) -> Bool {
                guard other != me, stamp[Int(other)] != me else { return true }
                stamp[Int(other)] = me
                scanned += 1
                let weight = context.model == .mentoring
                    ? context.weight(Int(other), person)
                    : context.weight(person, Int(other))
                if weight > 0 {
                    positive += 1
                    top.offer(other, weight)
                }
                return scanned < scanLimit
            }
            let wants = Int(context.wantStart[person])..<Int(context.wantStart[person + 1])
            let strengths = Int(context.strengthStart[person])..<Int(context.strengthStart[person + 1])
            var settled = false
            if context.capacity[person] <= 0 {
                settled = true
            }
            if !settled, useReciprocal {
                reciprocalScan: for w in wants {
                    let current = context.wantCurrent[w]
                    for s in strengths {
                        let key = UInt64(UInt32(context.wantSkill[w])) << 32 | UInt64(UInt32(context.strengthSkill[s]))
                        guard let bucket = index.reciprocal[key] else { continue }
                        let start = PartnerIndex.firstIndex(in: bucket, levelAtLeast: current + 1)
                        if !visit(bucket, start..<bucket.count, person: person, consider: consider) {
                            limited = true
                            break reciprocalScan
                        }
                    }
                }
                if !limited, top.isFull, top.minimumWeight >= context.oneWayPairBound(person) { settled = true }
                if !settled, !limited, reciprocalFirst, top.isFull {
                    // Preview: a full list of partners who both learn is good enough; the one-way
                    // partners left unscored are covered by the loose static bound.
                    settled = true
                    limited = true
                }
            }
            if !settled, !limited {
                limited = !scanOneWay(person, context: context, index: index, consider: consider)
            }
            let bound: Int64
            if context.capacity[person] <= 0 {
                bound = 0
            } else if limited {
                bound = max(top.minimumWeight, context.pairWeightBound(person))
            } else {
                bound = top.isFull ? top.minimumWeight : 0
            }
            result.bound.append(bound)
            result.exhaustive.append(!limited)
            result.positive.append(positive)
            // In the full heap the root (index 0) is the (k+1)-th best: it only serves as the bound.
            let kept = top.isFull ? 1 : 0
            for (partner, weight) in zip(top.partners.dropFirst(kept), top.weights.dropFirst(kept)) {
                result.edges.append(context.model == .mentoring
                    ? WeightedEdge(Int(partner), person, weight)
                    : WeightedEdge(min(person, Int(partner)), max(person, Int(partner)), weight))
            }
        }
    }

    /// Deeper lists for a few people: their best `partnersPerPerson` partners (more than the
    /// graph kept), added to `candidates`, and their outside bounds lowered to the new
    /// (k+1)-th best. Each bound stays valid (every pair outside the graph weighs at most it),
    /// and the lower of old and new is kept in case a scan limit made the new one static.
    /// Pairs and buddies only.
    public static func deepen(
        _ candidates: CandidateGraph, context: ScoringContext, people: [Int], partnersPerPerson: Int,
        scanLimit: Int = defaultScanLimit
    ) async -> CandidateGraph {
        precondition(context.model != .mentoring, "mentoring lists are directed; deepen pairs and buddies only")
        if people.isEmpty { return candidates }
        let index = candidates.index ?? PartnerIndex(context, buildReciprocal: usesReciprocalIndex(context))
        let useReciprocal = usesReciprocalIndex(context)
        let chunkCount = min(people.count, 16)
        let size = (people.count + chunkCount - 1) / chunkCount
        let results = await withTaskGroup(of: (Int, ChunkResult).self) { group in
            for chunk in 0..<chunkCount {
                let slice = Array(people[min(people.count, chunk * size)..<min(people.count, (chunk + 1) * size)])
                group.addTask {
                    var result = ChunkResult(range: 0..<0)
                    search(slice, into: &result, context: context, index: index, k: partnersPerPerson, scanLimit: scanLimit,
                           useReciprocal: useReciprocal)
                    return (chunk, result)
                }
            }
            var collected: [(Int, ChunkResult)] = []
            for await entry in group { collected.append(entry) }
            return collected.sorted { $0.0 < $1.0 }.map(\.1)
        }
        var outside = candidates.outsideBound
        var edges = candidates.edges
        var cursor = 0
        for result in results {
            for bound in result.bound {
                let person = people[cursor]
                outside[person] = min(outside[person], bound)
                cursor += 1
            }
            edges += result.edges
        }
        return CandidateGraph(vertexCount: candidates.vertexCount, edges: WeightedGraph(vertexCount: candidates.vertexCount, edges: edges).edges,
                              outsideBound: outside, exhaustive: candidates.exhaustive,
                              positivePartnerCount: candidates.positivePartnerCount, partnersPerPerson: candidates.partnersPerPerson,
                              index: candidates.index)
    }

    /// Scores every partner with possible learning value (or shared goals, for buddies).
    /// Returns false when the scan limit stopped it early.
    static func scanOneWay(
        _ person: Int, context: ScoringContext, index: PartnerIndex, consider: (Int32) -> Bool
    ) -> Bool {
        let wants = Int(context.wantStart[person])..<Int(context.wantStart[person + 1])
        let strengths = Int(context.strengthStart[person])..<Int(context.strengthStart[person + 1])
        let related = context.rules.relatedCreditPercent > 0
        func teachersAbove(_ list: [PartnerIndex.Entry], _ current: Int8) -> Bool {
            visit(list, PartnerIndex.firstIndex(in: list, levelAtLeast: current + 1)..<list.count, person: person, consider: consider)
        }
        func learnersBelow(_ list: [PartnerIndex.Entry], _ level: Int8) -> Bool {
            visit(list, 0..<PartnerIndex.firstIndex(in: list, levelAtLeast: level), person: person, consider: consider)
        }
        switch context.model {
        case .buddies:
            for w in wants {
                let list = index.learners[Int(context.wantSkill[w])]
                if !visit(list, 0..<list.count, person: person, consider: consider) { return false }
            }
        case .pairs, .mentoring:
            // People who can teach this person something they want.
            for w in wants {
                let current = context.wantCurrent[w]
                let skill = Int(context.wantSkill[w])
                if !teachersAbove(index.teachers[skill], current) { return false }
                if related, context.familyOfSkill[skill] >= 0,
                   !teachersAbove(index.familyTeachers[Int(context.familyOfSkill[skill])], current) { return false }
            }
            // People this person can teach (pairs only: a mentee's mentors are the teachers).
            if context.model == .pairs {
                for s in strengths where !learnersBelow(index.learners[Int(context.strengthSkill[s])], context.strengthLevel[s]) {
                    return false
                }
                if related {
                    for f in Int(context.familyStart[person])..<Int(context.familyStart[person + 1])
                    where !learnersBelow(index.familyLearners[Int(context.familyID[f])], context.familyLevel[f]) {
                        return false
                    }
                }
            }
        }
        return true
    }

    /// Visits a range of an index list starting at a per-person rotation, so that when scans
    /// are cut short people do not all look at the same few names first.
    @inline(__always)
    static func visit(_ list: [PartnerIndex.Entry], _ range: Range<Int>, person: Int, consider: (Int32) -> Bool) -> Bool {
        let count = range.count
        guard count > 0 else { return true }
        let rotation = Int(truncatingIfNeeded: (UInt64(person) &* 0x9E37_79B9_7F4A_7C15) >> 33) % count
        for step in 0..<count {
            var position = rotation + step
            if position >= count { position -= count }
            if !consider(list[range.lowerBound + position].person) { return false }
        }
        return true
    }
}
