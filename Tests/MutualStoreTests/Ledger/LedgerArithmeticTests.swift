import FluentKit
import Foundation
import MutualMatching
import MutualStore
import MutualTestSupport
import Testing

@Suite("The ledger's counting rules")
struct LedgerArithmeticTests {
    static let ana = UUID(), ben = UUID(), cai = UUID()
    static let sql = UUID(), python = UUID(), design = UUID()

    static func meeting(_ hour: Int, taught: [UUID: Set<UUID>], learned: [UUID: Set<UUID>]) -> LedgerArithmetic.LoggedMeeting {
        LedgerArithmetic.LoggedMeeting(meetingID: UUID(), startsAt: Date(timeIntervalSince1970: Double(hour) * 3600), taught: taught, learned: learned)
    }

    @Test("In a group of three, a skill taught and learned links teacher to learner; one side alone is “the group”")
    func groupFlows() {
        let members = [Self.ana, Self.ben, Self.cai]
        let meetings = [
            // Ana taught SQL, Ben and Cai learned it; Cai taught Python that nobody logged learning.
            Self.meeting(1, taught: [Self.ana: [Self.sql], Self.cai: [Self.python]], learned: [Self.ben: [Self.sql], Self.cai: [Self.sql]]),
            // Ben learned Design, nobody logged teaching it; Ana taught SQL again, Ben learned it.
            Self.meeting(2, taught: [Self.ana: [Self.sql]], learned: [Self.ben: [Self.design, Self.sql]]),
        ]
        let flows = LedgerArithmetic.flows(meetings, memberIDs: members)
        func count(_ skill: UUID, _ teacher: UUID?, _ learner: UUID?) -> LedgerArithmetic.FlowCount? {
            flows[LedgerArithmetic.FlowKey(skillID: skill, teacherID: teacher, learnerID: learner)]
        }
        #expect(flows.count == 4)
        #expect(count(Self.sql, Self.ana, Self.ben)?.meetings == 2 && count(Self.sql, Self.ana, Self.ben)?.confirmed == 2)
        #expect(count(Self.sql, Self.ana, Self.cai)?.meetings == 1 && count(Self.sql, Self.ana, Self.cai)?.confirmed == 1)
        #expect(count(Self.python, Self.cai, nil)?.meetings == 1 && count(Self.python, Self.cai, nil)?.confirmed == 0)
        #expect(count(Self.design, nil, Self.ben)?.meetings == 1)
        #expect(count(Self.sql, Self.ana, Self.ben)?.lastAt == meetings[1].startsAt)
        // Teaching counts only name a learner: Cai's Python to "the group" is not counted.
        let counts = LedgerArithmetic.teachingCounts(meetings, memberIDs: members)
        #expect(counts[Self.ana]?.meetings == 2 && counts[Self.ana]?.skills == 1 && counts[Self.cai]?.meetings == 0 && counts[Self.ben]?.meetings == 0)
    }

    /// The one-sided rule walked forward in time, the way a person would check it: skip meetings
    /// nobody logged; keep a run of meetings whose only teacher was the same person.
    static func bruteForceOneSided(_ choices: [[Int]], members: [UUID]) -> UUID? {
        var run = 0
        var runTeacher: UUID?
        for meeting in choices where meeting.contains(where: { $0 != 0 }) {
            let teachers = members.indices.filter { meeting[$0] == 1 }.map { members[$0] }
            if teachers.count == 1 {
                run = teachers[0] == runTeacher ? run + 1 : 1
                runTeacher = teachers[0]
            } else {
                run = 0
                runTeacher = nil
            }
        }
        return run >= 3 ? runTeacher : nil
    }

    /// 0: no log; 1: a log that teaches; 2: a log that only learns.
    static func randomChoices(_ meetings: Int, _ generator: inout SeededGenerator) -> [[Int]] {
        (0..<meetings).map { _ in [Int.random(in: 0...2, using: &generator), Int.random(in: 0...2, using: &generator)] }
    }

    @Test("One-sided, on 500 random sequences, agrees with a forward walk through the meetings")
    func oneSidedMatchesBruteForce() {
        var generator = SeededGenerator(seed: 14)
        let members = [Self.ana, Self.ben]
        for _ in 0..<500 {
            let choices = Self.randomChoices(Int.random(in: 0...7, using: &generator), &generator)
            let meetings = choices.enumerated().map { hour, choice in
                var taught: [UUID: Set<UUID>] = [:], learned: [UUID: Set<UUID>] = [:]
                for (index, kind) in choice.enumerated() where kind != 0 {
                    taught[members[index]] = kind == 1 ? [Self.sql] : []
                    learned[members[index]] = kind == 2 ? [Self.python] : []
                }
                return Self.meeting(hour, taught: taught, learned: learned)
            }
            #expect(LedgerArithmetic.oneSidedTeacher(meetings.shuffled(using: &generator)) == Self.bruteForceOneSided(choices, members: members), "\(choices)")
        }
    }

    @Test("The SQL scan and the ledger agree with the forward walk on random logs of a real pair", arguments: TestBackend.all)
    func sqlScanMatchesBruteForce(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await LedgerFixture.make(database)
            var meetings: [UUID] = []
            for _ in 0..<6 { meetings.append(try await fixture.pastMeeting()) }
            let members = [fixture.pia, fixture.max]
            let teaches = ["Statistics", "Hiring"], learns = ["Hiring", "Statistics"]
            var generator = SeededGenerator(seed: 2026)
            var oneSidedSeen = 0
            // Three fixed cases (Pia alone; Max alone across an unlogged meeting; taking turns),
            // then random ones.
            let fixed: [[[Int]]] = [
                [[0, 0], [2, 1], [1, 0], [1, 2], [1, 0], [0, 0]],
                [[1, 0], [0, 1], [2, 1], [0, 0], [0, 1], [0, 0]],
                [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]],
            ]
            for trial in 0..<15 {
                try await MeetingLogEntry.query(on: try database.database()).delete()
                try await MeetingLog.query(on: try database.database()).delete()
                let choices = trial < fixed.count ? fixed[trial] : Self.randomChoices(meetings.count, &generator)
                for (meeting, choice) in zip(meetings, choices) {
                    for (index, kind) in choice.enumerated() where kind != 0 {
                        try await fixture.log(meeting, by: members[index], taught: kind == 1 ? [teaches[index]] : [], learned: kind == 2 ? [learns[index]] : [])
                    }
                }
                let expected = Self.bruteForceOneSided(choices, members: members.map(\.personID))
                if expected != nil { oneSidedSeen += 1 }
                let scanned = try await fixture.store.oneSidedRelationships(organisationID: fixture.org.admin.organisationID)
                #expect(scanned == (expected == nil ? [] : [fixture.relationshipID]), "\(choices)")
                let ledger = try await fixture.store.ledger(relationshipID: fixture.relationshipID, of: fixture.pia)
                #expect(ledger.balance?.oneSidedTeacherID == expected, "\(choices)")
            }
            #expect(oneSidedSeen >= 2)
        }
    }
}
