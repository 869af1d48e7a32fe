import Foundation

/// What "Find a time" shows for a relationship: the common free slots of its members and whose
/// week had to be assumed because they have not set their availability.
public struct SlotSuggestions: Sendable, Equatable {
    /// A member as the slots were found for them.
    public struct Member: Sendable, Equatable {
        public let personID: UUID
        public let name: String
        /// The zone the member's windows were read in (their profile's; UTC when it names no zone
        /// Foundation knows).
        public let timeZone: TimeZone
        /// They have no availability in their profile, so Monday to Friday 09:00–17:00 in their
        /// own zone was assumed (``SlotFinder/defaultWindows``).
        public let usesDefaultAvailability: Bool
        public let isViewer: Bool
    }

    public let relationshipID: UUID
    public let durationMinutes: Int
    /// Most comfortable first, then earliest; at most ``SlotFinder/limit``.
    public let slots: [SlotFinder.Slot]
    /// In the relationship's order.
    public let members: [Member]
    /// The zone the viewer sees times in (their profile's), a member or not.
    public let viewerTimeZone: TimeZone
    /// The span searched: from now to ``SlotFinder/horizonDays`` days later.
    public let from: Date
    public let to: Date
    /// Whether the relationship is still open (active or paused), so a slot can be booked.
    public let isOpen: Bool

    public var membersWithoutAvailability: [Member] { members.filter(\.usesDefaultAvailability) }
    public var viewerIsMember: Bool { members.contains(where: \.isViewer) }
}
