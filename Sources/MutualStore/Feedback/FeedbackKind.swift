import Foundation

/// The five kinds of feedback Mutual asks for. Stable names: stored, and in the API.
public enum FeedbackKind: String, Codable, Sendable, CaseIterable {
    /// After each meeting: how useful it was (1–5) and an optional comment.
    case checkIn = "check_in"
    /// After the first meeting: good fit, not sure yet, or not a fit (which asks for a re-match).
    case fitCheck = "fit_check"
    /// The relationship's health (1–5), at the programme's first-pulse day and then every so often.
    case pulse
    /// At the end of the cycle: each goal re-rated, wanted skills re-rated, a 0–10 recommendation, a story.
    case review
    /// When a relationship ended early (dissolved): why, from a fixed list and in one's own words.
    case closeSurvey = "close_survey"

    /// The form's heading and the "Feedback to give" line.
    public var title: String {
        switch self {
        case .checkIn: "How useful was the meeting?"
        case .fitCheck: "How is the fit after your first meeting?"
        case .pulse: "How is your relationship going?"
        case .review: "Your end-of-cycle review"
        case .closeSurvey: "Why did the relationship end early?"
        }
    }
}
