import Foundation
import MutualStore
import Testing

@Suite("The anonymity guard's rules")
struct FeedbackGuardTests {
    static func rows(_ people: [UUID], month: String = "2027-01", shared: Bool = false) -> [FeedbackGuard.Row] {
        people.map { FeedbackGuard.Row(person: $0, programme: UUID(), month: month, score: 3, category: nil, shared: shared) }
    }

    @Test("k is counted in people, not answers, and shared answers do not count towards it")
    func countsPeople() {
        let ana = UUID()
        let others = (0..<3).map { _ in UUID() }
        #expect(!FeedbackGuard.isShowable(Self.rows([ana, ana, ana, ana] + others), k: 5))
        #expect(FeedbackGuard.needed(Self.rows([ana, ana] + others), k: 5) == 1)
        #expect(!FeedbackGuard.isShowable(Self.rows(others) + Self.rows([UUID(), UUID()], shared: true), k: 5))
        #expect(FeedbackGuard.isShowable(Self.rows((0..<5).map { _ in UUID() }, shared: true), k: 5))
    }

    @Test("Groups beside their total: a lone hidden group takes the smallest shown one with it")
    func groupsBesideTotal() {
        let january = Self.rows((0..<5).map { _ in UUID() }, month: "2027-01")
        let february = Self.rows((0..<6).map { _ in UUID() }, month: "2027-02")
        let march = Self.rows([UUID()], month: "2027-03")
        #expect(FeedbackGuard.showableGroups(january + february, k: 5, key: \.month) == ["2027-01", "2027-02"])
        // March alone is one person: January (the smaller) is hidden too, so the hidden rest is six people.
        #expect(FeedbackGuard.showableGroups(january + february + march, k: 5, key: \.month) == ["2027-02"])
    }

    @Test("Batches close at k distinct people not sharing by name; a run of named answers closes at once; the rest waits")
    func batches() {
        let ana = UUID(), people = (0..<9).map { _ in UUID() }
        // Ana's second answer does not count twice: the batch closes at the fifth person.
        let first = Self.rows([ana, people[0], ana, people[1], people[2], people[3]])
        #expect(FeedbackGuard.batchEnds(first, k: 5) == [5])
        #expect(FeedbackGuard.batchEnds(Array(first.prefix(5)), k: 5) == [])
        // Named answers before any private one are published as they come; private ones wait for k.
        let named = Self.rows([people[4], people[5]], shared: true)
        #expect(FeedbackGuard.batchEnds(named + Self.rows(Array(people.prefix(4))), k: 5) == [0, 1])
        // Two whole batches, then two waiting answers.
        let ten = Self.rows(Array(people.prefix(5)) + Array(people.suffix(4)) + [ana] + [people[0], people[1]])
        #expect(FeedbackGuard.batchEnds(ten, k: 5) == [4, 9])
        // With k = 3, batches of three.
        #expect(FeedbackGuard.batchEnds(Self.rows(Array(people.prefix(7))), k: 3) == [2, 5])
    }
}
