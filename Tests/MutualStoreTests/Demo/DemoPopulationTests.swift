import FluentKit
import Foundation
import MutualMatching
import MutualStore
import MutualTestSupport
import Testing

@Suite("The demo population")
struct DemoPopulationTests {
    /// The product promises pairs in which both people learn; the demo is the first thing a
    /// newcomer sees, so its own mutual-pairs programme has to keep that promise.
    @Test(
        "In the demo's mutual-pairs programme, at the default rules, at most 10 % of the proposed pairs are one-way, and the demo participant's own match teaches both ways",
        arguments: TestBackend.all)
    func reciprocalPairsAreTheNorm(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            _ = try await store.loadDemo()
            let admin = try await Seeds.signedIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, in: store)
            // The current cycle's pairs programme (not "Spring skill swap", five months into its own).
            let pairsProgrammes = try await store.programmes(of: admin).filter { $0.model == .pairs && $0.name != "Spring skill swap" }
            #expect(pairsProgrammes.count == 1, "\(pairsProgrammes.map(\.name))")
            let programme = try #require(pairsProgrammes.first)
            let run = try #require(try await store.matchRuns(of: programme.id, includingProposals: true, by: admin).first)
            let pairs = try #require(run.result, "\(run.status) \(run.failure)").pairs
            #expect(run.optimality == .optimal)

            // The run used the pairs model's default rules: nobody tuned them to hide one-way pairs.
            let rules = run.rulesJSON.isEmpty ? MatchRules.defaults(for: .pairs) : try RulesFile.decode(run.rulesJSON, model: .pairs)
            #expect(rules == MatchRules.defaults(for: .pairs))

            // Who teaches whom, as the engine scores it, from the organisation's people file (what the run read).
            let people = try PeopleCSVReader.read(try await store.exportPeopleCSV(from: admin.organisationID)).people
            let context = ScoringContext(people: people, rules: rules, model: .pairs)
            func teaches(_ teacher: String, _ learner: String) throws -> Bool {
                let a = try #require(context.indexOfID[teacher]), b = try #require(context.indexOfID[learner])
                return context.teachingValue(from: a, to: b) > 0
            }
            var oneWay: [String] = []
            for pair in pairs {
                let (aTeaches, bTeaches) = (try teaches(pair.a, pair.b), try teaches(pair.b, pair.a))
                #expect(aTeaches || bTeaches, "someone learns in \(pair.a)–\(pair.b)")
                if aTeaches != bTeaches { oneWay.append("\(pair.a)–\(pair.b)") }
            }
            #expect(pairs.count >= 45, "the skill swap's ~107 people are nearly all paired: \(pairs.count) pairs")
            #expect(oneWay.count * 10 <= pairs.count, "\(oneWay.count) of \(pairs.count) pairs are one-way: \(oneWay)")

            // The demo participant's own match (waiting for her answer) teaches both ways.
            let anaID = try #require(people.first { $0.email == DemoOrganisation.participantEmail }?.id)
            let own = try #require(pairs.first { $0.contains(anaID) }, "the demo participant is paired in \(programme.name)")
            let partnerID = own.a == anaID ? own.b : own.a
            #expect(try teaches(anaID, partnerID) && teaches(partnerID, anaID), "\(own.reasons)")
            let ana = try await Seeds.signedIn(email: DemoOrganisation.participantEmail, password: DemoOrganisation.participantPassword, in: store)
            let mine = try await store.myMatches(of: ana).filter { $0.programmeName == programme.name }
            let partnerName = try #require(people.first { $0.id == partnerID }).name
            #expect(mine.count == 1 && mine.first?.partners.map(\.name) == [partnerName] && mine.first?.status == .pending, "\(mine)")
        }
    }
}
