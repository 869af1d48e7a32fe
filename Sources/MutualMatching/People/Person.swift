/// A participant in a matching run, as read from the people CSV.
public struct Person: Sendable, Hashable {
    /// The stable identifier from the HR export; used in output and in history files.
    public var id: String
    public var name: String
    public var email: String
    public var department: String
    public var company: String
    /// Seniority level (higher is more senior); `nil` when the export has none.
    public var level: Int?
    public var managerID: String?
    /// The time zone as written in the file (kept for display and round-tripping).
    public var timeZoneName: String
    /// Offset from UTC in minutes, `nil` when no time zone is given.
    public var utcOffsetMinutes: Int?
    /// Language slugs, e.g. `english`.
    public var languages: [String]
    public var strengths: [SkillLevel]
    public var wants: [SkillWant]
    /// Interest slugs.
    public var interests: [String]
    /// Ids of people this person must not be matched with.
    public var exclude: [String]
    /// Mentoring role; only read for the mentoring model.
    public var role: MentoringRole?
    /// How many partners (or mentees, for a mentor) this person takes; `nil` means the default.
    public var capacity: Int?

    public init(
        id: String, name: String = "", email: String = "", department: String = "", company: String = "",
        level: Int? = nil, managerID: String? = nil, timeZoneName: String = "", utcOffsetMinutes: Int? = nil,
        languages: [String] = [], strengths: [SkillLevel] = [], wants: [SkillWant] = [], interests: [String] = [],
        exclude: [String] = [], role: MentoringRole? = nil, capacity: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.email = email
        self.department = department
        self.company = company
        self.level = level
        self.managerID = managerID
        self.timeZoneName = timeZoneName
        self.utcOffsetMinutes = utcOffsetMinutes
        self.languages = languages
        self.strengths = strengths
        self.wants = wants
        self.interests = interests
        self.exclude = exclude
        self.role = role
        self.capacity = capacity
    }

    /// The name to show in explanations: the name, or the id when there is none.
    public var displayName: String { name.isEmpty ? id : name }

    /// This person's level in a skill (0 when not a strength).
    public func strengthLevel(_ skill: String) -> Int {
        strengths.first { $0.skill == skill }?.level ?? 0
    }
}

/// A skill someone is strong in, with a level from 1 (some) to 5 (expert).
public struct SkillLevel: Sendable, Hashable {
    /// The normalised slug (see ``SkillSlug``).
    public var skill: String
    /// The name as first written, for explanations ("SQL" rather than "sql").
    public var displayName: String
    public var level: Int

    public init(skill: String, displayName: String? = nil, level: Int) {
        self.skill = SkillSlug.make(skill)
        self.displayName = displayName ?? skill
        self.level = level
    }
}

/// A skill someone wants to learn, with their current level (0–4) and a priority (1–3).
public struct SkillWant: Sendable, Hashable {
    public var skill: String
    public var displayName: String
    /// Where the learner is now; a teacher must be above it.
    public var currentLevel: Int
    /// How much they want it; multiplies its teaching value. Defaults to 1.
    public var priority: Int

    public init(skill: String, displayName: String? = nil, currentLevel: Int = 0, priority: Int = 1) {
        self.skill = SkillSlug.make(skill)
        self.displayName = displayName ?? skill
        self.currentLevel = currentLevel
        self.priority = priority
    }
}

/// The role someone takes in a traditional mentoring programme.
public enum MentoringRole: String, Sendable, Hashable, CaseIterable {
    case mentor, mentee, both

    public var canMentor: Bool { self != .mentee }
    public var canBeMentored: Bool { self != .mentor }
}
