/// The "triad" odd-one-out policy: an unmatched person joins the pair where they fit best,
/// allowed with both members and adding the most weight.
enum TriadBuilder {
    struct Placement {
        var person: Int
        var pair: (Int, Int)
        var addedWeight: Int64
    }

    /// Places unmatched people (in pool order) into pairs of `mate`, at most one per pair.
    /// Only pairs containing one of the person's candidate partners are considered, which is
    /// where the weight can be.
    static func place(
        unmatched: [Int], mate: [Int32], context: ScoringContext, neighbours: [[Int32]]
    ) -> [Placement] {
        var taken = Set<Int>()
        var placements: [Placement] = []
        for person in unmatched where context.capacity[person] > 0 {
            var best: Placement?
            var seenPairs = Set<Int>()
            for neighbour in neighbours[person] {
                let a = Int(neighbour), b = Int(mate[a])
                guard b >= 0 else { continue }
                let low = min(a, b), high = max(a, b)
                guard seenPairs.insert(low).inserted, !taken.contains(low) else { continue }
                guard context.isAllowed(person, low), context.isAllowed(person, high) else { continue }
                let added = context.weight(person, low) + context.weight(person, high)
                guard added > 0 else { continue }
                if best == nil || added > best!.addedWeight || (added == best!.addedWeight && low < best!.pair.0) {
                    best = Placement(person: person, pair: (low, high), addedWeight: added)
                }
            }
            if let best {
                taken.insert(best.pair.0)
                placements.append(best)
            }
        }
        return placements
    }
}
