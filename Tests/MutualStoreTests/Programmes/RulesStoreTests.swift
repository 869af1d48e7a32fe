import Foundation
import MutualMatching
import MutualStore
import MutualTestSupport
import Testing

@Suite("Programme rules in the store")
struct RulesStoreTests {
    /// Working hours 9–17 and at least 8 h overlap: only people in the same time zone may pair,
    /// which leaves Eli (Paris) and Fay (Rome) as the only pair of the seeded programme.
    static let sameZoneOnly = #"{"min_overlap_hours": 8}"#

    @Test("A programme starts with its model's defaults; saved rules are kept in full and a run records and uses them", arguments: TestBackend.all)
    func saveAndRun(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            let initial = try await store.programmeRules(programmeID: programme.id, by: org.manager)
            #expect(initial.isDefault && initial.rules == MatchRules.defaults(for: .pairs))

            let plain = try await ProgrammeSeeds.run(store, programme, org)
            #expect(plain.matched == 6)
            #expect(try RulesFile.decode(plain.rulesJSON, model: .pairs) == MatchRules.defaults(for: .pairs))

            let rules = try await store.checkRules(Self.sameZoneOnly, programmeID: programme.id, by: org.manager)
            let saved = try await store.setProgrammeRules(rules, programmeID: programme.id, by: org.manager)
            #expect(!saved.isDefault && saved.rules.minimumOverlapHours == 8)
            let reread = try await store.programmeRules(programmeID: programme.id, by: org.manager)
            #expect(reread.rules == rules && reread.document == RulesFile.encodeText(rules))

            let run = try await ProgrammeSeeds.run(store, programme, org)
            #expect(run.rulesJSON == RulesFile.encodeText(rules))
            #expect(run.matched == 2)
            #expect(run.groups.map { Set($0.members) } == [["E1", "F1"]])
            // Changed rules changed the result.
            #expect(run.resultJSON != plain.resultJSON)

            // Changing the programme's rules later does not change how an earlier run reproduces:
            // the same recorded rules and seed give byte-identical results.
            try await store.setProgrammeRules(.defaults(for: .pairs), programmeID: programme.id, by: org.manager)
            let again = try await store.rerunForTest(run, by: org.manager)
            #expect(again.resultJSON == run.resultJSON)
        }
    }

    @Test("Bad rules are refused with the key and how to fix it; managers only", arguments: TestBackend.all)
    func refusals(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            for (document, field) in [
                (#"{"level_windw": 1}"#, "level_windw"), (#"{"reciprocity": 140}"#, "reciprocity"),
                (#"{"criteria": {"department": {"prefer": "same"}}}"#, "criteria.department.prefer"), ("{", "rules"),
            ] {
                do {
                    _ = try await store.checkRules(document, programmeID: programme.id, by: org.manager)
                    Issue.record("accepted \(document)")
                } catch let error as StoreError {
                    #expect(error.field == field)
                    #expect(error.errorDescription?.contains("Fix that value") == true)
                }
            }
            await #expect(throws: StoreError.self) { _ = try await store.programmeRules(programmeID: programme.id, by: org.participant) }
            await #expect(throws: StoreError.self) {
                try await store.setProgrammeRules(.defaults(for: .pairs), programmeID: programme.id, by: org.participant)
            }
        }
    }

    @Test("The effect counts how many of the pool a quick preview matches under the rules, without saving them", arguments: TestBackend.all)
    func effect(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            let defaults = try await store.rulesEffect(.defaults(for: .pairs), programmeID: programme.id, by: org.manager)
            #expect(defaults.enrolled == 7 && defaults.pool == 7 && defaults.matched == 6 && defaults.withoutPartner == 1 && !defaults.previewedAsPairs)
            let strict = try await store.checkRules(Self.sameZoneOnly, programmeID: programme.id, by: org.manager)
            let effect = try await store.rulesEffect(strict, programmeID: programme.id, by: org.manager)
            #expect(effect.matched == 2 && effect.pool == 7 && effect.withoutPartner == 5)
            #expect(try await store.programmeRules(programmeID: programme.id, by: org.manager).isDefault)
        }
    }
}

extension Store {
    /// Starts a run with the same recorded rules and seed as `run` (a re-run around nothing) and waits for it.
    func rerunForTest(_ run: MatchRunSummary, by identity: Identity) async throws -> MatchRunSummary {
        let again = try await matchRunner.rerun(runID: run.id, by: identity)
        await matchRunner.execute(runID: again.id)
        return try await matchRun(id: again.id, of: identity)
    }
}
