import FluentKit
import Foundation
import MutualMatching
@testable import MutualStore
import MutualTestSupport
import Testing

/// The run page's total and its bound: the bound shown bounds the total shown, and a proposal
/// edited by hand never reads as proven best (issue 13: "Total 453,122 (upper bound 433,204) —
/// Proven best possible" after locks and triads).
@Suite("A run's total and its bound")
struct RunBoundPropertyTests {
    /// Nine people who can all learn something from one another: an odd pool, so with the
    /// triad policy the odd one out joins a pair.
    static let people = """
        id,name,department,level,timezone,languages,strengths,wants
        P1,Pam,Data,3,Europe/Lisbon,en,SQL:4;Coaching:2,Python:1;Budgeting:1
        P2,Pat,Engineering,3,Europe/Berlin,en,Python:4;Budgeting:2,SQL:2;Coaching:1
        P3,Pia,Sales,3,Europe/Madrid,en,Negotiation:4;SQL:2,Public Speaking:1;Python:1
        P4,Pol,Marketing,3,Europe/London,en,Public Speaking:4;Python:2,Negotiation:2;SQL:1
        P5,Pru,People,3,Europe/Paris,en,Coaching:4;Negotiation:2,Budgeting:1;Public Speaking:1
        P6,Pip,Finance,3,Europe/Rome,en,Budgeting:4;Public Speaking:2,Coaching:1;Negotiation:1
        P7,Peg,Legal,3,Europe/Lisbon,en,SQL:3;Negotiation:3,Coaching:2;Python:2
        P8,Per,Design,3,Europe/Berlin,en,Python:3;Coaching:3,Negotiation:1;Budgeting:2
        P9,Pax,Support,3,Europe/Madrid,en,Budgeting:3;Public Speaking:3,SQL:1;Public Speaking:1

        """

    static func triadProgramme(_ store: Store, _ org: SeededOrganisation) async throws -> ProgrammeDetail {
        _ = try await store.importPeople(into: org.admin.organisationID, csv: people, options: .init(mode: .allOrNothing))
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Triads", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: org.manager)
        _ = try await store.enrol(csv: "id\n" + (1...9).map { "P\($0)" }.joined(separator: "\n") + "\n", in: programme.id, by: org.manager)
        var rules = try await store.programmeRules(programmeID: programme.id, by: org.manager).rules
        rules.oddOneOut = .triad
        try await store.setProgrammeRules(rules, programmeID: programme.id, by: org.manager)
        return programme
    }

    /// What must hold of every run a page can show.
    static func check(_ run: MatchRunSummary, _ context: String) throws {
        let result = try #require(run.result, "\(context)")
        let listed = result.pairs.reduce(0) { $0 + $1.weight } + result.triads.reduce(0) { $0 + $1.weight }
        #expect(run.totalWeight == listed, "the total is the sum of what is listed: \(context)")
        if run.optimality?.hasBound == true {
            #expect(run.totalWeight <= run.upperBound, "a shown bound bounds the total: \(context)")
        }
        if run.isEditedByHand {
            #expect(run.optimality != .optimal, "an edited proposal claims no proof: \(context)")
        }
        #expect(run.optimality == result.optimality && run.upperBound == result.upperBound)
    }

    /// A random edit of the current proposal (some are refused: that is part of the sequence),
    /// or `nil` for a re-run around the locks.
    static func randomChange(_ run: MatchRunSummary, _ generator: inout SeededGenerator) -> ProposalChange? {
        guard let result = run.result else { return nil }
        let pairs = result.pairs.map { ($0.a, $0.b) }
        let everyone = Array(result.people).sorted()
        let inTriads = result.triads.flatMap(\.members)
        func anyPair() -> (String, String) {
            // Now and then a "pair" from a triad, which the store refuses.
            if !inTriads.isEmpty, Int.random(in: 0..<6, using: &generator) == 0 { return (inTriads[0], inTriads[1]) }
            return pairs.randomElement(using: &generator) ?? ("P1", "P2")
        }
        switch Int.random(in: 0..<9, using: &generator) {
        case 0, 1: let (a, b) = anyPair(); return .lock(a, b)
        case 2: let locked = run.lockedPairs.randomElement(using: &generator) ?? [anyPair().0, anyPair().1]; return .unlock(locked[0], locked[1])
        case 3: let (a, b) = anyPair(); return .breakPair(a, b)
        case 4, 5, 6: return .swap(everyone.randomElement(using: &generator) ?? "P1", everyone.randomElement(using: &generator) ?? "P2")
        case 7: return .exclude(everyone.randomElement(using: &generator) ?? "P1")
        default: return nil
        }
    }

    @Test("Over random edit sequences with locks, triads and re-runs, a shown bound never falls below the total and an edited proposal never claims proven best", arguments: TestBackend.all)
    func boundHoldsUnderEdits(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await Self.triadProgramme(store, org)
            let first = try await ProgrammeSeeds.run(store, programme, org)
            #expect(first.result?.triads.count == 1, "the odd one out joins a pair")
            try Self.check(first, "the engine's run")
            var applied = 0, refused = 0, reruns = 0
            for seed in UInt64(1)...6 {
                var generator = SeededGenerator(seed: seed)
                var run = seed == 1 ? first : try await ProgrammeSeeds.run(store, programme, org)
                for step in 0..<20 {
                    let context = "seed \(seed), step \(step)"
                    guard let change = Self.randomChange(run, &generator) else {
                        guard reruns < 12 else { continue }
                        let next = try await store.matchRunner.rerun(runID: run.id, by: org.manager)
                        await store.matchRunner.execute(runID: next.id)
                        run = try await store.matchRun(id: next.id, of: org.manager)
                        reruns += 1
                        try Self.check(run, "\(context), re-run")
                        continue
                    }
                    do {
                        run = try await store.editProposal(runID: run.id, change, expectedEdits: run.edits.count, by: org.manager).run
                        applied += 1
                    } catch is StoreError {
                        refused += 1
                        continue
                    }
                    try Self.check(run, "\(context), \(change)")
                    // What the edit returned is what a reload reads.
                    #expect(try await store.matchRun(id: run.id, of: org.manager) == run, "\(context)")
                }
            }
            #expect(applied >= 20 && refused > 0 && reruns > 0, "applied \(applied), refused \(refused), re-runs \(reruns)")
        }
    }

    @Test("Two workers finishing the same run at once store one proposal, not two", arguments: TestBackend.all)
    func concurrentFinishStoresOneProposal(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await Self.triadProgramme(store, org)
            let started = try await store.matchRunner.start(programmeID: programme.id, by: org.manager)
            // Both have the engine's result in hand and the run still running, as two workers would.
            let engineRun = try await ProgrammeSeeds.run(store, programme, org)
            let engineJSON = try #require(try await MatchRun.find(engineRun.id, on: try store.db())).result
            var finishing: [(MatchRun, RunResult)] = []
            for _ in 0..<2 {
                let copy = try #require(try await MatchRun.find(started.id, on: try store.db()))
                finishing.append((copy, try MatchRunner.record(engineJSON, on: copy)))
            }
            let (a, b) = (finishing[0], finishing[1])
            async let first: Void = store.finish(a.0, proposal: a.1)
            async let second: Void = store.finish(b.0, proposal: b.1)
            _ = try await (first, second)
            let run = try await store.matchRun(id: started.id, of: org.manager)
            try Self.check(run, "after two finishes")
            #expect(run.result?.pairs.count == 3 && run.result?.triads.count == 1)
            #expect(try await ProposedMatch.query(on: try store.db()).filter(\.$runID == started.id).count() == 4)
        }
    }

    @Test("The engine's triads count in both the total and the bound, so an untouched run with a triad reads as it was proven")
    func triadsCountInTotalAndBound() throws {
        // The engine's total (100) and bound (110) are for its matching; the triad adds 15 on top of its pair (20).
        let engineJSON = """
            {"model":"pairs","participants":5,"matched":5,"total_weight":100,"upper_bound":110,"status":"gap","gap_percent":9.091,"pricing_rounds":0,
            "pairs":[{"a":"A","b":"B","weight":80,"score":70,"reasons":[]}],
            "triads":[{"members":["C","D","E"],"weight":35,"score":40,"reasons":[]}],"unmatched":[]}
            """
        let result = try #require(RunResult.decode(engineJSON))
        #expect(result.totalWeight == 115 && result.upperBound == 125 && result.optimality == .gap)
        // Written and read again, nothing moves.
        #expect(RunResult.decode(result.encodedText()) == result)
    }

    @Test("An edit that takes the total past the bound drops the bound and the proof; one within it keeps the gap, never the proof")
    func settlingAfterAnEdit() throws {
        var result = RunResult(
            model: .pairs, participants: 4, totalWeight: 100, upperBound: 100, optimality: .optimal,
            pairs: [.init(a: "A", b: "B", weight: 60, score: 60, reasons: []), .init(a: "C", b: "D", weight: 40, score: 40, reasons: [])])
        result.pairs[1].weight = 30
        result.settleAfterEdit()
        #expect(result.totalWeight == 90 && result.optimality == .gap && result.gapMillipercent == 10_000)
        result.pairs[1].weight = 60
        result.settleAfterEdit()
        #expect(result.totalWeight == 120 && result.optimality == .edited && !result.optimality.hasBound && result.gapMillipercent == 0)
        result.pairs[1].weight = 40
        result.settleAfterEdit()
        #expect(result.optimality == .gap, "total equal to the bound after an edit is still not claimed as proven")
    }

    @Test("Migration 015 turns a run's stored proposal text (an old edited one with a triad) into rows that read back the same", arguments: TestBackend.all)
    func migrationCopiesStoredProposals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await Self.triadProgramme(store, org)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            let expected = try #require(run.result)
            // As a database from before migration 015 has it: no rows, the proposal in `result`.
            let fluent = try store.db()
            try await ProposedMatchMember.query(on: fluent).filter(\.$runID == run.id).delete()
            try await ProposedMatch.query(on: fluent).filter(\.$runID == run.id).delete()
            try await UnplacedPerson.query(on: fluent).filter(\.$runID == run.id).delete()
            let row = try #require(try await MatchRun.find(run.id, on: fluent))
            row.result = expected.encodedText()
            row.totalWeight = 0
            try await row.save(on: fluent)
            #expect(try await store.matchRun(id: run.id, of: org.manager).groups.isEmpty)

            try await StoreProposalsAsRows015.copyProposals(on: fluent)
            let migrated = try await store.matchRun(id: run.id, of: org.manager)
            #expect(migrated.result == expected && migrated.totalWeight == run.totalWeight)
            // A second pass leaves runs that have rows alone.
            try await StoreProposalsAsRows015.copyProposals(on: fluent)
            #expect(try await store.matchRun(id: run.id, of: org.manager).result == expected)
        }
    }

    @Test("Migration 015 makes no claim for a run the old editor left with its total past its bound", arguments: TestBackend.all)
    func migrationDropsOldFalseClaims(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await Self.triadProgramme(store, org)
            let run = try await ProgrammeSeeds.run(store, programme, org)
            let fluent = try store.db()
            try await ProposedMatchMember.query(on: fluent).filter(\.$runID == run.id).delete()
            try await ProposedMatch.query(on: fluent).filter(\.$runID == run.id).delete()
            try await UnplacedPerson.query(on: fluent).filter(\.$runID == run.id).delete()
            // As the editor before 015 wrote it: "optimal", with a total above the engine's bound
            // (it counted the triad's extra weight in the total only).
            var old = try #require(run.result)
            old.optimality = .optimal
            var text = old.encodedText()
            text = text.replacingOccurrences(of: "\"upper_bound\":\(old.upperBound)", with: "\"upper_bound\":\(old.totalWeight - 1000)")
            #expect(StoreProposalsAsRows015.storedTotalPassesBound(text), "the test document must have its total past its bound")
            let row = try #require(try await MatchRun.find(run.id, on: fluent))
            row.result = text
            try await row.save(on: fluent)

            try await StoreProposalsAsRows015.copyProposals(on: fluent)
            let migrated = try await store.matchRun(id: run.id, of: org.manager)
            #expect(migrated.optimality == .edited, "an old total past its bound must not read as proven best")
            #expect(migrated.optimality?.hasBound == false)
        }
    }
}

