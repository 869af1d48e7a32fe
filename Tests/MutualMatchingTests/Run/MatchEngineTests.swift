import MutualMatching
import Testing

@Suite("Match engine")
struct MatchEngineTests {
    @Test("on random small pools the proven total equals brute force and no hard constraint is broken", arguments: 0..<40)
    func matchesBruteForce(seed: Int) async {
        let count = 6 + seed % 9
        let people = PoolFixtures.randomPool(count: count, seed: UInt64(seed))
        let rules = MatchRules.defaults(for: .pairs)
        let context = ScoringContext(people: people, rules: rules, model: .pairs)
        let result = await PoolFixtures.run(people, rules: rules, k: 2)
        let optimum = PoolFixtures.bruteForceMaximum(count: count) { context.weight($0, $1) }
        #expect(result.totalWeight == optimum)
        #expect(result.status == .optimal)
        #expect(result.upperBound == optimum)
        var seen = Set<Int>()
        for pair in result.pairs {
            #expect(context.blockingConstraint(pair.a, pair.b) == nil)
            #expect(seen.insert(pair.a).inserted && seen.insert(pair.b).inserted)
            #expect(pair.weight == context.weight(pair.a, pair.b))
        }
        #expect(result.pairs.map(\.weight).reduce(0, +) == result.totalWeight)
        #expect(seen.count + result.unmatched.count == count)
    }

    @Test("without --prove the reported upper bound is still a true upper bound", arguments: 0..<15)
    func upperBoundIsValid(seed: Int) async {
        let people = PoolFixtures.randomPool(count: 14, seed: UInt64(100 + seed))
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        let result = await PoolFixtures.run(people, prove: false, k: 1)
        let optimum = PoolFixtures.bruteForceMaximum(count: 14) { context.weight($0, $1) }
        #expect(result.upperBound >= optimum)
        #expect(result.totalWeight <= optimum)
        if result.status == .optimal { #expect(result.totalWeight == optimum) }
    }

    @Test("the same input, options and seed give byte-identical JSON")
    func determinism() async {
        let people = SyntheticPoolGenerator.generate(count: 300, seed: 9)
        let first = await PoolFixtures.run(people, prove: true, seed: 4)
        let second = await PoolFixtures.run(people, prove: true, seed: 4)
        #expect(JSONWriter.write(first.json(includeTimings: false)) == JSONWriter.write(second.json(includeTimings: false)))
        #expect(first.graphCSV() == second.graphCSV())
        let previewA = await PoolFixtures.run(people, prove: false, preview: true, seed: 4)
        let previewB = await PoolFixtures.run(people, prove: false, preview: true, seed: 4)
        #expect(JSONWriter.write(previewA.json(includeTimings: false)) == JSONWriter.write(previewB.json(includeTimings: false)))
    }

    @Test("the output has every field the issue specifies")
    func outputShape() async throws {
        let people = SyntheticPoolGenerator.generate(count: 51, seed: 2)
        let result = await PoolFixtures.run(people)
        let json = try JSONParser.parse(JSONWriter.write(result.json()))
        for key in ["participants", "matched", "total_weight", "upper_bound", "status", "gap_percent", "pairs", "triads", "unmatched", "timings"] {
            #expect(json[key] != nil, "\(key)")
        }
        #expect(json["participants"] == .int(51))
        #expect(json["status"] == .string("optimal"))
        guard case .array(let pairs) = json["pairs"], let pair = pairs.first else {
            Issue.record("no pairs")
            return
        }
        for key in ["a", "b", "weight", "score", "reasons"] { #expect(pair[key] != nil, "\(key)") }
        guard case .array(let unmatched) = json["unmatched"], let entry = unmatched.first else {
            Issue.record("51 people cannot all be paired")
            return
        }
        #expect(entry["id"] != nil && entry["reason"] != nil)
    }

    @Test("the emitted graph lists the solver's edges as a,b,weight with person ids")
    func emittedGraph() async {
        let people = PoolFixtures.randomPool(count: 12, seed: 8)
        let result = await PoolFixtures.run(people)
        let lines = result.graphCSV().split(separator: "\n")
        #expect(lines.first == "a,b,weight")
        #expect(lines.count == result.graph.count + 1)
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",")
            #expect(fields.count == 3)
            #expect(fields[0].hasPrefix("p") && Int64(fields[2]) != nil)
        }
    }

    @Test("a history file forbids repeat partners")
    func historyForbids() async throws {
        let people = [
            Person(id: "a", strengths: [SkillLevel(skill: "Go", level: 2)], wants: [SkillWant(skill: "SQL", currentLevel: 1)]),
            Person(id: "b", strengths: [SkillLevel(skill: "SQL", level: 2)], wants: [SkillWant(skill: "Go", currentLevel: 1)]),
        ]
        let history = try HistoryFile.read("A,B,date\nb,a,2025-01-01\n")
        #expect(history.count == 1)
        let result = await PoolFixtures.run(people, history: history)
        #expect(result.pairs.isEmpty)
        #expect(result.unmatched.allSatisfy { $0.reason.contains("previous partners") })
        #expect(throws: PeopleImportError.self) { try HistoryFile.read("x,y\n1,2\n") }
    }
}
