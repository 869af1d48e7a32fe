import Foundation

/// What a programme manager (and the dashboard) may see of a programme's feedback: per
/// measure, how many people answered and the aggregate — `nil` below the programme's k, or
/// when showing it would let someone be worked out by difference from another figure — and how
/// many more answers are needed; the meeting usefulness by month; comments only from k_comments
/// people; and the answers their authors chose to share by name.
public struct FeedbackSummary: Sendable, Equatable {
    /// The programme, or `nil` for the whole organisation.
    public let programmeID: UUID?
    /// The threshold applied to scores (across the organisation: the highest of its programmes').
    public let kScores: Int
    public let kComments: Int
    public let measures: [FeedbackMeasure]
    /// Mean meeting usefulness (1–5) per calendar month (UTC), oldest first; a month's value is
    /// `nil` below k, or when it would expose the months left out by difference with the total.
    public let usefulnessByMonth: [FeedbackMonth]
    /// Comments and stories not shared by name, unattributed and in alphabetical order (never
    /// in the order they arrived); empty until ``commentRespondents`` reaches k_comments.
    public let comments: [String]
    /// The distinct people who wrote a comment or story (not shared by name).
    public let commentRespondents: Int
    /// How many more people must write one before comments are shown.
    public var commentsNeeded: Int { comments.isEmpty ? max(0, kComments - commentRespondents) : 0 }
    /// Answers shown by name because their authors ticked the box.
    public let shared: [SharedFeedback]
    /// Answers received but not yet in any figure: they wait until k people's answers make a
    /// whole batch (``FeedbackGuard/publishedCount(_:k:)``).
    public let waitingAnswers: Int

    public init(
        programmeID: UUID?, kScores: Int, kComments: Int, measures: [FeedbackMeasure], usefulnessByMonth: [FeedbackMonth], comments: [String],
        commentRespondents: Int, shared: [SharedFeedback], waitingAnswers: Int
    ) {
        self.programmeID = programmeID
        self.kScores = kScores
        self.kComments = kComments
        self.measures = measures
        self.usefulnessByMonth = usefulnessByMonth
        self.comments = comments
        self.commentRespondents = commentRespondents
        self.shared = shared
        self.waitingAnswers = waitingAnswers
    }

    /// One measure by name.
    public func measure(_ name: FeedbackMeasure.Name) -> FeedbackMeasure? { measures.first { $0.name == name } }
}
