import FluentKit
import Foundation
import MutualStore

/// A person with many meetings, for timing their calendar feed.
public enum CalendarWorkloads {
    /// `count` meetings of one person spread over five relationships (pairs and a group of
    /// four), 0.9 days apart from 90 days ago onwards, every tenth cancelled, with agendas and
    /// places of realistic length (some non-ASCII, some video links), as ``MeetingCalendar``
    /// takes them. No database: what rendering alone costs.
    public static func meetings(count: Int, now: Date = Date(timeIntervalSince1970: 1_796_720_400)) -> [CalendarMeeting] {
        let me = CalendarMeeting.Member(personID: UUID(), name: "Ana Conceição Silva", email: "ana@example.org", timeZone: "Europe/Lisbon")
        let others = ["Bruno Costa", "Zoë Ångström", "Chidi Okafor", "Mei Lin", "Priya Natarajan", "Jonas Weber"].map {
            CalendarMeeting.Member(personID: UUID(), name: $0, email: $0.lowercased().replacingOccurrences(of: " ", with: ".") + "@example.org")
        }
        let relationships: [(UUID, [CalendarMeeting.Member])] = [
            (UUID(), [me, others[0]]), (UUID(), [others[1], me]), (UUID(), [me, others[2]]), (UUID(), [others[3], me]),
            (UUID(), [me, others[3], others[4], others[5]]),
        ]
        let agenda = """
            Check-in: how did the last two weeks go?
            Review: the goals we set (stakeholder map; first SQL report), what helped, what got in the way.
            Teach-back: Ana walks through window functions; Bruno shares his interview checklist — ideas welcome.
            Next steps, and who takes notes.
            """
        let start = now.addingTimeInterval(-90 * 86_400)
        return (0..<count).map { index in
            let (relationshipID, members) = relationships[index % relationships.count]
            let startsAt = start.addingTimeInterval(TimeInterval(index) * 86_400 * 0.9).addingTimeInterval(9 * 3_600)
            return CalendarMeeting(
                id: UUID(), relationshipID: relationshipID, startsAt: startsAt, durationMinutes: index % 3 == 0 ? 60 : 45,
                place: index % 2 == 0 ? "https://meet.example.com/abc-defg-\(index)" : "Lisbon office, 3rd floor, room \"Tejo\"",
                agenda: agenda, cancelled: index % 10 == 9, cancelNote: index % 10 == 9 ? "Off sick, sorry; let's move it." : "",
                sequence: index % 4, createdAt: startsAt.addingTimeInterval(-14 * 86_400), updatedAt: startsAt.addingTimeInterval(-7 * 86_400),
                createdBy: me.personID, members: members)
        }
    }
}

/// A person with `count` meetings in a fresh SQLite file: the admin of the bench organisation
/// in five relationships (four pairs and a group of four) with generated colleagues, the
/// meetings spread from 90 days ago onwards as ``CalendarWorkloads/meetings(count:now:)`` makes
/// them (every tenth cancelled). The feed is fetched as the server does it,
/// `Store.calendarFeed(secret:)`: look the secret up, check the membership, query the
/// meetings and their members, render.
public final class CalendarFeedWorkbench: Sendable {
    public let workbench: StoreWorkbench
    public let secret: String
    public let meetings: Int

    public static func make(meetings count: Int = 500) async throws -> CalendarFeedWorkbench {
        let workbench = try await StoreWorkbench.make()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-calendar-people.csv").path
        try PeopleFileGenerator.write(count: 6, to: file)
        let report = try await workbench.importFile(file)
        guard report.created == 6 else { throw WorkloadError("the import did not create 6 people: \(report.summary)") }
        let store = workbench.store
        let admin = workbench.admin
        let programme = try await store.createProgramme(
            ProgrammeDraft(name: "Bench peers", model: .pairs, cycleStart: "2027-02-01", cycleEnd: "2027-07-31"), objectives: [], by: admin)
        let database = try workbench.database.database()
        let colleagues = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$id != admin.personID).sort(\.$name).all().compactMap(\.id)
        guard colleagues.count >= 6 else { throw WorkloadError("expected 6 colleagues, found \(colleagues.count)") }
        let groups = [[colleagues[0]], [colleagues[1]], [colleagues[2]], [colleagues[3]], [colleagues[3], colleagues[4], colleagues[5]]]
        let generated = CalendarWorkloads.meetings(count: count, now: Date())
        try await workbench.database.transaction { transaction in
            var relationshipIDs: [UUID] = []
            for others in groups {
                let relationship = Relationship()
                relationship.organisationID = admin.organisationID
                relationship.programmeID = programme.id
                relationship.status = .active
                relationship.endReason = ""
                relationship.startedAt = Date().addingTimeInterval(-120 * 86_400)
                relationship.vision = ""
                relationship.boundaries = ""
                relationship.confidentiality = ""
                relationship.cadence = "every two weeks"
                relationship.cadenceInterval = "fortnightly"
                relationship.cadenceDays = 14
                relationship.structure = .informal
                relationship.agreementVersion = 1
                try await relationship.create(on: transaction)
                let id = try relationship.requireID()
                relationshipIDs.append(id)
                for (position, personID) in ([admin.personID] + others).enumerated() {
                    let member = RelationshipMember()
                    member.organisationID = admin.organisationID
                    member.relationshipID = id
                    member.personID = personID
                    member.position = position
                    member.goals = ""
                    member.signedVersion = 0
                    try await member.create(on: transaction)
                }
            }
            for (index, made) in generated.enumerated() {
                let meeting = Meeting()
                meeting.organisationID = admin.organisationID
                meeting.relationshipID = relationshipIDs[index % relationshipIDs.count]
                meeting.startsAt = made.startsAt
                meeting.durationMinutes = made.durationMinutes
                meeting.place = made.place
                meeting.agenda = made.agenda
                meeting.status = made.cancelled ? .cancelled : .scheduled
                meeting.cancelNote = made.cancelNote
                meeting.sequence = made.sequence
                meeting.createdBy = admin.personID
                meeting.createdAt = made.createdAt
                meeting.updatedAt = made.updatedAt
                try await meeting.create(on: transaction)
            }
        }
        let url = try await store.calendarFeedURL(of: admin)
        guard let range = url.range(of: Store.calendarFeedPath) else { throw WorkloadError("not a feed URL: \(url)") }
        let secret = String(url[range.upperBound...].dropLast(".ics".count))
        let bench = CalendarFeedWorkbench(workbench: workbench, secret: secret, meetings: count)
        let feed = try await bench.feed()
        let events = feed.components(separatedBy: "BEGIN:VEVENT").count - 1
        // 500 meetings 0.9 days apart from 90 days ago all fall within the feed's year ahead.
        guard events == count else { throw WorkloadError("the feed has \(events) events, expected \(count)") }
        return bench
    }

    init(workbench: StoreWorkbench, secret: String, meetings: Int) {
        self.workbench = workbench
        self.secret = secret
        self.meetings = meetings
    }

    /// The feed as the route serves it.
    public func feed() async throws -> String {
        guard let feed = try await workbench.store.calendarFeed(secret: secret) else { throw WorkloadError("the feed's secret was not found") }
        return feed
    }

    public func close() async { await workbench.close() }
}
