import Foundation

/// A directory search: every filter is optional; all given filters must hold.
public struct DirectoryQuery: Sendable, Equatable {
    /// Part of a name or email address.
    public var text: String = ""
    /// A skill the person is strong in, as typed (normalised through the taxonomy).
    public var skill: String = ""
    /// The lowest strength level in `skill` that counts (1–5).
    public var minimumLevel: Int = 1
    /// A skill the person wants to learn.
    public var want: String = ""
    public var department: String = ""
    public var level: Int?
    public var timeZone: String = ""
    public var language: String = ""
    /// 1-based page number.
    public var page: Int = 1
    public var pageSize: Int = 25

    public init(
        text: String = "", skill: String = "", minimumLevel: Int = 1, want: String = "", department: String = "",
        level: Int? = nil, timeZone: String = "", language: String = "", page: Int = 1, pageSize: Int = 25
    ) {
        self.text = text
        self.skill = skill
        self.minimumLevel = minimumLevel
        self.want = want
        self.department = department
        self.level = level
        self.timeZone = timeZone
        self.language = language
        self.page = page
        self.pageSize = pageSize
    }
}

/// One person in directory results.
public struct DirectoryEntry: Sendable, Equatable, Codable {
    public struct Skill: Sendable, Equatable, Codable {
        public let name: String
        public let level: Int
    }

    public let id: UUID
    public let externalID: String
    public let name: String
    public let department: String
    public let level: Int
    public let timeZone: String
    public let languages: [String]
    public let strengths: [Skill]
    public let wants: [Skill]
}

/// A page of directory results.
public struct DirectoryPage: Sendable, Equatable {
    public let entries: [DirectoryEntry]
    /// How many people match in all.
    public let total: Int
    public let page: Int
    public let pageSize: Int
    /// Filters that named something the organisation does not have (e.g. an unknown skill).
    public let notes: [String]

    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
}
