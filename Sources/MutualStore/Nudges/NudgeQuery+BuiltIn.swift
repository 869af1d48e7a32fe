import Foundation
import SQLKit

/// The nudges Mutual has today, each one SQL statement per distinct threshold (aggregates and
/// `NOT EXISTS` on indexed columns, no models per relationship).
extension NudgeQuery {
    /// Members of an active relationship with no meeting `firstMeetingDays` after it opened.
    public static let noFirstMeeting = NudgeQuery(kind: .noFirstMeeting) { context, sql in
        var findings: [NudgeFinding] = []
        for group in context.thresholds({ $0.firstMeeting }, days: { $0.firstMeetingDays }) {
            let rows = try await sql.raw(
                "SELECT m.person_id, r.organisation_id, r.programme_id, r.id AS relationship_id, r.started_at AS since "
                    + NudgeQuery.membersInTheMorning(context, programmes: group.programmes)
                    + "AND r.started_at <= \(bind: group.before) AND NOT EXISTS ("
                    + RelationshipActivitySource.meetings.activityAfter("r.id", .distantPast) + ")"
            ).all()
            findings += try rows.map { try NudgeQuery.finding($0, .noFirstMeeting) }
        }
        return findings
    }

    /// Members of an active relationship that has met, but has had no activity from any source
    /// (``Store/relationshipActivitySources``) for `quietDays`, and has nothing planned.
    public static let quiet = NudgeQuery(kind: .quiet) { context, sql in
        var findings: [NudgeFinding] = []
        for group in context.thresholds({ $0.quiet }, days: { $0.quietDays }) {
            let silent = Store.relationshipActivitySources.map { " AND NOT EXISTS (" + $0.activityAfter("r.id", group.before) + ")" as SQLQueryString }
            let rows = try await sql.raw(
                "SELECT m.person_id, r.organisation_id, r.programme_id, r.id AS relationship_id, ("
                    + RelationshipActivitySource.meetings.latestBefore("r.id", context.now) + ") AS since "
                    + NudgeQuery.membersInTheMorning(context, programmes: group.programmes)
                    + "AND r.started_at <= \(bind: group.before) AND EXISTS ("
                    + RelationshipActivitySource.meetings.activityAfter("r.id", .distantPast) + ")" + silent.joined()
            ).all()
            findings += try rows.map { try NudgeQuery.finding($0, .quiet) }
        }
        return findings
    }

    /// The person asked, when a self-match request has waited ``Store/requestNudgeDays``.
    public static let requestWaiting = NudgeQuery(kind: .requestWaiting) { context, sql in
        let programmes = context.rules.filter(\.value.requests).map(\.key)
        guard !programmes.isEmpty, !context.morningZones.isEmpty else { return [] }
        let before = context.now.addingTimeInterval(-Double(Store.requestNudgeDays) * 86_400)
        var findings: [NudgeFinding] = []
        for slice in programmes.queryBatches(200) {
            let rows = try await sql.raw(
                "SELECT q.to_person_id AS person_id, q.organisation_id, q.programme_id, q.created_at AS since "
                    + "FROM \(ident: MatchRequest.schema) q JOIN \(ident: Person.schema) p ON p.id = q.to_person_id "
                    + "WHERE q.status = \(bind: MatchRequest.Status.pending.rawValue) AND q.created_at <= \(bind: before) "
                    + "AND q.programme_id IN \(NudgeQueryContext.list(Array(slice))) "
                    + "AND p.timezone IN \(NudgeQueryContext.list(context.morningZones))"
            ).all()
            findings += try rows.map { row in
                NudgeFinding(
                    personID: try row.decode(column: "person_id", as: UUID.self),
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    programmeID: try row.decode(column: "programme_id", as: UUID.self), relationshipID: nil, kind: .requestWaiting,
                    since: try row.decode(column: "since", as: Date.self))
            }
        }
        return findings
    }

    /// Members who have not signed the current agreement `agreementDays` after the
    /// relationship opened.
    public static let agreementUnsigned = NudgeQuery(kind: .agreementUnsigned) { context, sql in
        var findings: [NudgeFinding] = []
        for group in context.thresholds({ $0.agreement }, days: { $0.agreementDays }) {
            let rows = try await sql.raw(
                "SELECT m.person_id, r.organisation_id, r.programme_id, r.id AS relationship_id, r.started_at AS since "
                    + NudgeQuery.membersInTheMorning(context, programmes: group.programmes)
                    + "AND r.started_at <= \(bind: group.before) AND m.signed_version <> r.agreement_version"
            ).all()
            findings += try rows.map { try NudgeQuery.finding($0, .agreementUnsigned) }
        }
        return findings
    }

    /// `FROM … WHERE …` for the members (in a morning zone) of active relationships in these programmes.
    static func membersInTheMorning(_ context: NudgeQueryContext, programmes: [UUID]) -> SQLQueryString {
        "FROM \(ident: Relationship.schema) r JOIN \(ident: RelationshipMember.schema) m ON m.relationship_id = r.id "
            + "JOIN \(ident: Person.schema) p ON p.id = m.person_id "
            + "WHERE r.status = \(bind: Relationship.Status.active.rawValue) AND r.programme_id IN \(NudgeQueryContext.list(programmes)) "
            + "AND p.timezone IN \(NudgeQueryContext.list(context.morningZones)) "
    }

    static func finding(_ row: any SQLRow, _ kind: NudgeKind) throws -> NudgeFinding {
        NudgeFinding(
            personID: try row.decode(column: "person_id", as: UUID.self), organisationID: try row.decode(column: "organisation_id", as: UUID.self),
            programmeID: try row.decode(column: "programme_id", as: UUID.self),
            relationshipID: try row.decode(column: "relationship_id", as: UUID.self), kind: kind,
            since: try row.decode(column: "since", as: Date?.self) ?? NudgeQuery.unknownTime)
    }

    /// Never used as a real time: only when a `MAX` found nothing, which the queries' `EXISTS` rules out.
    static let unknownTime = Date(timeIntervalSince1970: 0)
}
