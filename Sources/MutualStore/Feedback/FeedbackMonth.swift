import Foundation

/// One month of the guarded meeting-usefulness trend.
public struct FeedbackMonth: Sendable, Equatable {
    /// `YYYY-MM` (UTC).
    public let month: String
    public let respondents: Int
    /// Mean usefulness (1–5), `nil` when hidden.
    public let value: Double?
}
