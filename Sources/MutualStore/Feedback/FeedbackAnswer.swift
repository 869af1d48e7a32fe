import Foundation

/// What a person answers to one feedback request. Which parts count depends on the kind:
/// a check-in and a pulse have a `score` (1–5) and an optional comment; a fit check a `fit`;
/// a review goal ratings, skill levels, a recommendation `score` (0–10) and a story; a close
/// survey `reasons` (and a comment, needed with "other").
public struct FeedbackAnswer: Sendable, Equatable {
    public var score: Int?
    public var fit: FitAnswer?
    public var reasons: [CloseReason]
    public var comment: String
    public var story: String
    /// Show this answer to the programme manager with my name.
    public var shared: Bool
    /// A review's goals (ids of the person's own goals in the relationship), each rated 1–5.
    public var goalRatings: [UUID: Int]
    /// A review's wanted skills and the level now reached (0–4); a higher level than the
    /// profile's is written as a raised level (the ledger's history: one source of growth).
    public var skillLevels: [String: Int]

    public init(
        score: Int? = nil, fit: FitAnswer? = nil, reasons: [CloseReason] = [], comment: String = "", story: String = "", shared: Bool = false,
        goalRatings: [UUID: Int] = [:], skillLevels: [String: Int] = [:]
    ) {
        self.score = score
        self.fit = fit
        self.reasons = reasons
        self.comment = comment
        self.story = story
        self.shared = shared
        self.goalRatings = goalRatings
        self.skillLevels = skillLevels
    }

    /// The longest comment (a check-in's "anything to add" is a sentence or two).
    public static let commentLimit = 1000
    /// The longest story.
    public static let storyLimit = 2000
}
