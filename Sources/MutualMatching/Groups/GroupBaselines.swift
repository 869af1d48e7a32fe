/// The yardsticks a formed partition is compared with: two simple ways an admin without Mutual
/// would group the same people. To compare like for like, both group exactly the people
/// Mutual's groups hold, into exactly the sizes of Mutual's groups, and are scored by the same
/// ``GroupScorer`` under the same hard rules (``GroupEngine/yardstick(_:_:scorer:)``):
///
/// * **random**: the people in a seeded random order; each joins a group chosen at random among
///   the groups with room where they break no hard rule;
/// * **stratified**: the classic classroom heuristic: people sorted by department, then level,
///   then pool order, and dealt round-robin into the groups; a person whose turn's group is
///   full or would break a rule goes to the next group in the cycle with room that keeps every
///   rule.
///
/// (On pools of more than ``candidateLimit`` groups a person looks at most at that many groups
/// with room: random ones, or the next ones in the cycle.) Like an admin reshuffling a
/// spreadsheet until everyone fits, a baseline on a pool of at most ``retryLimit`` people deals
/// up to ``retries`` times (random: new random orders; stratified: the dealing starts at the
/// next person of the sorted list each time) and keeps the first deal that places everyone, or
/// else the one that leaves the fewest out (the first of those).
///
/// Dealing one person at a time can corner someone: no group with room keeps every rule with
/// them. On pools of at most ``retryLimit`` people they are handed to the same ``GroupRepair`` finish as Mutual's own groups: they join
/// the group with room (up to the largest size) where they keep every rule and add the most;
/// groups left below the minimum size are dissolved and their members placed the same way, or
/// form new groups among themselves. (On larger pools they stay out: repair's greedy placement
/// is quadratic in the people it places and took minutes on 100,000 people.) The scored
/// baseline therefore keeps every hard rule. Anyone it still cannot place (Mutual placed them) is counted, when scoring, as one more group that
/// cannot meet and scores 0 (see ``GroupEngine/yardstick(_:_:leftOut:cornered:scorer:)``):
/// a baseline gets no credit for leaving out people Mutual groups.
public enum GroupBaselines {
    /// A baseline partition after repair.
    public struct Outcome: Sendable {
        /// Groups of pool indices, keeping every hard rule.
        public var groups: [[Int32]]
        /// People the repaired baseline could not place.
        public var leftOut: [Int32]
        /// People whom the dealing could not place in a rule-keeping group and repair had to place.
        public var cornered: Int
    }

    /// Groups a person looks at, at most, on large pools.
    public static let candidateLimit = 64
    /// Deals tried on pools of at most ``retryLimit`` people.
    public static let retries = 50
    public static let retryLimit = 300

    /// Random groups: `people` (pool indices) dealt into groups of `sizes`.
    public static func random(
        _ people: [Int32], sizes: [Int], sizeRange: ClosedRange<Int>, seed: UInt64, scorer: GroupScorer
    ) -> Outcome {
        var generator = SeededGenerator(seed: seed ^ 0x5241_4E44)
        return bestDeal(people.count) { _ in
            var shuffled = people
            shuffled.shuffle(using: &generator)
            return deal(shuffled, sizes: sizes, sizeRange: sizeRange, scorer: scorer) { open, fits in
                // Groups with room in random order (a sample of them on large pools); the first that fits.
                if open.count <= candidateLimit {
                    let fitting = open.filter(fits)
                    return fitting.isEmpty ? nil : fitting[Int(generator.next() % UInt64(fitting.count))]
                }
                for _ in 0..<candidateLimit {
                    let group = open[Int(generator.next() % UInt64(open.count))]
                    if fits(group) { return group }
                }
                return nil
            }
        }
    }

    /// Round-robin groups by department and level: `people` dealt into groups of `sizes`.
    public static func stratified(_ people: [Int32], sizes: [Int], sizeRange: ClosedRange<Int>, scorer: GroupScorer) -> Outcome {
        let context = scorer.context
        let sorted = people.sorted { a, b in
            let pa = context.people[Int(a)], pb = context.people[Int(b)]
            if pa.department != pb.department { return pa.department < pb.department }
            if (pa.level ?? 0) != (pb.level ?? 0) { return (pa.level ?? 0) < (pb.level ?? 0) }
            return a < b
        }
        return bestDeal(people.count) { attempt in
            let start = attempt % max(1, sorted.count)
            var next = 0
            return deal(Array(sorted[start...] + sorted[..<start]), sizes: sizes, sizeRange: sizeRange, scorer: scorer) { _, fits in
                // The next groups in cycle order from the cursor; the first with room that fits.
                for step in 0..<min(sizes.count, candidateLimit) {
                    let group = (next + step) % sizes.count
                    guard fits(group) else { continue }
                    next = (group + 1) % sizes.count
                    return group
                }
                return nil
            }
        }
    }

    /// Runs `attempt` once, or up to ``retries`` times on pools of at most ``retryLimit`` people,
    /// keeping the first outcome that leaves nobody out, else the first with the fewest left out.
    static func bestDeal(_ poolSize: Int, _ attempt: (Int) -> Outcome) -> Outcome {
        var best = attempt(0)
        guard poolSize <= retryLimit else { return best }
        var tries = 1
        while !best.leftOut.isEmpty, tries < retries {
            let outcome = attempt(tries)
            if outcome.leftOut.count < best.leftOut.count { best = outcome }
            tries += 1
        }
        return best
    }

    /// Deals `order` into groups of `sizes` (which must hold everyone): `choose` gets the groups
    /// with room and a test of whether the person keeps every rule with a group's members, and
    /// returns a group (or `nil`: the person waits for ``GroupRepair``). Then repairs.
    static func deal(
        _ order: [Int32], sizes: [Int], sizeRange: ClosedRange<Int>, scorer: GroupScorer,
        choose: (_ open: [Int], _ fits: (Int) -> Bool) -> Int?
    ) -> Outcome {
        precondition(sizes.reduce(0, +) == order.count, "the sizes must hold exactly these people")
        let context = scorer.context
        var groups = sizes.map { size -> [Int32] in
            var group: [Int32] = []
            group.reserveCapacity(size)
            return group
        }
        var open = Array(groups.indices)
        var position = Array(groups.indices)
        var left: [Int32] = []
        for person in order {
            let chosen = choose(open) { group in
                groups[group].count < sizes[group]
                    && groups[group].allSatisfy { context.blockingConstraint(Int(person), Int($0)) == nil }
            }
            guard let chosen else {
                left.append(person)
                continue
            }
            groups[chosen].append(person)
            if groups[chosen].count == sizes[chosen] {
                // Swap-remove the full group from the open list.
                let at = position[chosen], last = open[open.count - 1]
                open[at] = last
                position[last] = at
                open.removeLast()
            }
        }
        // Repair's greedy placement is quadratic in the people it places: on large pools (where
        // many are cornered) it took minutes for 100,000 people, so there the cornered are left out.
        let leftOut = order.count <= retryLimit
            ? GroupRepair.repair(groups: &groups, scorer: scorer, sizeRange: sizeRange, alsoPlace: left)
            : left.sorted()
        return Outcome(groups: groups, leftOut: leftOut, cornered: left.count)
    }
}
