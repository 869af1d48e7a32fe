import Foundation

/// A programme's nudge rules: which reminders go out, and after how many days. A programme
/// whose manager never changed them has ``defaults``.
public struct NudgeRules: Sendable, Equatable, Codable {
    /// Nudge the members when they have not met within `firstMeetingDays` of being matched.
    public var firstMeeting: Bool
    public var firstMeetingDays: Int
    /// Nudge the members when nothing happened (no meeting, no log) for `quietDays`.
    public var quiet: Bool
    public var quietDays: Int
    /// Nudge the person asked when a self-match request waits 7 days (it closes at 14 either way).
    public var requests: Bool
    /// Nudge members who have not signed the agreement `agreementDays` after being matched.
    public var agreement: Bool
    public var agreementDays: Int
    /// Nudge members about milestones that fall due (once goals and milestones exist).
    public var milestones: Bool
    /// Close a relationship silent for ``Store/silenceDays`` plus ``Store/silenceGraceDays`` (telling its members).
    public var closeSilent: Bool

    public init(
        firstMeeting: Bool = true, firstMeetingDays: Int = 14, quiet: Bool = true, quietDays: Int = 30, requests: Bool = true,
        agreement: Bool = true, agreementDays: Int = 7, milestones: Bool = true, closeSilent: Bool = false
    ) {
        self.firstMeeting = firstMeeting
        self.firstMeetingDays = firstMeetingDays
        self.quiet = quiet
        self.quietDays = quietDays
        self.requests = requests
        self.agreement = agreement
        self.agreementDays = agreementDays
        self.milestones = milestones
        self.closeSilent = closeSilent
    }

    /// What a programme gets until its manager changes something.
    public static let defaults = NudgeRules()

    /// The day counts a rule accepts.
    public static let dayRange = 1...365

    /// Checks each day count, naming the field and the range.
    public func validated() throws -> NudgeRules {
        for (field, label, days) in [
            ("first_meeting_days", "days before a missing first meeting is nudged", firstMeetingDays),
            ("quiet_days", "quiet days before a nudge", quietDays), ("agreement_days", "days before an unsigned agreement is nudged", agreementDays),
        ] where !Self.dayRange.contains(days) {
            throw StoreError.invalid(
                field: field,
                message: "Set the \(label) between \(Self.dayRange.lowerBound) and \(Self.dayRange.upperBound); \(days) is outside that range.")
        }
        return self
    }
}
