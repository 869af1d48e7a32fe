import Foundation
import SQLKit

/// The learning ledger in the nudges and the needs-attention list: a log is a sign of life,
/// and a pair where only one member has taught lately is flagged one-sided.
extension RelationshipActivitySource {
    /// Members' logs of their meetings, from when they were written.
    public static let meetingLogs = RelationshipActivitySource.table(MeetingLog.schema, time: "logged_at")
}

extension AttentionSignal {
    /// Peer pairs where one member alone logged teaching in each of the last three logged
    /// meetings (`Store.oneSidedRelationships`).
    public static let oneSided = AttentionSignal(name: "one_sided") { relationshipIDs, _, sql in
        // The candidates are one organisation's relationships: the query runs for that organisation.
        guard let first = relationshipIDs.first,
            let organisationID = try await sql.raw("SELECT organisation_id FROM \(ident: Relationship.schema) WHERE id = \(bind: first)").first()?
                .decode(column: "organisation_id", as: UUID.self)
        else { return [:] }
        let candidates = Set(relationshipIDs)
        var flags: [UUID: [AttentionItem.Flag]] = [:]
        for id in try await Store.oneSidedRelationships(organisationID: organisationID, programmeID: nil, sql: sql) where candidates.contains(id) {
            flags[id] = [
                AttentionItem.Flag(
                    reason: .oneSided,
                    text: "One-sided: only one member has logged teaching in each of the last \(Store.oneSidedMeetings) meetings.")
            ]
        }
        return flags
    }
}
