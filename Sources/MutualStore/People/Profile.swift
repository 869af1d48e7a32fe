import Foundation

/// A person's full profile as pages and the API show it.
public struct Profile: Sendable, Equatable, Codable {
    public struct SkillLevel: Sendable, Equatable, Codable {
        public let skillID: UUID
        public let name: String
        public let family: String
        public let level: Int
        public let priority: Int
    }

    public let id: UUID
    public let externalID: String
    public let name: String
    public let email: String?
    public let department: String
    public let company: String
    public let level: Int
    public let managerID: UUID?
    public let managerName: String?
    public let location: String
    public let timeZone: String
    public let languages: [String]
    public let strengths: [SkillLevel]
    public let wants: [SkillLevel]
    public let interests: [String]
    public let availability: [AvailabilityWindow]
    public let bio: String
    public let offLimits: [String]
    public let meetingFrequency: String
    public let formality: String
    /// Whether this person has an account (and so can sign in and edit their own profile).
    public let hasAccount: Bool
}

/// What a person (or an admin) may change on a profile. Skills are free text, normalised
/// through the taxonomy; unknown skills are added as "Uncategorised".
public struct ProfileUpdate: Sendable, Equatable {
    public var name: String
    public var email: String?
    public var department: String
    public var company: String
    public var level: Int
    /// The manager's person id, or nil for none.
    public var managerID: UUID?
    public var location: String
    public var timeZone: String
    public var languages: [String]
    public var strengths: [(skill: String, level: Int)]
    public var wants: [(skill: String, level: Int)]
    public var interests: [String]
    public var availability: [AvailabilityWindow]
    public var bio: String
    public var offLimits: [String]
    public var meetingFrequency: String
    public var formality: String

    public init(
        name: String, email: String? = nil, department: String = "", company: String = "", level: Int = 0,
        managerID: UUID? = nil, location: String = "", timeZone: String = "UTC", languages: [String] = [],
        strengths: [(skill: String, level: Int)] = [], wants: [(skill: String, level: Int)] = [], interests: [String] = [],
        availability: [AvailabilityWindow] = [], bio: String = "", offLimits: [String] = [], meetingFrequency: String = "",
        formality: String = ""
    ) {
        self.name = name
        self.email = email
        self.department = department
        self.company = company
        self.level = level
        self.managerID = managerID
        self.location = location
        self.timeZone = timeZone
        self.languages = languages
        self.strengths = strengths
        self.wants = wants
        self.interests = interests
        self.availability = availability
        self.bio = bio
        self.offLimits = offLimits
        self.meetingFrequency = meetingFrequency
        self.formality = formality
    }

    public static func == (lhs: ProfileUpdate, rhs: ProfileUpdate) -> Bool {
        lhs.name == rhs.name && lhs.email == rhs.email && lhs.department == rhs.department && lhs.level == rhs.level
            && lhs.managerID == rhs.managerID && lhs.timeZone == rhs.timeZone && lhs.languages == rhs.languages
            && lhs.strengths.map { "\($0.skill):\($0.level)" } == rhs.strengths.map { "\($0.skill):\($0.level)" }
            && lhs.wants.map { "\($0.skill):\($0.level)" } == rhs.wants.map { "\($0.skill):\($0.level)" }
            && lhs.interests == rhs.interests && lhs.availability == rhs.availability && lhs.bio == rhs.bio
            && lhs.offLimits == rhs.offLimits && lhs.meetingFrequency == rhs.meetingFrequency && lhs.formality == rhs.formality
            && lhs.company == rhs.company && lhs.location == rhs.location
    }

    public static let meetingFrequencies = ["", "weekly", "fortnightly", "monthly", "as needed"]
    public static let formalities = ["", "formal", "informal"]
}
