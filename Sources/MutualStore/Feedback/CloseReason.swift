import Foundation

/// Why a relationship ended early: a fixed list (so reasons can be counted) and "other" in words.
public enum CloseReason: String, Codable, Sendable, CaseIterable {
    case noTime = "no_time"
    case scheduling
    case goalsMet = "goals_met"
    case notAFit = "not_a_fit"
    case partnerLeft = "partner_left"
    case roleChange = "role_change"
    case other

    public var label: String {
        switch self {
        case .noTime: "Not enough time"
        case .scheduling: "We could not find times to meet"
        case .goalsMet: "We met our goals early"
        case .notAFit: "We were not a good fit"
        case .partnerLeft: "My partner stopped taking part"
        case .roleChange: "A change of role or team"
        case .other: "Something else (say below)"
        }
    }
}
