import Testing
@testable import MutualMatching

@Suite("Runs around a proposal frame (locks, broken pairs, people left out)")
struct ProposalFrameTests {
    static func pool() -> [Person] { PoolFixtures.randomPool(count: 30, seed: 11) }

    @Test("locked pairs are kept as they are, broken pairs are never proposed, excluded people are left out", arguments: [MatchModel.pairs, .buddies])
    func frame(model: MatchModel) async {
        let people = Self.pool()
        let rules = MatchRules.defaults(for: model)
        let options = MatchOptions(model: model, seed: 3)
        let plain = await MatchEngine.run(people: people, rules: rules, options: options)
        #expect(plain.pairs.count >= 3)
        let first = plain.pairs[0], second = plain.pairs[1], third = plain.pairs[2]
        let id = { (index: Int) in people[index].id }
        // Lock the second pair in reverse order, break the first, leave out one of the third.
        let frame = ProposalFrame(
            locked: [.init(id(second.b), id(second.a))], broken: [.init(id(first.a), id(first.b))], excluded: [id(third.a)])
        let result = await MatchEngine.run(people: people, rules: rules, around: frame, options: options)
        let ids = result.pairs.map { Set([result.people[$0.a].id, result.people[$0.b].id]) }
        #expect(ids.contains([id(second.a), id(second.b)]))
        #expect(!ids.contains([id(first.a), id(first.b)]))
        #expect(!result.people.contains { $0.id == id(third.a) })
        #expect(result.people.count == people.count - 1)
        // Each person at most once; the totals add up; the bound holds.
        let members = result.pairs.flatMap { [$0.a, $0.b] } + result.triads.flatMap(\.members)
        #expect(Set(members).count == members.count)
        #expect(result.totalWeight == result.pairs.reduce(0) { $0 + $1.weight } + result.triads.reduce(0) { $0 + $1.weight })
        #expect(result.upperBound >= result.totalWeight)
        #expect(Set(result.unmatched.map(\.person)).isDisjoint(with: members))
        // Reproducible byte for byte.
        let again = await MatchEngine.run(people: people, rules: rules, around: frame, options: options)
        #expect(JSONWriter.write(again.json(includeTimings: false)) == JSONWriter.write(result.json(includeTimings: false)))
    }

    @Test("an empty frame gives the plain run's result")
    func emptyFrame() async {
        let people = Self.pool()
        let rules = MatchRules.defaults(for: .pairs)
        let plain = await MatchEngine.run(people: people, rules: rules, options: MatchOptions(seed: 1))
        let framed = await MatchEngine.run(people: people, rules: rules, around: ProposalFrame(), options: MatchOptions(seed: 1))
        #expect(framed.totalWeight == plain.totalWeight && framed.matchedCount == plain.matchedCount)
        #expect(Set(framed.pairs.map { [$0.a, $0.b] }) == Set(plain.pairs.map { [$0.a, $0.b] }))
    }

    @Test("a set-aside pair is a hard constraint with its own reason")
    func setAside() throws {
        let people = Self.pool()
        let open = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let (a, b) = try #require(people.indices.flatMap { a in people.indices.map { (a, $0) } }.first { a, b in a < b && open.weight(a, b) > 0 })
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs, setAside: [(people[b].id, people[a].id)])
        #expect(context.blockingConstraint(a, b) == .setAside)
        #expect(context.weight(a, b) == 0)
        #expect(HardConstraint.setAside.rawValue == "pair broken by the programme manager")
    }

    @Test("with capacity above one, a locked pair uses one place and is not proposed twice")
    func capacity() async {
        let people = Self.pool().map { person in
            var person = person
            person.capacity = 2
            return person
        }
        let rules = MatchRules.defaults(for: .pairs)
        let options = MatchOptions(model: .pairs, seed: 2)
        let plain = await MatchEngine.run(people: people, rules: rules, options: options)
        let locked = plain.pairs[0]
        let frame = ProposalFrame(locked: [.init(people[locked.a].id, people[locked.b].id)])
        let result = await MatchEngine.run(people: people, rules: rules, around: frame, options: options)
        var load = [Int: Int]()
        var seen = Set<[Int]>()
        for pair in result.pairs {
            #expect(seen.insert([min(pair.a, pair.b), max(pair.a, pair.b)]).inserted)
            load[pair.a, default: 0] += 1
            load[pair.b, default: 0] += 1
        }
        #expect(seen.contains([min(locked.a, locked.b), max(locked.a, locked.b)]))
        #expect(load.values.allSatisfy { $0 <= 2 })
    }

    @Test("in mentoring a locked mentor keeps the mentee and a mentee gets no second mentor")
    func mentoring() async {
        let people = PoolFixtures.randomPool(count: 24, seed: 5).enumerated().map { index, person in
            var person = person
            person.role = index % 3 == 0 ? .mentor : .mentee
            person.capacity = 2
            return person
        }
        let rules = MatchRules.defaults(for: .mentoring)
        let options = MatchOptions(model: .mentoring, seed: 1)
        let plain = await MatchEngine.run(people: people, rules: rules, options: options)
        guard let pair = plain.pairs.first else {
            Issue.record("no mentoring pair in the pool")
            return
        }
        let frame = ProposalFrame(locked: [.init(people[pair.a].id, people[pair.b].id)])
        let result = await MatchEngine.run(people: people, rules: rules, around: frame, options: options)
        #expect(result.pairs.contains { $0.a == pair.a && $0.b == pair.b })
        #expect(result.pairs.filter { $0.b == pair.b }.count == 1)
        #expect(result.pairs.filter { $0.a == pair.a }.count <= 2)
        #expect(Set(result.pairs.map(\.b)).count == result.pairs.count)
    }
}
