import Foundation

/// What a member writes after a meeting: the skills they taught and learned (each named as the
/// profile editor accepts it: name, slug or alias), how useful it was and what they will do
/// before next time.
public struct MeetingLogDraft: Sendable, Equatable {
    /// One skill taught or learned, with a short note ("joins and GROUP BY").
    public struct Item: Sendable, Equatable {
        public var skill: String
        public var note: String

        public init(skill: String, note: String = "") {
            self.skill = skill
            self.note = note
        }
    }

    public var taught: [Item]
    public var learned: [Item]
    /// 1–5, or nil for no rating.
    public var rating: Int?
    /// What I will do before next time; empty for none.
    public var commitment: String

    /// At most this many skills each way: a log takes a minute on a phone.
    public static let maxItems = 10
    /// Longest note on one skill.
    public static let noteLimit = 280
    /// Longest commitment.
    public static let commitmentLimit = 500

    public init(taught: [Item] = [], learned: [Item] = [], rating: Int? = nil, commitment: String = "") {
        self.taught = taught
        self.learned = learned
        self.rating = rating
        self.commitment = commitment
    }
}
