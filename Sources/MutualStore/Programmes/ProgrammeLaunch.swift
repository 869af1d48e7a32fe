import FluentKit
import Foundation

/// One send of a programme's invitation to enrol: to whom (the audience in words and the
/// recipients), when, and the reminder before enrolment closes.
public final class ProgrammeLaunch: Model, @unchecked Sendable {
    public static let schema = "programme_launches"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    /// The audience in words (``InvitationAudience/summary``), for the list of sends.
    @Field(key: "audience") public var audience: String
    @OptionalField(key: "sent_by") public var sentByPersonID: UUID?
    @Field(key: "sent_at") public var sentAt: Date
    /// People emailed (those with an account got the programme's link, the rest an invitation).
    @Field(key: "recipient_count") public var recipientCount: Int
    /// Of them, how many had no account and were sent an invitation link.
    @Field(key: "invited_count") public var invitedCount: Int
    /// When the reminder is due (two days before enrolment closes), if the programme has a deadline.
    @OptionalField(key: "reminder_at") public var reminderAt: Date?
    @OptionalField(key: "reminded_at") public var remindedAt: Date?
    @Field(key: "reminded_count") public var remindedCount: Int

    public init() {}

    init(organisationID: UUID, programmeID: UUID, audience: String, sentByPersonID: UUID?, sentAt: Date) {
        self.id = UUID()
        self.organisationID = organisationID
        self.programmeID = programmeID
        self.audience = audience
        self.sentByPersonID = sentByPersonID
        self.sentAt = sentAt
        self.recipientCount = 0
        self.invitedCount = 0
        self.remindedCount = 0
    }
}

/// Someone a launch emailed.
public final class ProgrammeLaunchRecipient: Model, @unchecked Sendable {
    public static let schema = "programme_launch_recipients"

    @ID(key: .id) public var id: UUID?
    @Field(key: "launch_id") public var launchID: UUID
    @Field(key: "person_id") public var personID: UUID

    public init() {}

    init(launchID: UUID, personID: UUID) {
        self.id = UUID()
        self.launchID = launchID
        self.personID = personID
    }
}

/// A launch as its list shows it: who it went to and how many of them enrolled since.
public struct LaunchSummary: Sendable, Equatable {
    public let id: UUID
    public let audience: String
    public let sentAt: Date
    public let sentBy: String
    public let recipients: Int
    public let invited: Int
    /// Recipients enrolled in the programme at or after this send.
    public let enrolled: Int
    public let reminderAt: Date?
    public let remindedAt: Date?
    public let reminded: Int
}

/// What ``Store/launchProgramme(_:audience:by:)`` did.
public struct LaunchResult: Sendable, Equatable {
    public var launchID: UUID?
    /// People emailed.
    public var recipients = 0
    /// Of them, people without an account, sent an invitation link.
    public var invited = 0
    public var alreadyEnrolled = 0
    public var withoutEmail = 0
    /// People without an account whose pending invitation predates kept links; not emailed.
    public var unreachable = 0
    /// People with an account who turned programme emails off; not emailed.
    public var optedOut = 0
    public var unknownEntries: [String] = []
    public var reminderAt: Date?

    public init() {}
}

/// The reminder of one launch; payload of ``JobKind/launchReminder``.
struct ProgrammeLaunchReminderJob: Codable, Sendable {
    var launchID: UUID
}
