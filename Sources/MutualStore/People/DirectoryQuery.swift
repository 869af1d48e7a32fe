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
    /// The previous page's ``DirectoryPage/next`` (a ``KeysetCursor``): the page starts after
    /// that person. Nil or empty for the first page.
    public var after: String?
    /// 1-based page number, read by offset: still accepted for one release (`?page=`), ignored
    /// when `after` is given. Keyset paging (`after`) costs the same on every page.
    public var page: Int = 1
    public var pageSize: Int = 25

    public init(
        text: String = "", skill: String = "", minimumLevel: Int = 1, want: String = "", department: String = "",
        level: Int? = nil, timeZone: String = "", language: String = "", after: String? = nil, page: Int = 1, pageSize: Int = 25
    ) {
        self.text = text
        self.skill = skill
        self.minimumLevel = minimumLevel
        self.want = want
        self.department = department
        self.level = level
        self.timeZone = timeZone
        self.language = language
        self.after = after
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
    /// How many people match in all, when counting them is cheap: always without filters and
    /// for a skill alone (both read from an index), and whenever at most 1,000 match.
    public let total: Int?
    /// Otherwise an estimate (two significant figures) from each filter's own count, as if the
    /// filters were independent.
    public let totalEstimate: Int?
    /// The cursor of the following page (``KeysetCursor``); nil on the last page.
    public let next: String?
    /// The page number when the caller asked by number (the old `page` parameter), else 1.
    public let page: Int
    public let pageSize: Int
    /// Filters that named something the organisation does not have (e.g. an unknown skill).
    public let notes: [String]

    public init(entries: [DirectoryEntry], total: Int?, totalEstimate: Int? = nil, next: String?, page: Int = 1, pageSize: Int, notes: [String]) {
        self.entries = entries
        self.total = total
        self.totalEstimate = totalEstimate
        self.next = next
        self.page = page
        self.pageSize = pageSize
        self.notes = notes
    }
}
