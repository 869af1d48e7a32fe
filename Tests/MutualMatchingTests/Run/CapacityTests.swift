import Testing
@testable import MutualMatching

@Suite("Capacity above one in pairs and buddies")
struct CapacityTests {
    static func withCapacities(_ people: [Person], seed: UInt64) -> [Person] {
        var random = SeededGenerator(seed: seed)
        return people.map { person in
            var person = person
            person.capacity = [1, 2, 3, 2, 0][Int(random.next() % 5)]
            return person
        }
    }

    @Test("with --prove the total equals brute force, is proven optimal, and nobody exceeds capacity or meets a partner twice",
          arguments: 0..<20)
    func provenOptimum(seed: Int) async {
        let model: MatchModel = seed % 4 == 3 ? .buddies : .pairs
        let people = Self.withCapacities(PoolFixtures.randomPool(count: 7 + seed % 2, seed: UInt64(300 + seed)), seed: UInt64(seed))
        let rules = MatchRules.defaults(for: model)
        let context = ScoringContext(people: people, rules: rules, model: model)
        var edges: [WeightedEdge] = []
        for a in people.indices {
            for b in people.indices where a < b && context.weight(a, b) > 0 { edges.append(WeightedEdge(a, b, context.weight(a, b))) }
        }
        let optimum = CapacitatedMatchingTests.bruteForce(edges, capacity: context.capacity)
        // k = 1 leaves most partners outside the graph, so the proof needs pricing rounds.
        let result = await PoolFixtures.run(people, rules: rules, model: model, prove: true, k: 1)
        #expect(result.totalWeight == optimum)
        #expect(result.status == .optimal)
        var load = [Int: Int]()
        var seen = Set<[Int]>()
        for pair in result.pairs {
            #expect(context.blockingConstraint(pair.a, pair.b) == nil)
            #expect(pair.weight == context.weight(pair.a, pair.b) && pair.weight > 0)
            #expect(seen.insert([min(pair.a, pair.b), max(pair.a, pair.b)]).inserted)
            load[pair.a, default: 0] += 1
            load[pair.b, default: 0] += 1
            #expect(!pair.reasons.isEmpty)
        }
        for (person, count) in load { #expect(count <= Int(context.capacity[person])) }
        for entry in result.unmatched { #expect(load[entry.person] == nil) }
        for place in result.openPlaces {
            #expect(load[place.person] == place.partners && place.partners < place.capacity && !place.reason.isEmpty)
        }
        #expect(load.count + result.unmatched.count == people.count)
    }

    @Test("without --prove the bound is still a true upper bound, and the preview respects capacities", arguments: 0..<10)
    func boundAndPreview(seed: Int) async {
        let people = Self.withCapacities(PoolFixtures.randomPool(count: 8, seed: UInt64(400 + seed)), seed: UInt64(50 + seed))
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        var edges: [WeightedEdge] = []
        for a in people.indices {
            for b in people.indices where a < b && context.weight(a, b) > 0 { edges.append(WeightedEdge(a, b, context.weight(a, b))) }
        }
        let optimum = CapacitatedMatchingTests.bruteForce(edges, capacity: context.capacity)
        let exact = await PoolFixtures.run(people, prove: false, k: 1)
        #expect(exact.upperBound >= optimum && exact.totalWeight <= optimum)
        let preview = await PoolFixtures.run(people, prove: false, preview: true, k: 2)
        #expect(preview.upperBound >= optimum && preview.totalWeight <= optimum)
        var load = [Int: Int]()
        for pair in preview.pairs {
            load[pair.a, default: 0] += 1
            load[pair.b, default: 0] += 1
        }
        for (person, count) in load { #expect(count <= Int(context.capacity[person])) }
    }

    @Test("the JSON lists open places only when someone has capacity above one")
    func openPlacesInJSON() async throws {
        var people = PoolFixtures.randomPool(count: 10, seed: 77)
        let plain = try JSONParser.parse(JSONWriter.write((await PoolFixtures.run(people)).json(includeTimings: false)))
        #expect(plain["open_places"] == nil)
        people[0].capacity = 5
        let result = await PoolFixtures.run(people)
        let json = try JSONParser.parse(JSONWriter.write(result.json(includeTimings: false)))
        guard case .array(let open) = json["open_places"] else {
            Issue.record("no open_places")
            return
        }
        #expect(open.count == result.openPlaces.count)
        #expect(result.openPlaces.contains { $0.person == 0 && $0.capacity == 5 })
    }

    @Test("a row with a mentoring role keeps its capacity for mentoring; pairs read only its opt-out")
    func mentoringRowsKeepOnePartner() {
        let rules = MatchRules.defaults(for: .pairs)
        let mentor = Person(id: "m", role: .mentor, capacity: 3)
        let peer = Person(id: "p", capacity: 3)
        let away = Person(id: "a", role: .both, capacity: 0)
        #expect(ScoringContext.capacity(of: mentor, model: .pairs, rules: rules) == 1)
        #expect(ScoringContext.capacity(of: mentor, model: .buddies, rules: rules) == 1)
        #expect(ScoringContext.capacity(of: mentor, model: .mentoring, rules: .defaults(for: .mentoring)) == 3)
        #expect(ScoringContext.capacity(of: peer, model: .pairs, rules: rules) == 3)
        #expect(ScoringContext.capacity(of: away, model: .pairs, rules: rules) == 0)
        #expect(ScoringContext.capacity(of: Person(id: "d"), model: .pairs, rules: rules) == rules.defaultCapacity)
    }
}
