import FluentKit
import Foundation

extension Store {
    /// The meetings, scheduled and cancelled, starting in [from, to) in every relationship of
    /// the organisation that the person is a member of, earliest first, with their members.
    /// Three queries however many meetings: the person's relationships, their meetings, and
    /// the members with their names and addresses.
    func calendarMeetings(
        ofPerson personID: UUID, organisationID: UUID, from: Date, to: Date, on database: any Database
    ) async throws -> [CalendarMeeting] {
        let relationshipIDs = try await RelationshipMember.query(on: database)
            .filter(\.$organisationID == organisationID).filter(\.$personID == personID)
            .all().map(\.relationshipID)
        guard !relationshipIDs.isEmpty else { return [] }
        let meetings = try await Meeting.query(on: database)
            .filter(\.$organisationID == organisationID).filter(\.$relationshipID ~~ relationshipIDs)
            .filter(\.$startsAt >= from).filter(\.$startsAt < to)
            .sort(\.$startsAt).sort(\.$id)
            .all()
        guard !meetings.isEmpty else { return [] }
        let members = try await calendarMembers(ofRelationships: Set(meetings.map(\.relationshipID)), on: database)
        return meetings.compactMap { meeting in
            guard let id = meeting.id else { return nil }
            return CalendarMeeting(meeting, id: id, members: members[meeting.relationshipID] ?? [])
        }
    }

    /// One meeting as a calendar shows it, or nil when it does not exist.
    func calendarMeeting(id: UUID, on database: any Database) async throws -> CalendarMeeting? {
        guard let meeting = try await Meeting.find(id, on: database) else { return nil }
        let members = try await calendarMembers(ofRelationships: [meeting.relationshipID], on: database)
        return CalendarMeeting(meeting, id: id, members: members[meeting.relationshipID] ?? [])
    }

    /// The meetings scheduled in one step with this one (itself alone when it is not part of a
    /// series), earliest first.
    func calendarMeetings(inSeriesOf id: UUID, on database: any Database) async throws -> [CalendarMeeting] {
        guard let meeting = try await Meeting.find(id, on: database) else { return [] }
        guard let seriesID = meeting.seriesID else { return try await calendarMeeting(id: id, on: database).map { [$0] } ?? [] }
        let meetings = try await Meeting.query(on: database).filter(\.$seriesID == seriesID).sort(\.$startsAt).all()
        let members = try await calendarMembers(ofRelationships: [meeting.relationshipID], on: database)
        return meetings.compactMap { row in row.id.map { CalendarMeeting(row, id: $0, members: members[row.relationshipID] ?? []) } }
    }

    /// Each relationship's members in the relationship's order, with names and addresses.
    private func calendarMembers(
        ofRelationships relationshipIDs: Set<UUID>, on database: any Database
    ) async throws -> [UUID: [CalendarMeeting.Member]] {
        let rows = try await RelationshipMember.query(on: database).filter(\.$relationshipID ~~ Array(relationshipIDs))
            .sort(\.$position).all()
        let people = try await Person.query(on: database).filter(\.$id ~~ Array(Set(rows.map(\.personID)))).all()
        let byID = Dictionary(uniqueKeysWithValues: people.compactMap { person in person.id.map { ($0, person) } })
        var members: [UUID: [CalendarMeeting.Member]] = [:]
        for row in rows {
            guard let person = byID[row.personID] else { continue }
            members[row.relationshipID, default: []].append(
                CalendarMeeting.Member(personID: row.personID, name: person.name, email: person.email, timeZone: person.timeZone))
        }
        return members
    }
}

extension CalendarMeeting {
    init(_ meeting: Meeting, id: UUID, members: [Member]) {
        self.init(
            id: id, relationshipID: meeting.relationshipID, startsAt: meeting.startsAt, durationMinutes: meeting.durationMinutes,
            place: meeting.place, agenda: meeting.agenda, cancelled: meeting.status == .cancelled, cancelNote: meeting.cancelNote,
            sequence: meeting.sequence, createdAt: meeting.createdAt, updatedAt: meeting.updatedAt, createdBy: meeting.createdBy,
            members: members)
    }
}
