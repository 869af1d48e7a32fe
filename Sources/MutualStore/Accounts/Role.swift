/// What a signed-in member may do. Ordered: each role can do everything the roles below it can.
public enum Role: String, Codable, Sendable, CaseIterable, Comparable {
    case participant
    case programmeManager = "programme_manager"
    case admin

    private var rank: Int {
        switch self {
        case .participant: 0
        case .programmeManager: 1
        case .admin: 2
        }
    }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }

    /// Words for people, not for code.
    public var label: String {
        switch self {
        case .participant: "Participant"
        case .programmeManager: "Programme manager"
        case .admin: "Organisation admin"
        }
    }

    /// The role inside a sentence, with its article: "a participant", "a programme manager",
    /// "an organisation admin" (so no sentence reads "as a organisation admin").
    public var withArticle: String {
        switch self {
        case .participant: "a participant"
        case .programmeManager: "a programme manager"
        case .admin: "an organisation admin"
        }
    }

    /// Reads a role as written in forms and JSON (`programme_manager`) or loosely (`Programme manager`).
    public init?(parsing text: String) {
        let normalised = text.lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        if let role = Role(rawValue: normalised) { self = role } else { return nil }
    }
}
