import Foundation

/// An answer its author chose to show to the programme manager by name.
public struct SharedFeedback: Sendable, Equatable {
    public let personID: UUID
    public let name: String
    public let kind: FeedbackKind
    public let answeredAt: Date
    /// The answer in words ("Usefulness 4 of 5", "Not a fit"), then the comment or story.
    public let answer: String
    public let comment: String
}
