import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import Testing

@Suite("The programme dashboard from the database")
struct DashboardStoreTests {
    @Test("A pair that met and both taught: funnel, meetings, reciprocity and KPIs read from the store; scores stay hidden below five people", arguments: TestBackend.all)
    func pairDashboard(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            let store = fixture.store, org = fixture.org
            let programmeID = try await store.relationship(id: fixture.relationshipID, of: fixture.pia).programmeID
            let programme = try await store.programme(id: programmeID, of: org.manager)
            _ = try await store.updateProgramme(
                id: programme.id, programme.draft,
                objectives: [
                    ObjectiveDraft(goal: "Both teach", kpis: [
                        KPI(name: "Reciprocity index", comparison: .atLeast, target: 75, unit: "%"),
                        KPI(name: "satisfaction", comparison: .atLeast, target: 4, unit: "out of 5"),
                        KPI(name: "hackathons won", comparison: .atLeast, target: 1, unit: ""),
                    ])
                ], by: org.manager)
            let meeting = try await fixture.pastMeeting()
            try await fixture.log(meeting, by: fixture.pia, taught: ["Statistics"], rating: 5)
            try await fixture.log(meeting, by: fixture.max, taught: ["Hiring"], rating: 4)
            let goal = try await store.addGoal(to: fixture.relationshipID, GoalDraft(title: "Hire well"), by: fixture.pia)
            _ = try await store.completeGoal(id: goal.id, by: fixture.pia)

            let dashboard = try await store.programmeDashboard(id: programme.id, of: org.manager)
            let funnel = Dictionary(uniqueKeysWithValues: dashboard.funnel.map { ($0.key, $0.people) })
            // Four enrolled (Pia, Max, C1, D1); the run matched all four; Pia and Max accepted and met.
            #expect(funnel["enrolled"] == 4 && funnel["matched"] == 4 && funnel["accepted"] == 2 && funnel["met"] == 2 && funnel["active"] == 2)
            #expect(dashboard.measures[.meetingsPerPairPerCycle]?.value == 1)
            #expect(dashboard.measures[.reciprocityIndex]?.value == 100)
            #expect(dashboard.measures[.goalCompletion]?.value == 100)
            #expect(dashboard.kpis.map(\.status) == [.onTrack, .noData, .notMeasured])
            // Satisfaction comes from check-ins (none yet), not from the ratings in meeting logs.
            #expect(dashboard.measures[.meetingUsefulness]?.value == nil)
            #expect(dashboard.kpis[1].current.note == "No check-ins yet.")
            #expect(dashboard.meetingsByMonth.last?.meetings == 1)

            // Retention from imported HR outcomes: Pia retained, Max left; C1 (not in a relationship) does not count.
            let database = try store.database.database()
            let piaID = try #require(try await Person.find(fixture.pia.personID, on: database)).externalID
            let maxID = try #require(try await Person.find(fixture.max.personID, on: database)).externalID
            let csv = "id,outcome,value\n\(piaID),retained_12m,1\n\(maxID),retained_12m,0\nC1,retained_12m,1\n"
            _ = try await store.importOutcomes(from: ByteChunks(bytes: Array(csv.utf8)), options: PeopleImportOptions(mode: .allOrNothing), by: org.admin)
            let retention = try await store.programmeDashboard(id: programme.id, of: org.manager).measures[.retention]
            #expect(retention?.value == 50 && retention?.count == 1 && retention?.total == 2)

            await #expect(throws: StoreError.self) { _ = try await store.programmeDashboard(id: programme.id, of: fixture.pia) }
            let overview = try await store.programmeDashboards(of: org.admin)
            #expect(overview.map(\.programmeID) == [programme.id])
        }
    }
}
