import Foundation

/// Why someone is nudged. Stored (by raw value) with each delivery; never renamed once released.
public enum NudgeKind: String, Sendable, Codable, CaseIterable {
    case noFirstMeeting = "no_first_meeting"
    case quiet
    case requestWaiting = "request_waiting"
    case agreementUnsigned = "agreement_unsigned"
    /// A milestone falls due (found by the goals capability's ``NudgeQuery``).
    case milestoneDue = "milestone_due"
}

/// One reason to nudge one person, found by a ``NudgeQuery``.
public struct NudgeFinding: Sendable, Equatable {
    public var personID: UUID
    public var organisationID: UUID
    public var programmeID: UUID
    /// The relationship it is about; `nil` for a match request.
    public var relationshipID: UUID?
    public var kind: NudgeKind
    /// Since when (matched, last met, asked): the email counts the days from it.
    public var since: Date
    /// A few words more, in the query's own terms (a milestone's title); empty for none.
    public var detail: String

    public init(
        personID: UUID, organisationID: UUID, programmeID: UUID, relationshipID: UUID?, kind: NudgeKind, since: Date, detail: String = ""
    ) {
        self.personID = personID
        self.organisationID = organisationID
        self.programmeID = programmeID
        self.relationshipID = relationshipID
        self.kind = kind
        self.since = since
        self.detail = detail
    }

    /// The line the morning email shows for it.
    func line(programme: String, now: Date) -> String {
        let days = max(0, Int(now.timeIntervalSince(since) / 86_400))
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        switch kind {
        case .noFirstMeeting:
            return "Your relationship in \(programme) has had no meeting in the \(days) days since you were matched. Schedule a first one\(suffix)."
        case .quiet:
            return "Your relationship in \(programme) has been quiet for \(days) days: no meeting since. Plan the next one\(suffix)."
        case .requestWaiting:
            return "A match request in \(programme) has waited \(days) days for your answer; it closes after 14 days\(suffix)."
        case .agreementUnsigned:
            return "You have not signed your agreement in \(programme), \(days) days after you were matched\(suffix)."
        case .milestoneDue:
            return "A milestone in \(programme) is due\(suffix)."
        }
    }
}
