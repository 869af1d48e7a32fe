import MutualMatching
import Testing

@Suite("Synthetic pools")
struct SyntheticPoolGeneratorTests {
    @Test("the same seed gives the same pool; another seed another pool")
    func reproducible() {
        #expect(SyntheticPoolGenerator.generate(count: 200, seed: 5) == SyntheticPoolGenerator.generate(count: 200, seed: 5))
        #expect(SyntheticPoolGenerator.generate(count: 200, seed: 5) != SyntheticPoolGenerator.generate(count: 200, seed: 6))
    }

    @Test("the pool is realistic: a seniority pyramid, several hubs, managers in the pool, popular skills")
    func realistic() throws {
        let people = SyntheticPoolGenerator.generate(count: 2000, seed: 1)
        let levels = Dictionary(grouping: people, by: { $0.level ?? 0 }).mapValues(\.count)
        #expect((levels[1] ?? 0) > (levels[3] ?? 0))
        #expect((levels[3] ?? 0) > (levels[6] ?? 0))
        #expect(Set(people.map(\.timeZoneName)).count >= 5)
        let ids = Set(people.map(\.id))
        #expect(people.filter { $0.managerID != nil }.allSatisfy { ids.contains($0.managerID!) })
        let wanted = Dictionary(grouping: people.flatMap(\.wants), by: \.skill).mapValues(\.count)
        let counts = wanted.values.sorted(by: >)
        #expect(counts.first! > 10 * counts.last!, "skills are popularity-skewed")
        let read = try PeopleCSVReader.read(PeopleCSVWriter.write(people, includeMentoringColumns: true))
        #expect(read.people == people)
    }

    @Test("a generated pool has a realistic share of feasible pairs")
    func feasibleShare() {
        let people = SyntheticPoolGenerator.generate(count: 300, seed: 2)
        let context = ScoringContext(people: people, rules: .defaults(for: .pairs), model: .pairs)
        var allowed = 0, total = 0
        for a in 0..<300 {
            for b in (a + 1)..<300 {
                total += 1
                if context.isAllowed(a, b) { allowed += 1 }
            }
        }
        let share = Double(allowed) / Double(total)
        #expect(share > 0.1 && share < 0.6, "\(share)")
    }
}
