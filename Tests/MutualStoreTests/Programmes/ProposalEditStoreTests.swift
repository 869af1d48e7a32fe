import Foundation
import MutualMatching
import MutualStore
import MutualTestSupport
import Testing

@Suite("Editing a run's proposal in the store")
struct ProposalEditStoreTests {
    /// Yui speaks only Japanese and wants what Zed teaches: Zed and Yui become a pair nobody
    /// else may join (no shared language).
    static let yui = """
        id,name,department,level,timezone,languages,strengths,wants
        Y1,Yui,Legal,3,Asia/Tokyo,ja,Japanese:4,Contract Law:1

        """

    static func setUp(_ store: Store) async throws -> (SeededOrganisation, ProgrammeDetail, MatchRunSummary) {
        let org = try await Seeds.organisation("Acme", in: store)
        let programme = try await ProgrammeSeeds.programme(store, org)
        _ = try await store.importPeople(into: org.admin.organisationID, csv: yui, options: .init(mode: .allOrNothing))
        _ = try await store.enrol(csv: "id\nY1\n", in: programme.id, by: org.manager)
        let run = try await ProgrammeSeeds.run(store, programme, org)
        return (org, programme, run)
    }

    static func pairs(_ run: MatchRunSummary) -> Set<Set<String>> { Set(run.groups.map { Set($0.members) }) }

    @Test("Break, lock, swap and leave out each change the proposal, say their effect on the score and are logged", arguments: TestBackend.all)
    func edits(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let (org, _, run) = try await Self.setUp(store)
            #expect(Self.pairs(run) == [["A1", "B1"], ["C1", "D1"], ["E1", "F1"], ["Y1", "Z1"]])
            let weightAB = try #require(Proposalish.weights(run)[["A1", "B1"]])

            let broken = try await store.editProposal(runID: run.id, .breakPair("B1", "A1"), expectedEdits: 0, by: org.manager)
            #expect(broken.edit.delta == -weightAB && broken.run.totalWeight == run.totalWeight - weightAB)
            #expect(broken.edit.summary.hasPrefix("Breaking Ana and Ben: −"))
            #expect(broken.edit.summary.contains("of at most"))
            #expect(broken.edit.by == org.manager.name && broken.edit.accountID == org.manager.accountID)
            #expect(broken.run.matched == 6 && !Self.pairs(broken.run).contains(["A1", "B1"]))
            #expect(broken.run.unmatched.contains { $0.id == "A1" && $0.reason == "the programme manager broke their pair with Ben" })
            #expect(broken.run.optimality == .gap && broken.run.brokenPairs.map(Set.init) == [["A1", "B1"]])

            let locked = try await store.editProposal(runID: run.id, .lock("C1", "D1"), by: org.manager)
            #expect(locked.edit.delta == 0 && locked.run.isLocked("D1", "C1"))
            await #expect(throws: StoreError.self) { _ = try await store.editProposal(runID: run.id, .lock("C1", "D1"), by: org.manager) }

            // A locked pair is not swapped or broken; a stale page is refused.
            for change in [ProposalChange.swap("C1", "E1"), .breakPair("C1", "D1"), .exclude("D1")] {
                do {
                    _ = try await store.editProposal(runID: run.id, change, by: org.manager)
                    Issue.record("\(change) went through a lock")
                } catch let error as StoreError {
                    #expect(error.errorDescription?.contains("Unlock them first") == true)
                }
            }
            await #expect(throws: StoreError.self) { _ = try await store.editProposal(runID: run.id, .breakPair("E1", "F1"), expectedEdits: 0, by: org.manager) }

            // A swap a hard rule forbids is refused with the rule in words.
            do {
                _ = try await store.editProposal(runID: run.id, .swap("Z1", "E1"), by: org.manager)
                Issue.record("a swap across languages went through")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("share no language") == true)
                #expect(error.errorDescription?.contains("Zed") == true || error.errorDescription?.contains("Yui") == true)
            }

            // Swapping between two unlocked pairs shows both new pairs against the old ones.
            _ = try await store.editProposal(runID: run.id, .unlock("C1", "D1"), by: org.manager)
            let swapped = try await store.editProposal(runID: run.id, .swap("C1", "E1"), by: org.manager)
            #expect(Self.pairs(swapped.run).isSuperset(of: [["E1", "D1"], ["C1", "F1"]]))
            #expect(swapped.edit.summary.hasPrefix("Swapping Caro and Eli: "))
            #expect(swapped.edit.summary.contains("Eli with Dev scores") || swapped.edit.summary.contains("Dev with Eli scores"))
            #expect(swapped.edit.summary.contains("scored"))
            #expect(swapped.run.totalWeight == broken.run.totalWeight + swapped.edit.delta)

            let left = try await store.editProposal(runID: run.id, .exclude("Z1"), by: org.manager)
            #expect(left.run.unmatched.contains { $0.id == "Y1" && $0.reason.contains("Zed was left out") })
            #expect(!left.run.unmatched.contains { $0.id == "Z1" })
            #expect(left.edit.summary.hasPrefix("Leaving Zed out: −"))
            #expect(left.run.excludedPeople == ["Z1"])
            #expect(left.run.edits.map(\.kind) == [.breakPair, .lock, .unlock, .swap, .exclude])
            #expect(left.run.totalWeight == left.run.groups.reduce(0) { $0 + (Proposalish.weights(left.run)[Set($1.members)] ?? 0) })

            await #expect(throws: StoreError.self) { _ = try await store.editProposal(runID: run.id, .breakPair("E1", "D1"), by: org.participant) }
            let other = try await Seeds.organisation("Globex", in: store)
            await #expect(throws: StoreError.notFound(what: "match run")) { _ = try await store.editProposal(runID: run.id, .exclude("A1"), by: other.admin) }
        }
    }

    @Test("Two edits made at once from the same page: one is applied, the other is refused, and nothing is lost", arguments: TestBackend.all)
    func simultaneousEdits(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let (org, _, run) = try await Self.setUp(store)
            async let first: ProposalEditOutcome? = try? store.editProposal(runID: run.id, .breakPair("A1", "B1"), expectedEdits: 0, by: org.manager)
            async let second: ProposalEditOutcome? = try? store.editProposal(runID: run.id, .breakPair("C1", "D1"), expectedEdits: 0, by: org.manager)
            let outcomes = await [first, second].compactMap { $0 }
            #expect(outcomes.count == 1)
            let stored = try await store.matchRun(id: run.id, of: org.manager)
            #expect(stored.edits.count == 1 && stored.groups.count == run.groups.count - 1)
            #expect(stored.totalWeight == run.totalWeight + (outcomes.first?.edit.delta ?? 0))
        }
    }

    @Test("A re-run keeps locked pairs as they are, never proposes broken pairs, leaves out excluded people, and publishing takes the edited proposal", arguments: TestBackend.all)
    func rerun(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let (org, programme, run) = try await Self.setUp(store)
            // Swap so that a locked pair is one the engine would not choose by itself.
            _ = try await store.editProposal(runID: run.id, .swap("C1", "E1"), by: org.manager)
            _ = try await store.editProposal(runID: run.id, .lock("E1", "D1"), by: org.manager)
            _ = try await store.editProposal(runID: run.id, .breakPair("A1", "B1"), by: org.manager)
            _ = try await store.editProposal(runID: run.id, .exclude("Z1"), by: org.manager)

            let started = try await store.matchRunner.rerun(runID: run.id, seed: 5, by: org.manager)
            #expect(started.status == .running && started.seed == 5 && started.frame.fromRun == run.id)
            await store.matchRunner.execute(runID: started.id)
            let rerun = try await store.matchRun(id: started.id, of: org.manager)
            #expect(rerun.status == .done && rerun.rulesJSON == run.rulesJSON)
            let pairs = Self.pairs(rerun)
            #expect(pairs.contains(["E1", "D1"]))
            #expect(!pairs.contains(["A1", "B1"]))
            #expect(!rerun.groups.contains { $0.members.contains("Z1") } && !rerun.unmatched.contains { $0.id == "Z1" })
            #expect(rerun.lockedPairs.map(Set.init) == [["E1", "D1"]] && rerun.excludedPeople == ["Z1"])
            // Locks carry over: the locked pair cannot be broken on the new run without unlocking.
            await #expect(throws: StoreError.self) { _ = try await store.editProposal(runID: rerun.id, .breakPair("E1", "D1"), by: org.manager) }

            // Publishing reads the edited proposal of the first run as it is.
            let edited = try await store.matchRun(id: run.id, of: org.manager)
            #expect(try await store.publishMatchRun(id: run.id, by: org.manager) == edited.groups.count)
            do {
                _ = try await store.editProposal(runID: run.id, .breakPair("E1", "D1"), by: org.manager)
                Issue.record("a published run was edited")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("published") == true)
            }
            await #expect(throws: StoreError.self) { _ = try await store.matchRunner.rerun(runID: run.id, by: org.manager) }
            _ = programme
        }
    }

    @Test("Mentoring swaps keep mentors and mentees in their places; with two partners each a swap is refused with a reason, breaking works", arguments: TestBackend.all)
    func mentoringAndCapacity(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            _ = try await store.importPeople(into: org.admin.organisationID, csv: ProgrammeSeeds.people, options: .init(mode: .allOrNothing))
            let mentoring = try await store.createProgramme(
                ProgrammeDraft(name: "Mentors", model: .mentoring, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", capacity: 2), objectives: [], by: org.manager)
            _ = try await store.enrol(csv: "id,role\nB1,mentor\nA1,mentee\nD1,mentor\nC1,mentee\n", in: mentoring.id, by: org.manager)
            let run = try await ProgrammeSeeds.run(store, mentoring, org)
            #expect(run.groups.map(\.members) == [["B1", "A1"], ["D1", "C1"]])
            let swapped = try await store.editProposal(runID: run.id, .swap("A1", "C1"), by: org.manager)
            #expect(Set(swapped.run.groups.map(\.members)) == [["B1", "C1"], ["D1", "A1"]])
            do {
                _ = try await store.editProposal(runID: run.id, .swap("B1", "C1"), by: org.manager)
                Issue.record("a mentor was swapped into a mentee's place")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("partners already") == true || error.errorDescription?.contains("enrolled as") == true)
            }

            let wide = try await store.createProgramme(
                ProgrammeDraft(name: "Wide", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31", capacity: 2), objectives: [], by: org.manager)
            // Mia teaches what Ana and Ben each want, so with two places each someone gets two partners.
            _ = try await store.importPeople(
                into: org.admin.organisationID,
                csv: "id,name,department,level,timezone,languages,strengths,wants\nM1,Mia,Data,3,Europe/Lisbon,en,SQL:4;Python:4,Negotiation:1\n",
                options: .init(mode: .allOrNothing))
            _ = try await store.enrol(csv: "id\nA1\nB1\nC1\nD1\nM1\n", in: wide.id, by: org.manager)
            let capacitated = try await ProgrammeSeeds.run(store, wide, org)
            let busiest = try #require(Dictionary(grouping: capacitated.groups.flatMap(\.members), by: { $0 }).first { $0.value.count > 1 }?.key)
            let other = try #require(capacitated.groups.flatMap(\.members).first { $0 != busiest })
            do {
                _ = try await store.editProposal(runID: capacitated.id, .swap(busiest, other), by: org.manager)
                Issue.record("an ambiguous swap went through")
            } catch let error as StoreError {
                #expect(error.errorDescription?.contains("partners in this proposal") == true)
            }
            let pair = try #require(capacitated.groups.first { $0.members.contains(busiest) })
            let broken = try await store.editProposal(runID: capacitated.id, .breakPair(pair.members[0], pair.members[1]), by: org.manager)
            #expect(broken.run.groups.count == capacitated.groups.count - 1)
            #expect(broken.run.resultJSON.contains("open_places"))
        }
    }
}

/// Reads pair weights from a run's engine JSON, keyed by the pair's members.
enum Proposalish {
    static func weights(_ run: MatchRunSummary) -> [Set<String>: Int] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(run.resultJSON.utf8)) as? [String: Any] else { return [:] }
        var weights: [Set<String>: Int] = [:]
        for pair in object["pairs"] as? [[String: Any]] ?? [] {
            weights[[pair["a"] as? String ?? "", pair["b"] as? String ?? ""]] = pair["weight"] as? Int ?? 0
        }
        return weights
    }
}
