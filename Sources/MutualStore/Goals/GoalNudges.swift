import Foundation
import SQLKit

/// Goals in the nudges and the needs-attention list: a milestone falling due is a morning
/// nudge for the people it concerns, and an overdue one puts the relationship on the list.
extension NudgeQuery {
    /// Members whose milestone (their own goal's, or one of the whole relationship) is due today
    /// or tomorrow (UTC days, as due dates are kept) and not done, where the programme's
    /// `milestones` rule is on.
    public static let milestoneDue = NudgeQuery(kind: .milestoneDue) { context, sql in
        let programmes = context.rules.filter(\.value.milestones).map(\.key)
        guard !programmes.isEmpty, !context.morningZones.isEmpty else { return [] }
        let today = Date(timeIntervalSince1970: (context.now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        var findings: [NudgeFinding] = []
        for slice in programmes.queryBatches(200) {
            let due = try await sql.raw(
                "SELECT m.person_id, r.organisation_id, r.programme_id, r.id AS relationship_id, ms.due_at AS since, ms.title AS detail "
                    + "FROM \(ident: Relationship.schema) r JOIN \(ident: RelationshipMember.schema) m ON m.relationship_id = r.id "
                    + "JOIN \(ident: Person.schema) p ON p.id = m.person_id "
                    + "JOIN \(ident: Milestone.schema) ms ON ms.relationship_id = r.id "
                    + "LEFT JOIN \(ident: Goal.schema) g ON g.id = ms.goal_id "
                    + "WHERE r.status = \(bind: Relationship.Status.active.rawValue) AND r.programme_id IN \(NudgeQueryContext.list(Array(slice))) "
                    + "AND p.timezone IN \(NudgeQueryContext.list(context.morningZones)) "
                    + "AND ms.done_at IS NULL AND ms.due_at >= \(bind: today) AND ms.due_at < \(bind: today.addingTimeInterval(2 * 86_400)) "
                    + "AND (ms.goal_id IS NULL OR g.person_id = m.person_id)"
            ).all()
            for row in due {
                var finding = try NudgeQuery.finding(row, .milestoneDue)
                finding.detail = try row.decode(column: "detail", as: String.self)
                findings.append(finding)
            }
        }
        return findings
    }
}

extension AttentionSignal {
    /// Relationships with a milestone past its due day and not done.
    public static let milestoneOverdue = AttentionSignal(name: "milestone_overdue") { relationshipIDs, now, sql in
        let today = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        var flags: [UUID: [AttentionItem.Flag]] = [:]
        for slice in relationshipIDs.queryBatches() {
            let rows = try await sql.raw(
                "SELECT relationship_id, COUNT(*) AS overdue FROM \(ident: Milestone.schema) "
                    + "WHERE done_at IS NULL AND due_at < \(bind: today) AND relationship_id IN \(NudgeQueryContext.list(Array(slice))) "
                    + "GROUP BY relationship_id"
            ).all()
            for row in rows {
                let count = try row.decode(column: "overdue", as: Int.self)
                flags[try row.decode(column: "relationship_id", as: UUID.self)] = [
                    AttentionItem.Flag(reason: .milestoneOverdue, text: count == 1 ? "One milestone is overdue." : "\(count) milestones are overdue.")
                ]
            }
        }
        return flags
    }
}
