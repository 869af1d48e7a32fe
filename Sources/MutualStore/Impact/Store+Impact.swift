import FluentKit
import Foundation
import MutualImpact
import SQLKit

extension Store {
    /// The impact report of a programme, for programme managers and admins.
    ///
    /// Participants are the people in the programme's relationships (everyone matched, so the
    /// top-level figures are intention-to-treat); completers are those in a completed one.
    /// Controls are the organisation's people never in the programme: people who enrolled but
    /// were never matched are left out of both groups, as they chose to join. Matching and the
    /// statistics are `MutualImpact`'s (see docs/architecture.md, "Impact").
    public func programmeImpact(
        programmeID: UUID, of identity: Identity, options: ImpactOptions = ImpactOptions()
    ) async throws -> ProgrammeImpact {
        let programme = try await managedProgramme(id: programmeID, of: identity)
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        let organisationID = identity.organisationID

        var completedByPerson: [UUID: Bool] = [:]
        for row in try await sql.select().column(SQLColumn("person_id", table: RelationshipMember.schema))
            .column(SQLColumn("status", table: Relationship.schema))
            .from(RelationshipMember.schema)
            .join(Relationship.schema, on: SQLColumn("relationship_id", table: RelationshipMember.schema), .equal, SQLColumn("id", table: Relationship.schema))
            .where(SQLColumn("programme_id", table: Relationship.schema), .equal, SQLBind(programmeID))
            .all()
        {
            let person = try row.decode(column: "person_id", as: UUID.self)
            let completed = try row.decode(column: "status", as: String.self) == Relationship.Status.completed.rawValue
            completedByPerson[person] = (completedByPerson[person] ?? false) || completed
        }
        let enrolled = Set(try await sql.select().column("person_id").from(Enrolment.schema)
            .where("programme_id", .equal, programmeID).all()
            .map { try $0.decode(column: "person_id", as: UUID.self) })

        var subjects: [ImpactSubject] = []
        var offsets: [String: Int?] = [:]
        var enrolledUnmatched = 0
        for row in try await sql.select().columns("id", "department", "company", "level", "timezone").from(Person.schema)
            .where("organisation_id", .equal, organisationID).all()
        {
            let id = try row.decode(column: "id", as: UUID.self)
            let group: ImpactSubject.Group
            if let completed = completedByPerson[id] {
                group = .participant(completed: completed)
            } else if enrolled.contains(id) {
                enrolledUnmatched += 1
                continue
            } else {
                group = .control
            }
            let zone = try row.decode(column: "timezone", as: String.self)
            if offsets[zone] == nil { offsets[zone] = .some(SystemTimeZones.standardOffsetMinutes(zone)) }
            let level = try row.decode(column: "level", as: Int.self)
            subjects.append(ImpactSubject(
                id: id.uuidString, department: try row.decode(column: "department", as: String.self), level: level > 0 ? level : nil,
                company: try row.decode(column: "company", as: String.self), utcOffsetMinutes: offsets[zone] ?? nil, group: group))
        }

        var values: [String: [String: Double]] = [:]
        for row in try await sql.select().columns("person_id", "outcome", "value").from(HROutcome.schema)
            .where("organisation_id", .equal, organisationID).all()
        {
            let person = try row.decode(column: "person_id", as: UUID.self).uuidString
            values[try row.decode(column: "outcome", as: String.self), default: [:]][person] = try row.decode(column: "value", as: Double.self)
        }
        let study = ImpactStudy(subjects: subjects)
        let report = study.report(outcomes: values.keys.sorted().map { ($0, values[$0] ?? [:]) }, options: options)
        return ProgrammeImpact(
            programmeID: programmeID, programmeName: programme.name,
            participants: subjects.filter(\.group.isParticipant).count,
            completers: subjects.filter(\.group.isCompleter).count,
            controls: subjects.filter { $0.group == .control }.count,
            enrolledUnmatched: enrolledUnmatched, report: report)
    }
}
