import Foundation

/// A programme's feedback settings (columns on `programmes`, migration 024): the anonymity
/// thresholds and the pulse schedule.
public struct FeedbackSettings: Sendable, Equatable, Codable {
    /// Scores (usefulness, health, recommendation, fit shares, goal re-ratings) are shown only
    /// as aggregates over at least this many distinct respondents.
    public var kScores: Int
    /// Comments and stories are shown (unattributed) only when this many distinct people wrote one.
    public var kComments: Int
    /// The first pulse, this many days after a relationship opened…
    public var pulseFirstDays: Int
    /// …and then every this many days.
    public var pulseEveryDays: Int

    public init(kScores: Int, kComments: Int, pulseFirstDays: Int, pulseEveryDays: Int) {
        self.kScores = kScores
        self.kComments = kComments
        self.pulseFirstDays = pulseFirstDays
        self.pulseEveryDays = pulseEveryDays
    }

    public static let defaults = FeedbackSettings(kScores: 5, kComments: 10, pulseFirstDays: 30, pulseEveryDays: 60)

    /// The range a threshold may be set in: below 3 a group is two people who know each other's
    /// answers; above 10 most programmes would never see a figure.
    public static let kRange = 3...10
    /// The pulse's days: at least a week, at most a year.
    public static let pulseDaysRange = 7...365
}
