import Foundation

/// One guarded figure of a feedback summary.
public struct FeedbackMeasure: Sendable, Equatable {
    /// Stable names (the API returns them).
    public enum Name: String, Sendable, Codable, CaseIterable {
        /// Check-ins: how useful meetings were, mean of 1–5.
        case meetingUsefulness = "meeting_usefulness"
        /// Pulses: how well relationships are going, mean of 1–5.
        case pulse
        /// Fit checks: the shares of good fit, not sure yet, not a fit.
        case fitCheck = "fit_check"
        /// Reviews: would recommend the programme, mean of 0–10, with the NPS.
        case recommend
        /// Reviews: goals re-rated, mean of 1–5 (how far each goal got).
        case goalRerating = "goal_rerating"
        /// Close surveys: the shares of each reason.
        case closeReasons = "close_reasons"

        public var label: String {
            switch self {
            case .meetingUsefulness: "Meeting usefulness (1–5)"
            case .pulse: "Relationship health (1–5)"
            case .fitCheck: "Fit after the first meeting"
            case .recommend: "Would recommend the programme (0–10)"
            case .goalRerating: "Goals reached, re-rated at the end (1–5)"
            case .closeReasons: "Why relationships ended early"
            }
        }
    }

    /// One category's part of a shares measure.
    public struct Share: Sendable, Equatable {
        public let key: String
        public let label: String
        public let count: Int
        /// Of all answers to the measure (for reasons, of the surveys: several may be ticked).
        public let fraction: Double
    }

    public let name: Name
    /// Distinct people who answered (not answers).
    public let respondents: Int
    /// Answers (a person answers a check-in after every meeting).
    public let answers: Int
    /// The threshold applied.
    public let k: Int
    /// The mean; `nil` when hidden (below k, or to protect another group). Absent for shares.
    public let value: Double?
    /// Net promoter score (−100…100), for ``Name/recommend`` when shown.
    public let nps: Int?
    /// For ``Name/fitCheck`` and ``Name/closeReasons`` when shown; empty when hidden.
    public let shares: [Share]
    /// How many more people must answer (privately) before the figure is shown; 0 once shown,
    /// or when it is held back only to protect another group (see ``heldBack``).
    public let needed: Int
    /// Why a figure with enough respondents is still hidden (it would expose a smaller group by
    /// difference); `nil` otherwise.
    public let heldBack: String?

    /// Whether the figure is shown.
    public var isShown: Bool { value != nil || !shares.isEmpty }
}
