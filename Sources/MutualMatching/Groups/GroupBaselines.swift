/// The yardsticks a formed partition is compared with, on the same people and planned sizes:
///
/// * **random**: the people shuffled with the run's seed and cut into the planned sizes;
/// * **stratified**: the classic classroom heuristic — people sorted by department, then level,
///   then pool order, and dealt round-robin into the groups, so each group gets a spread of
///   departments and levels.
///
/// Baselines ignore the hard rules (they are what an admin without Mutual would do), so their
/// scores are computed with the rules' violations reported separately, not charged.
public enum GroupBaselines {
    public static func random(_ people: [Int32], sizes: [Int], seed: UInt64) -> [[Int32]] {
        var generator = SeededGenerator(seed: seed ^ 0x5241_4E44)
        var shuffled = people
        shuffled.shuffle(using: &generator)
        var groups: [[Int32]] = []
        var start = 0
        for size in sizes {
            groups.append(Array(shuffled[start..<start + size]))
            start += size
        }
        return groups
    }

    public static func stratified(_ people: [Int32], sizes: [Int], context: ScoringContext) -> [[Int32]] {
        let sorted = people.sorted { a, b in
            let pa = context.people[Int(a)], pb = context.people[Int(b)]
            if pa.department != pb.department { return pa.department < pb.department }
            if (pa.level ?? 0) != (pb.level ?? 0) { return (pa.level ?? 0) < (pb.level ?? 0) }
            return a < b
        }
        var groups = sizes.map { size -> [Int32] in
            var group: [Int32] = []
            group.reserveCapacity(size)
            return group
        }
        var next = 0
        for person in sorted {
            while groups[next].count >= sizes[next] { next = (next + 1) % sizes.count }
            groups[next].append(person)
            next = (next + 1) % sizes.count
        }
        return groups
    }
}
