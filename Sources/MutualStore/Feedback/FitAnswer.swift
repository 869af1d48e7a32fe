import Foundation

/// The fit check's three answers.
public enum FitAnswer: String, Codable, Sendable, CaseIterable {
    case goodFit = "good_fit"
    case notSure = "not_sure"
    case notAFit = "not_a_fit"

    public var label: String {
        switch self {
        case .goodFit: "A good fit"
        case .notSure: "Not sure yet"
        case .notAFit: "Not a fit"
        }
    }
}
