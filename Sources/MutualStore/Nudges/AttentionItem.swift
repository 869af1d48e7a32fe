import Foundation
import SQLKit

/// A relationship a programme manager should look at, and why.
public struct AttentionItem: Sendable, Equatable {
    /// What is wrong. Stable names (the API returns them).
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// No meeting since it opened, past the programme's first-meeting days.
        case noFirstMeeting = "no_first_meeting"
        /// It met, but nothing happened for the programme's quiet days and nothing is planned.
        case quiet
        /// Nothing for ``Store/silenceDays`` days (closed after ``Store/silenceGraceDays`` more where the programme says so).
        case silent
        /// Someone has not signed the agreement after the programme's agreement days.
        case agreementUnsigned = "agreement_unsigned"
        /// One member does all the teaching (the learning ledger's reciprocity).
        case oneSided = "one_sided"
        /// A milestone is past its due date (goals and milestones).
        case milestoneOverdue = "milestone_overdue"
        /// A member answered the first-meeting fit check "not a fit": offer a re-match (feedback).
        case notAFit = "not_a_fit"

        /// The list's three groups: stalled, one-sided, overdue.
        public var group: String {
            switch self {
            case .noFirstMeeting, .quiet, .silent: "stalled"
            case .oneSided: "one_sided"
            case .agreementUnsigned, .milestoneOverdue: "overdue"
            case .notAFit: "fit"
            }
        }
    }

    /// One reason with its words ("No first meeting 20 days after matching").
    public struct Flag: Sendable, Equatable {
        public let reason: Reason
        public let text: String

        public init(reason: Reason, text: String) {
            self.reason = reason
            self.text = text
        }
    }

    public let relationshipID: UUID
    public let programmeID: UUID
    public let programmeName: String
    public let memberNames: [String]
    public let startedAt: Date
    /// The latest meeting (or other activity) up to now; `nil` when none.
    public let lastActivityAt: Date?
    public let flags: [Flag]
    /// Set when a manager snoozed it until a later date (only listed when asked for).
    public let snoozedUntil: Date?
}

/// A capability's own reasons for the needs-attention list (the ledger's one-sided pairs,
/// goals' overdue milestones): given the open relationships in view, the flags it raises.
public struct AttentionSignal: Sendable {
    public let name: String
    public let flags: @Sendable (_ relationshipIDs: [UUID], _ now: Date, _ database: any SQLDatabase) async throws -> [UUID: [AttentionItem.Flag]]

    public init(name: String, flags: @escaping @Sendable ([UUID], Date, any SQLDatabase) async throws -> [UUID: [AttentionItem.Flag]]) {
        self.name = name
        self.flags = flags
    }
}
