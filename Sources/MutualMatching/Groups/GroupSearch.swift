/// Forms groups for a pool: a constructive start, then ``GroupSearchUnit`` local search, on
/// all cores.
///
/// * **Constructive start.** People are ordered by seniority level, then UTC offset, then a
///   seeded random key, and cut into the planned group sizes in that order. Neighbours in this
///   order usually satisfy the level window and the working-hours overlap, so the search starts
///   from groups that mostly keep the hard rules, with departments and skills mixed at random.
/// * **Small pools** (up to 1.5 × ``GroupOptions/shardSize``) are searched whole by
///   ``GroupOptions/restarts`` independent searches with their own seeds, in parallel; the best
///   by (objective, restart number) wins, so the number of cores never changes the answer.
/// * **Large pools** are cut, along the same order, into shards of about
///   ``GroupOptions/shardSize`` people: each shard holds people of similar level and time zone
///   (the ones who could share a group anyway) and is searched independently, in parallel,
///   with its own seed.
public enum GroupSearch {
    /// The outcome of a search: groups of global person indices and their total objective.
    public struct Outcome: Sendable {
        public var groups: [[Int32]]
        public var objective: Int64
        /// Whether the wall-clock cap stopped any part of the search early.
        public var stoppedByTimeBudget: Bool
        /// Person-steps performed (for reports).
        public var steps: Int
    }

    /// Default local-search steps per person: many for tiny pools (where they are cheap and the
    /// exact optimum is reachable), a few for large ones (where each step is guided).
    public static func defaultStepsPerPerson(poolSize: Int) -> Int {
        max(3, min(400, 12_000 / max(poolSize, 1)))
    }

    /// Searches `people` (global indices into the scorer's pool) cut into `plan`'s sizes.
    public static func run(
        scorer: GroupScorer, people: [Int32], plan: GroupSizePlan, options: GroupOptions
    ) async -> Outcome {
        precondition(plan.sizes.reduce(0, +) == people.count, "the plan must place exactly these people")
        if plan.groupCount == 0 { return Outcome(groups: [], objective: 0, stoppedByTimeBudget: false, steps: 0) }
        let deadline = options.timeBudget.map { ContinuousClock().now.advanced(by: $0) }
        let stepsPerPerson = options.stepsPerPerson ?? defaultStepsPerPerson(poolSize: people.count)
        let sizeRange = options.sizeRange.lowerBound...max(options.sizeRange.upperBound, plan.sizes.max() ?? 0)

        if people.count <= options.shardSize * 3 / 2 {
            return await bestOfRestarts(options.restarts) { restart in
                let seed = mix(options.seed, UInt64(restart))
                let ordered = constructiveOrder(scorer: scorer, people: people, seed: seed)
                return searchUnit(scorer: scorer, people: ordered, sizes: plan.sizes, sizeRange: sizeRange,
                                  seed: seed, steps: stepsPerPerson * people.count, deadline: deadline)
            }
        }

        // Shards along the constructive order, cut at group boundaries.
        let ordered = constructiveOrder(scorer: scorer, people: people, seed: options.seed)
        var shards: [(people: ArraySlice<Int32>, sizes: [Int])] = []
        var start = 0, sizes: [Int] = [], filled = 0
        for size in plan.sizes {
            sizes.append(size)
            filled += size
            if filled - start >= options.shardSize {
                shards.append((ordered[start..<filled], sizes))
                start = filled
                sizes = []
            }
        }
        if !sizes.isEmpty {
            if filled - start < options.shardSize / 2, let last = shards.popLast() {
                shards.append((ordered[last.people.startIndex..<filled], last.sizes + sizes))
            } else {
                shards.append((ordered[start..<filled], sizes))
            }
        }
        let results = await withTaskGroup(of: (Int, Outcome).self) { group in
            for (index, shard) in shards.enumerated() {
                group.addTask {
                    let seed = mix(options.seed, UInt64(index) &+ 0x5348_4152_4400)
                    return (index, searchUnit(scorer: scorer, people: Array(shard.people), sizes: shard.sizes,
                                              sizeRange: sizeRange, seed: seed, steps: stepsPerPerson * shard.people.count,
                                              deadline: deadline))
                }
            }
            var collected: [(Int, Outcome)] = []
            for await result in group { collected.append(result) }
            return collected.sorted { $0.0 < $1.0 }
        }
        return Outcome(groups: results.flatMap(\.1.groups), objective: results.reduce(0) { $0 + $1.1.objective },
                       stoppedByTimeBudget: results.contains { $0.1.stoppedByTimeBudget },
                       steps: results.reduce(0) { $0 + $1.1.steps })
    }

    /// Searches from a given partition (`groups`, global indices, sizes in the range) instead of
    /// the constructive start: ``GroupOptions/restarts`` searches with their own seeds, the best
    /// by (objective, restart number) wins. ``GroupEngine`` uses it for small pools whose rules
    /// leave few ways to group people, starting from ``GroupPlacement``'s rule-keeping partition
    /// (the search never accepts a partition that breaks more rules than its best, so the start's
    /// zero violations are kept).
    static func run(scorer: GroupScorer, from groups: [[Int32]], options: GroupOptions) async -> Outcome {
        guard !groups.isEmpty else { return Outcome(groups: [], objective: 0, stoppedByTimeBudget: false, steps: 0) }
        let people = groups.flatMap { $0 }
        let sizes = groups.map(\.count)
        let deadline = options.timeBudget.map { ContinuousClock().now.advanced(by: $0) }
        let stepsPerPerson = options.stepsPerPerson ?? defaultStepsPerPerson(poolSize: people.count)
        let sizeRange = options.sizeRange.lowerBound...max(options.sizeRange.upperBound, sizes.max() ?? 0)
        return await bestOfRestarts(options.restarts) { restart in
            // Cutting `people` in order into `sizes` gives back exactly `groups`.
            searchUnit(scorer: scorer, people: people, sizes: sizes, sizeRange: sizeRange,
                       seed: mix(options.seed, UInt64(restart) &+ 0x504C_4143_4500),
                       steps: stepsPerPerson * people.count, deadline: deadline)
        }
    }

    /// Runs `restarts` (at least one) independent searches in parallel and keeps the best by
    /// (objective, restart number), so the number of cores never changes the answer.
    static func bestOfRestarts(_ restarts: Int, _ search: @escaping @Sendable (Int) -> Outcome) async -> Outcome {
        let results = await withTaskGroup(of: (Int, Outcome).self) { group in
            for restart in 0..<max(1, restarts) {
                group.addTask { (restart, search(restart)) }
            }
            var collected: [(Int, Outcome)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        var outcome = results.max { a, b in a.1.objective < b.1.objective || (a.1.objective == b.1.objective && a.0 > b.0) }!.1
        outcome.stoppedByTimeBudget = results.contains { $0.1.stoppedByTimeBudget }
        outcome.steps = results.reduce(0) { $0 + $1.1.steps }
        return outcome
    }

    /// People ordered by level, then UTC offset, then a seeded random key.
    static func constructiveOrder(scorer: GroupScorer, people: [Int32], seed: UInt64) -> [Int32] {
        var random = SeededGenerator(seed: seed ^ 0x4F52_4445_52)
        let context = scorer.context
        let keyed = people.map { person in
            (person, context.level[Int(person)], context.utcOffset[Int(person)], random.next())
        }
        return keyed.sorted { a, b in
            if a.1 != b.1 { return a.1 < b.1 }
            if a.2 != b.2 { return a.2 < b.2 }
            if a.3 != b.3 { return a.3 < b.3 }
            return a.0 < b.0
        }.map(\.0)
    }

    /// Cuts `people` (in order) into `sizes` and searches.
    static func searchUnit(
        scorer: GroupScorer, people: [Int32], sizes: [Int], sizeRange: ClosedRange<Int>, seed: UInt64, steps: Int,
        deadline: ContinuousClock.Instant?
    ) -> Outcome {
        var groups: [[Int32]] = []
        var next: Int32 = 0
        for size in sizes {
            groups.append((next..<next + Int32(size)).map { $0 })
            next += Int32(size)
        }
        var unit = GroupSearchUnit(scorer: scorer, people: people, groups: groups, sizeRange: sizeRange, seed: seed)
        let stopped = unit.run(steps: steps, deadline: deadline)
        return Outcome(groups: unit.groups, objective: unit.objective, stoppedByTimeBudget: stopped, steps: unit.step)
    }

    /// A well-spread seed for sub-search `index` (SplitMix64 finaliser).
    static func mix(_ seed: UInt64, _ index: UInt64) -> UInt64 {
        var generator = SeededGenerator(seed: seed &+ index &* 0x9E37_79B9_7F4A_7C15)
        return generator.next()
    }
}
