import Foundation

/// A feedback request as its respondent sees it: what is asked, about which relationship and
/// meeting, and for a review the goals and wanted skills to re-rate.
public struct FeedbackRequestView: Sendable, Equatable {
    public struct GoalItem: Sendable, Equatable {
        public let id: UUID
        public let title: String
    }
    public struct SkillItem: Sendable, Equatable {
        public let name: String
        public let level: Int
    }

    public let id: UUID
    public let kind: FeedbackKind
    public let programmeID: UUID
    public let programmeName: String
    public let relationshipID: UUID
    /// The other members' names.
    public let others: [String]
    public let meetingID: UUID?
    public let meetingStartsAt: Date?
    public let createdAt: Date
    public let answeredAt: Date?
    /// Still answerable (not answered and not older than ``Store/feedbackOpenDays``).
    public let isOpen: Bool
    public let goals: [GoalItem]
    public let wants: [SkillItem]
}
