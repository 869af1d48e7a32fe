import FluentKit
import Foundation
@testable import MutualStore
import MutualMatching
import MutualTestSupport
import Testing

@Suite("Progress of a running match run")
struct RunProgressTests {
    @Test("A run says what it is doing while it runs, follows the engine's phases, and says nothing once finished", arguments: TestBackend.all)
    func progress(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = ProgrammeStoreTests.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let programme = try await ProgrammeSeeds.programme(store, org)
            let started = try await store.matchRunner.start(programmeID: programme.id, by: org.manager)
            #expect(started.progress == "Loading the enrolled people and their skills")

            // What the recorder writes is what the run shows.
            let recorder = RunProgressRecorder(runID: started.id, database: database)
            await recorder.write(RunProgress.sentence(.candidates, 0.4))
            #expect(try await store.matchRun(id: started.id, of: org.manager).progress == "Finding promising partners for everyone (40 %)")
            await recorder.write(RunProgress.sentence(.pricing, 1))
            #expect(try await store.matchRun(id: started.id, of: org.manager).progress.hasPrefix("Checking that no better partner was overlooked (100 %"))

            await store.matchRunner.execute(runID: started.id)
            let done = try await store.matchRun(id: started.id, of: org.manager)
            #expect(done.status == .done && done.progress.isEmpty)
            // A report arriving after the run finished does not bring the progress back.
            await recorder.write(RunProgress.sentence(.explain, 1))
            #expect(try await store.matchRun(id: started.id, of: org.manager).progress.isEmpty)
        }
    }

    @Test("Every engine phase has its own sentence, with the share done where it is known")
    func sentences() {
        let sentences = MatchPhase.allCases.map { RunProgress.sentence($0, 0.25) }
        #expect(Set(sentences).count == MatchPhase.allCases.count)
        #expect(RunProgress.sentence(.candidates, 0.25).contains("25 %"))
        #expect(RunProgress.sentence(.candidates, 7).contains("100 %"))
    }
}
