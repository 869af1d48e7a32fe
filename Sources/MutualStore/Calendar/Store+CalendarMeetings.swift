import FluentKit
import Foundation
import SQLKit

extension Store {
    /// The meetings, scheduled and cancelled, starting in [from, to) in every relationship of
    /// the organisation that the person is a member of, earliest first, with their members.
    ///
    /// Two SQL queries however many meetings, reading only the columns a calendar shows: the
    /// meetings (joined to the person's memberships), then the members of the person's
    /// relationships with their names and addresses. A feed is fetched on every calendar
    /// refresh of every subscriber, so it skips the model layer (which decodes every column of
    /// every row into a model) and its three separate lookups.
    func calendarMeetings(
        ofPerson personID: UUID, organisationID: UUID, from: Date, to: Date, on database: any Database
    ) async throws -> [CalendarMeeting] {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let rows = try await sql.select()
            .column(SQLColumn("id", table: "m")).column(SQLColumn("relationship_id", table: "m"))
            .column(SQLColumn("starts_at", table: "m")).column(SQLColumn("duration_minutes", table: "m"))
            .column(SQLColumn("place", table: "m")).column(SQLColumn("agenda", table: "m"))
            .column(SQLColumn("status", table: "m")).column(SQLColumn("cancel_note", table: "m"))
            .column(SQLColumn("sequence", table: "m")).column(SQLColumn("created_by", table: "m"))
            .column(SQLColumn("created_at", table: "m")).column(SQLColumn("updated_at", table: "m"))
            .from(SQLAlias(SQLIdentifier(Meeting.schema), as: SQLIdentifier("m")))
            .join(
                SQLAlias(SQLIdentifier(RelationshipMember.schema), as: SQLIdentifier("rm")),
                on: SQLColumn("relationship_id", table: "rm"), .equal, SQLColumn("relationship_id", table: "m"))
            .where(SQLColumn("person_id", table: "rm"), .equal, SQLBind(personID))
            .where(SQLColumn("organisation_id", table: "rm"), .equal, SQLBind(organisationID))
            .where(SQLColumn("organisation_id", table: "m"), .equal, SQLBind(organisationID))
            .where(SQLColumn("starts_at", table: "m"), .greaterThanOrEqual, SQLBind(from))
            .where(SQLColumn("starts_at", table: "m"), .lessThan, SQLBind(to))
            .orderBy(SQLColumn("starts_at", table: "m")).orderBy(SQLColumn("id", table: "m"))
            .all()
        guard !rows.isEmpty else { return [] }
        let members = try await calendarMembers(ofPerson: personID, organisationID: organisationID, on: sql)
        let cancelled = Meeting.Status.cancelled.rawValue
        return try rows.map { row in
            let relationshipID = try row.decode(column: "relationship_id", as: UUID.self)
            return CalendarMeeting(
                id: try row.decode(column: "id", as: UUID.self), relationshipID: relationshipID,
                startsAt: try row.decode(column: "starts_at", as: Date.self),
                durationMinutes: try row.decode(column: "duration_minutes", as: Int.self),
                place: try row.decode(column: "place", as: String.self), agenda: try row.decode(column: "agenda", as: String.self),
                cancelled: try row.decode(column: "status", as: String.self) == cancelled,
                cancelNote: try row.decode(column: "cancel_note", as: String.self), sequence: try row.decode(column: "sequence", as: Int.self),
                createdAt: try row.decode(column: "created_at", as: Date.self), updatedAt: try row.decode(column: "updated_at", as: Date.self),
                createdBy: try row.decode(column: "created_by", as: UUID?.self), members: members[relationshipID] ?? [])
        }
    }

    /// The members of every relationship the person belongs to in the organisation, in each
    /// relationship's order, with names and addresses: one query.
    private func calendarMembers(
        ofPerson personID: UUID, organisationID: UUID, on sql: any SQLDatabase
    ) async throws -> [UUID: [CalendarMeeting.Member]] {
        let mine = sql.select().column("relationship_id").from(RelationshipMember.schema)
            .where("person_id", .equal, SQLBind(personID)).where("organisation_id", .equal, SQLBind(organisationID))
        let rows = try await sql.select()
            .column(SQLColumn("relationship_id", table: "rm")).column(SQLColumn("person_id", table: "rm"))
            .column(SQLColumn("name", table: "p")).column(SQLColumn("email", table: "p")).column(SQLColumn("timezone", table: "p"))
            .from(SQLAlias(SQLIdentifier(RelationshipMember.schema), as: SQLIdentifier("rm")))
            .join(SQLAlias(SQLIdentifier(Person.schema), as: SQLIdentifier("p")), on: SQLColumn("id", table: "p"), .equal, SQLColumn("person_id", table: "rm"))
            .where(SQLColumn("relationship_id", table: "rm"), .in, SQLGroupExpression(mine.query))
            .orderBy(SQLColumn("relationship_id", table: "rm")).orderBy(SQLColumn("position", table: "rm"))
            .all()
        var members: [UUID: [CalendarMeeting.Member]] = [:]
        for row in rows {
            members[try row.decode(column: "relationship_id", as: UUID.self), default: []].append(
                CalendarMeeting.Member(
                    personID: try row.decode(column: "person_id", as: UUID.self), name: try row.decode(column: "name", as: String.self),
                    email: try row.decode(column: "email", as: String?.self), timeZone: try row.decode(column: "timezone", as: String.self)))
        }
        return members
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
