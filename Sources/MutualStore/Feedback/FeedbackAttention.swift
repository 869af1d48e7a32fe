import Foundation
import SQLKit

extension AttentionSignal {
    /// Open relationships where a member answered the first-meeting fit check "not a fit": the
    /// manager should offer a re-match. The flag says that it happened, not who said it (the
    /// form tells the member exactly this).
    public static let notAFit = AttentionSignal(name: "not_a_fit") { relationshipIDs, _, sql in
        var flags: [UUID: [AttentionItem.Flag]] = [:]
        for slice in relationshipIDs.queryBatches() {
            let rows = try await sql.raw(
                "SELECT DISTINCT q.relationship_id FROM \(ident: FeedbackResponse.schema) a JOIN \(ident: FeedbackRequest.schema) q ON q.id = a.request_id "
                    + "WHERE a.kind = \(bind: FeedbackKind.fitCheck.rawValue) AND a.fit = \(bind: FitAnswer.notAFit.rawValue) "
                    + "AND q.relationship_id IN \(NudgeQueryContext.list(Array(slice)))"
            ).all()
            for row in rows {
                flags[try row.decode(column: "relationship_id", as: UUID.self)] = [
                    AttentionItem.Flag(
                        reason: .notAFit,
                        text: "Not a fit: a member said so after the first meeting. Offer a re-match (unwind it, and they return to the pool).")
                ]
            }
        }
        return flags
    }
}
