import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("Match runs in the store")
struct MatchRunStoreTests {
    @Test("A run matches the enrolled people, explains each pair and each person left out, and is reproducible", arguments: TestBackend.all)
    func runAndReproduce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)

            let started = try await store.matchRunner.start(programmeID: programme.id, seed: 7, by: org.manager)
            #expect(started.status == .running && started.participants == 7)
            await store.matchRunner.execute(runID: started.id)
            let run = try await store.matchRun(id: started.id, of: org.manager)
            #expect(run.status == .done && run.matched == 6 && run.optimality == .optimal)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(run.resultJSON.utf8)) as? [String: Any])
            let pairs = try #require(result["pairs"] as? [[String: Any]])
            let matched = Set(pairs.map { Set([$0["a"] as? String ?? "", $0["b"] as? String ?? ""]) })
            #expect(matched == [["A1", "B1"], ["C1", "D1"], ["E1", "F1"]])
            #expect(pairs.allSatisfy { !($0["reasons"] as? [String] ?? []).isEmpty })
            let unmatched = try #require(result["unmatched"] as? [[String: Any]])
            #expect(unmatched.map { $0["id"] as? String } == ["Z1"])
            #expect((unmatched.first?["reason"] as? String)?.isEmpty == false)

            // The same enrolment, rules and seed give byte-identical results.
            let again = try await store.matchRunner.start(programmeID: programme.id, seed: 7, by: org.manager)
            await store.matchRunner.execute(runID: again.id)
            #expect(try await store.matchRun(id: again.id, of: org.manager).resultJSON == run.resultJSON)
            #expect(try await store.matchRuns(of: programme.id, by: org.manager).count == 2)
        }
    }

    @Test("A mastermind programme forms groups in the app, publishes them, and a group whose members all accept becomes a relationship", arguments: TestBackend.all)
    func groupRun(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org, model: .groups)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            #expect(run.status == .done && run.model == .groups && run.optimality == .heuristic)
            // Six share English and form one group; Zed speaks only Japanese and is left out with the reason.
            #expect(run.groups.map { Set($0.members) } == [["A1", "B1", "C1", "D1", "E1", "F1"]])
            #expect(run.unmatched.map(\.id) == ["Z1"])
            #expect(run.unmatched.first?.reason.isEmpty == false)
            #expect(run.groups[0].reasons.count > 0 && run.matched == 6 && run.participants == 7)
            // Same enrolment and seed: the same groups, byte for byte.
            #expect(try await ProgrammeSeeds.run(store, programme, org).resultJSON == run.resultJSON)
            #expect(try await store.publishMatchRun(id: run.id, by: org.manager) == 1)
            let summary = try await store.publishedMatches(in: programme.id, by: org.manager)
            #expect(summary.pending == 1)
        }
    }

    @Test("Runs need enrolled people; other organisations and participants cannot see them", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let empty = try await store.createProgramme(
                ProgrammeDraft(name: "Empty", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            await #expect(throws: StoreError.self) { _ = try await store.matchRunner.start(programmeID: empty.id, by: org.manager) }
            _ = try await store.importPeople(into: org.admin.organisationID, csv: ProgrammeSeeds.people, options: .init(mode: .allOrNothing))
            let pairs = try await store.createProgramme(
                ProgrammeDraft(name: "Pairs", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
            _ = try await store.enrol(csv: "id\nA1\nB1\n", in: pairs.id, by: org.manager)
            let run = try await store.matchRunner.start(programmeID: pairs.id, by: org.manager)
            await #expect(throws: StoreError.self) { _ = try await store.matchRunner.start(programmeID: pairs.id, by: org.participant) }
            await #expect(throws: StoreError.self) { _ = try await store.matchRun(id: run.id, of: org.participant) }
            let other = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "match run")) { _ = try await store.matchRun(id: run.id, of: other.admin) }
            await #expect(throws: StoreError.notFound(what: "programme")) { _ = try await store.matchRunner.start(programmeID: pairs.id, by: other.admin) }
        }
    }

    @Test("A mentoring run gives each mentee one mentor from the enrolled mentors", arguments: TestBackend.all)
    func mentoring(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.importPeople(into: org.admin.organisationID, csv: ProgrammeSeeds.people, options: .init(mode: .allOrNothing))
            let programme = try await store.createProgramme(
                ProgrammeDraft(name: "Mentors", model: .mentoring, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", capacity: 2), objectives: [], by: org.manager)
            _ = try await store.enrol(csv: "id,role\nB1,mentor\nA1,mentee\nD1,mentor\nC1,mentee\n", in: programme.id, by: org.manager)
            let run = try await store.matchRunner.start(programmeID: programme.id, by: org.manager)
            await store.matchRunner.execute(runID: run.id)
            let done = try await store.matchRun(id: run.id, of: org.manager)
            #expect(done.status == .done && done.model == .mentoring)
            let result = try #require(try JSONSerialization.jsonObject(with: Data(done.resultJSON.utf8)) as? [String: Any])
            let pairs = Set((result["pairs"] as? [[String: Any]] ?? []).map { "\($0["a"] as? String ?? "")>\($0["b"] as? String ?? "")" })
            #expect(pairs == ["B1>A1", "D1>C1"])
        }
    }
}

@Suite("The demo organisation's programmes")
struct DemoProgrammeTests {
    @Test("The demo ships one programme of each model, matched and published, with some matches already working", arguments: TestBackend.all)
    func demoProgrammes(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            _ = try await store.loadDemo()
            let admin = try await Seeds.signedIn(email: DemoOrganisation.adminEmail, password: DemoOrganisation.adminPassword, in: store)
            let programmes = try await store.programmes(of: admin)
            #expect(Set(programmes.map(\.model)) == Set(ProgrammeModel.allCases))
            // Last year's finished cycle (Impact, issue 15) is history: relationships that ended,
            // no enrolment or run in the app.
            let pastCycle = try #require(programmes.first { $0.name == "Leadership mentoring, 2025 cycle" })
            #expect(try await store.matchRuns(of: pastCycle.id, by: admin).isEmpty)
            let past = try await store.relationships(in: pastCycle.id, by: admin)
            #expect(past.count >= 15 && past.allSatisfy { $0.status == .completed || $0.status == .dissolved })
            // "Spring skill swap" (the dashboard's demo) is five months into its cycle: its one run
            // published, every pair accepted, and the pairs' courses mixed.
            let spring = try #require(programmes.first { $0.name == "Spring skill swap" })
            let springRuns = try await store.matchRuns(of: spring.id, by: admin)
            #expect(springRuns.count == 1 && springRuns[0].status == .done)
            let springPublished = try await store.publishedMatches(in: spring.id, by: admin)
            #expect(springPublished.pending == 0 && springPublished.accepted >= 20)
            let springRelationships = try await store.relationships(in: spring.id, by: admin)
            #expect(Set(springRelationships.map(\.status)) == [.active, .completed, .dissolved], "\(springRelationships.map(\.status))")
            // The paged list (the API's and the programme page's) holds the same relationships,
            // once each, in pages of 7, with the total of all.
            var paged: [RelationshipSummary] = []
            var after: String?
            repeat {
                let page = try await store.relationshipPage(in: spring.id, after: after, limit: 7, by: admin)
                #expect(page.total == springRelationships.count && page.relationships.count <= 7)
                paged += page.relationships
                after = page.next
            } while after != nil
            #expect(paged.map(\.id) == paged.map(\.id).sorted { $0.uuidString < $1.uuidString })
            #expect(Set(paged.map(\.id)).count == paged.count)
            let byID = Dictionary(uniqueKeysWithValues: springRelationships.map { ($0.id, $0) })
            #expect(paged.count == springRelationships.count && paged.allSatisfy { byID[$0.id] == $0 })
            for summary in programmes where summary.id != pastCycle.id && summary.id != spring.id {
                let detail = try await store.programme(id: summary.id, of: admin)
                #expect(!detail.objectives.isEmpty && detail.enrolled >= 10, "\(summary.name)")
                let runs = try await store.matchRuns(of: summary.id, includingProposals: true, by: admin)
                #expect(runs.count == 1 && runs[0].status == .done && runs[0].matched >= 10, "\(summary.name): \(runs)")
                // Pairs are proven best; group formation is a search and says so.
                #expect(runs.first?.optimality == (summary.model == .groups ? .heuristic : .optimal), "\(summary.name)")
                if summary.model == .groups {
                    #expect(runs[0].groups.allSatisfy { MatchRunner.groupSizeRange.contains($0.members.count) }, "\(runs[0].groups.map(\.members.count))")
                }
                let published = try await store.publishedMatches(in: summary.id, by: admin)
                #expect(
                    published.publishedRunIDs == [runs[0].id] && published.accepted == 2 && published.pending == runs[0].groups.count - 2 && published.pending >= 1,
                    "\(summary.name): \(published), \(runs[0].groups.map(\.members))")
                let relationships = try await store.relationships(in: summary.id, by: admin)
                // The buddies programme also holds the demo participant's own signed relationship.
                let own = summary.model == .buddies ? 1 : 0
                #expect(relationships.count == 2 + own && relationships.filter(\.isSigned).count == 1 + own, "\(summary.name)")
            }
            // The demo participant can enrol in the open programme, and is already in the skill swap.
            let ana = try await Seeds.signedIn(email: DemoOrganisation.participantEmail, password: DemoOrganisation.participantPassword, in: store)
            #expect(try await store.programmes(of: ana).contains { $0.name == "Cross-team skill swap" && $0.viewerEnrolled })

            // Her own relationship: signed, three past meetings and one coming up.
            let mine = try await store.myRelationships(of: ana)
            #expect(mine.count == 1 && mine.allSatisfy(\.isSigned) && mine.first?.status == .active)
            let meetings = try await store.meetings(inRelationship: try #require(mine.first).id, of: ana)
            let now = store.clock.now
            #expect(meetings.filter { $0.startsAt < now }.count == 3 && meetings.filter { $0.startsAt > now }.count == 1)
            // The others spread: some met and meet again, some never met after weeks.
            var upcoming = 0, neverMet = 0
            for programme in programmes {
                for relationship in try await store.relationships(in: programme.id, by: admin) where !mine.map(\.id).contains(relationship.id) {
                    let theirs = try await store.meetings(inRelationship: relationship.id, of: admin)
                    if theirs.contains(where: { $0.startsAt > now }) { upcoming += 1 }
                    if theirs.isEmpty, try await store.relationship(id: relationship.id, of: admin).startedAt < now.addingTimeInterval(-30 * 86_400) { neverMet += 1 }
                }
            }
            #expect(upcoming >= 2 && neverMet >= 2, "upcoming \(upcoming), never met \(neverMet)")
            // Her ledger has both sides teaching, with goals and a thread beside it.
            let ledger = try await store.ledger(relationshipID: try #require(mine.first).id, of: ana)
            #expect(ledger.entries.count == 3 && ledger.entries.allSatisfy { $0.logs.count == 2 })
            #expect(ledger.balance?.bothTeaching == true && ledger.balance?.oneSidedTeacherID == nil)
            let goals = try await store.goals(inRelationship: try #require(mine.first).id, of: ana)
            #expect(goals.goals.count >= 3 && goals.sharedMilestones.count == 1)
            #expect(try await store.messages(inRelationship: try #require(mine.first).id, of: ana).count == 3)
            // The needs-attention list has stalled and one-sided pairs to show.
            let reasons = Set(try await store.needsAttention(of: admin).flatMap { $0.flags.map(\.reason) })
            #expect(reasons.contains(.noFirstMeeting) && reasons.contains(.oneSided), "\(reasons)")
        }
    }
}
