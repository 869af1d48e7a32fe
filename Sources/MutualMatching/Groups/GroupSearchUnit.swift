/// One independent local search over a set of people already cut into groups: a restart of a
/// small pool, or one shard of a large pool.
///
/// The search is an iterated local search with a short tabu memory:
///
/// * **descent**: sweeps over the people in a seeded random order; for each person it looks at
///   a handful of other groups (the groups of people who can teach them what they want, plus
///   random ones; every group when there are few) and evaluates moving them there (when both
///   sizes stay in range) and swapping them with each member. Only the two groups touched are
///   re-scored (``GroupScorer``), so a neighbour costs two small group evaluations, and a
///   neighbour that would break more hard constraints is dropped before its learning is scored.
///   The best improving neighbour is applied.
/// * **kick**: when a sweep improves nothing, the best partition so far is kept, and a few
///   random swaps perturb it; the people kicked may not return to the group they left for a
///   while (the tabu memory) unless that would beat the best partition (aspiration), so the
///   next descent explores instead of undoing the kick.
///
/// Every choice draws from a ``SeededGenerator``, and the search stops after a fixed number of
/// steps, so a seed reproduces the result exactly (unless the wall-clock cap intervenes).
struct GroupSearchUnit {
    let scorer: GroupScorer
    /// Global person index of each local person.
    let people: [Int32]
    let sizeRange: ClosedRange<Int>
    let maximumSize: Int
    /// Local people strong in each skill (by skill id), for guided neighbourhoods.
    let teachersBySkill: [[Int32]]

    var groupOf: [Int32]
    /// Group `g`'s local members are `slots[g * maximumSize ..< g * maximumSize + sizes[g]]`.
    var slots: [Int32]
    var sizes: [Int32]
    var values: [GroupValue]
    var objective: Int64
    var random: SeededGenerator
    /// The group each person may not re-enter before `tabuUntil`.
    var tabuGroup: [Int32]
    var tabuUntil: [Int]
    var step = 0

    /// Creates the unit from an initial assignment: `groups` holds local person indices.
    init(scorer: GroupScorer, people: [Int32], groups: [[Int32]], sizeRange: ClosedRange<Int>, seed: UInt64) {
        self.scorer = scorer
        self.people = people
        self.sizeRange = sizeRange
        self.maximumSize = max(sizeRange.upperBound, groups.map(\.count).max() ?? 0)
        var teachers = [[Int32]](repeating: [], count: scorer.context.skillSlugs.count)
        let context = scorer.context
        for (local, global) in people.enumerated() {
            for index in Int(context.strengthStart[Int(global)])..<Int(context.strengthStart[Int(global) + 1]) {
                teachers[Int(context.strengthSkill[index])].append(Int32(local))
            }
        }
        self.teachersBySkill = teachers
        groupOf = [Int32](repeating: -1, count: people.count)
        slots = [Int32](repeating: -1, count: groups.count * maximumSize)
        sizes = groups.map { Int32($0.count) }
        for (group, members) in groups.enumerated() {
            for (position, member) in members.enumerated() {
                slots[group * maximumSize + position] = member
                groupOf[Int(member)] = Int32(group)
            }
        }
        values = []
        objective = 0
        random = SeededGenerator(seed: seed)
        tabuGroup = [Int32](repeating: -1, count: people.count)
        tabuUntil = [Int](repeating: 0, count: people.count)
        for group in 0..<groups.count {
            let value = score(group: group)
            values.append(value)
            objective += value.objective
        }
    }

    var groupCount: Int { sizes.count }

    /// The groups as lists of global person indices.
    var groups: [[Int32]] {
        (0..<groupCount).map { group in
            (0..<Int(sizes[group])).map { people[Int(slots[group * maximumSize + $0])] }
        }
    }

    func score(group: Int) -> GroupValue {
        let size = Int(sizes[group])
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(size, 1)) { buffer in
            for position in 0..<size { buffer[position] = people[Int(slots[group * maximumSize + position])] }
            return scorer.evaluate(UnsafeBufferPointer(rebasing: buffer[0..<size]))!
        }
    }

    /// Scores `group` with `leaving` taken out (or -1) and `entering` put in (or -1).
    func scoreChanged(group: Int, leaving: Int32, entering: Int32, violationLimit: Int) -> GroupValue? {
        let size = Int(sizes[group])
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: size + 1) { buffer in
            var filled = 0
            for position in 0..<size {
                let member = slots[group * maximumSize + position]
                if member == leaving { continue }
                buffer[filled] = people[Int(member)]
                filled += 1
            }
            if entering >= 0 {
                buffer[filled] = people[Int(entering)]
                filled += 1
            }
            return scorer.evaluate(UnsafeBufferPointer(rebasing: buffer[0..<filled]), violationLimit: violationLimit)
        }
    }

    /// A neighbour: `person` goes to `target`; when `partner` ≥ 0, `partner` comes back.
    struct Neighbour {
        var person: Int32
        var partner: Int32
        var target: Int
        var delta: Int64
        var sourceValue: GroupValue
        var targetValue: GroupValue
    }

    /// Evaluates moving `person` into `target` (swapping with `partner` when ≥ 0).
    func evaluate(person: Int32, partner: Int32, target: Int) -> Neighbour? {
        let source = Int(groupOf[Int(person)])
        let allowed = values[source].violations + values[target].violations
        guard let newSource = scoreChanged(group: source, leaving: person, entering: partner, violationLimit: allowed) else { return nil }
        guard let newTarget = scoreChanged(group: target, leaving: partner, entering: person,
                                           violationLimit: allowed - newSource.violations) else { return nil }
        let delta = newSource.objective + newTarget.objective - values[source].objective - values[target].objective
        return Neighbour(person: person, partner: partner, target: target, delta: delta, sourceValue: newSource, targetValue: newTarget)
    }

    func isTabu(_ person: Int32, entering group: Int) -> Bool {
        tabuGroup[Int(person)] == Int32(group) && tabuUntil[Int(person)] > step
    }

    mutating func apply(_ neighbour: Neighbour, tenure: Int) {
        let person = neighbour.person, partner = neighbour.partner
        let source = Int(groupOf[Int(person)]), target = neighbour.target
        remove(person, from: source)
        if partner >= 0 {
            remove(partner, from: target)
            insert(partner, into: source)
            tabuGroup[Int(partner)] = Int32(target)
            tabuUntil[Int(partner)] = step + tenure
        }
        insert(person, into: target)
        tabuGroup[Int(person)] = Int32(source)
        tabuUntil[Int(person)] = step + tenure
        objective += neighbour.delta
        values[source] = neighbour.sourceValue
        values[target] = neighbour.targetValue
    }

    private mutating func remove(_ person: Int32, from group: Int) {
        let base = group * maximumSize, size = Int(sizes[group])
        for position in 0..<size where slots[base + position] == person {
            slots[base + position] = slots[base + size - 1]
            slots[base + size - 1] = -1
            break
        }
        sizes[group] -= 1
        groupOf[Int(person)] = -1
    }

    private mutating func insert(_ person: Int32, into group: Int) {
        slots[group * maximumSize + Int(sizes[group])] = person
        sizes[group] += 1
        groupOf[Int(person)] = Int32(group)
    }

    /// Up to `limit` distinct groups other than `person`'s worth trying: every group when
    /// there are few, else groups of people who can teach the person, then random ones.
    mutating func candidateGroups(for person: Int32, limit: Int) -> [Int] {
        let own = Int(groupOf[Int(person)])
        if groupCount <= limit + 1 { return (0..<groupCount).filter { $0 != own } }
        var chosen: [Int] = []
        chosen.reserveCapacity(limit)
        let context = scorer.context
        let global = Int(people[Int(person)])
        let wants = Int(context.wantStart[global])..<Int(context.wantStart[global + 1])
        var attempts = 0
        // People near this one in the constructive order (similar level and time zone) are the
        // likeliest to keep the hard rules: a person in a group that breaks one looks mostly
        // there, everyone else a little.
        let nearby = values[own].violations > 0 ? (limit * 3) / 4 : limit / 4
        while chosen.count < nearby, attempts < nearby * 3 {
            attempts += 1
            let offset = Int(random.next() % 129) - 64
            let other = min(max(0, Int(person) + offset), people.count - 1)
            let group = Int(groupOf[other])
            if group != own, !chosen.contains(group) { chosen.append(group) }
        }
        attempts = 0
        // Then mostly groups holding someone who can teach this person, then random ones.
        let guided = wants.isEmpty ? chosen.count : chosen.count + (limit - chosen.count) * 2 / 3
        while chosen.count < guided, attempts < guided * 3 {
            attempts += 1
            let want = wants.lowerBound + Int(random.next() % UInt64(wants.count))
            let list = teachersBySkill[Int(context.wantSkill[want])]
            guard !list.isEmpty else { continue }
            let teacher = list[Int(random.next() % UInt64(list.count))]
            guard context.wantContribution(teacher: Int(people[Int(teacher)]), wantIndex: want) > 0 else { continue }
            let group = Int(groupOf[Int(teacher)])
            if group != own, !chosen.contains(group) { chosen.append(group) }
        }
        attempts = 0
        while chosen.count < limit, attempts < limit * 3 {
            attempts += 1
            let group = Int(random.next() % UInt64(groupCount))
            if group != own, !chosen.contains(group) { chosen.append(group) }
        }
        return chosen
    }

    /// The best allowed neighbour of `person` among `candidates` (`nil` when none improves
    /// on `threshold`).
    func bestNeighbour(of person: Int32, among candidates: [Int], bestObjective: Int64, threshold: Int64) -> Neighbour? {
        let source = Int(groupOf[Int(person)])
        var best: Neighbour?
        func consider(_ neighbour: Neighbour?, tabu: Bool) {
            guard let neighbour, neighbour.delta > threshold else { return }
            if tabu, objective + neighbour.delta <= bestObjective { return }
            if best == nil || neighbour.delta > best!.delta { best = neighbour }
        }
        let canLeave = Int(sizes[source]) > sizeRange.lowerBound
        for target in candidates {
            let personTabu = isTabu(person, entering: target)
            if canLeave, Int(sizes[target]) < sizeRange.upperBound {
                consider(evaluate(person: person, partner: -1, target: target), tabu: personTabu)
            }
            let base = target * maximumSize
            for position in 0..<Int(sizes[target]) {
                let partner = slots[base + position]
                consider(evaluate(person: person, partner: partner, target: target),
                         tabu: personTabu || isTabu(partner, entering: source))
            }
        }
        return best
    }

    /// Runs the search for `steps` person-steps or until `deadline`. Returns whether the
    /// deadline stopped it.
    mutating func run(steps: Int, deadline: ContinuousClock.Instant?) -> Bool {
        guard groupCount >= 2, !people.isEmpty else { return false }
        let clock = ContinuousClock()
        let candidateLimit = 9
        let tenure = max(4, min(50, people.count / 4))
        var bestObjective = objective
        var bestGroupOf = groupOf, bestSlots = slots, bestSizes = sizes, bestValues = values
        var order = (0..<Int32(people.count)).map { $0 }
        var stoppedByDeadline = false
        outer: while step < steps {
            order.shuffle(using: &random)
            var improvedInSweep = false
            for person in order {
                if step >= steps { break outer }
                step += 1
                if step & 255 == 0, let deadline, clock.now >= deadline {
                    stoppedByDeadline = true
                    break outer
                }
                let candidates = candidateGroups(for: person, limit: candidateLimit)
                if let neighbour = bestNeighbour(of: person, among: candidates, bestObjective: bestObjective, threshold: 0) {
                    apply(neighbour, tenure: tenure)
                    improvedInSweep = true
                }
            }
            if objective > bestObjective {
                bestObjective = objective
                bestGroupOf = groupOf; bestSlots = slots; bestSizes = sizes; bestValues = values
            }
            if !improvedInSweep {
                // Local optimum: restart from the best partition with a kick.
                if objective < bestObjective {
                    objective = bestObjective
                    groupOf = bestGroupOf; slots = bestSlots; sizes = bestSizes; values = bestValues
                }
                kick(count: max(2, groupCount / 8), tenure: tenure)
            }
        }
        if objective < bestObjective {
            objective = bestObjective
            groupOf = bestGroupOf; slots = bestSlots; sizes = bestSizes; values = bestValues
        }
        return stoppedByDeadline
    }

    /// Random swaps between random groups, each made tabu to undo for a while.
    mutating func kick(count: Int, tenure: Int) {
        for _ in 0..<count {
            let first = Int(random.next() % UInt64(groupCount))
            var second = Int(random.next() % UInt64(groupCount - 1))
            if second >= first { second += 1 }
            guard sizes[first] > 0, sizes[second] > 0 else { continue }
            let person = slots[first * maximumSize + Int(random.next() % UInt64(sizes[first]))]
            let partner = slots[second * maximumSize + Int(random.next() % UInt64(sizes[second]))]
            if let neighbour = evaluate(person: person, partner: partner, target: second) {
                apply(neighbour, tenure: tenure)
            }
        }
    }
}
