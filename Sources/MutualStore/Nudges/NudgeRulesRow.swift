import FluentKit
import Foundation

/// A programme's nudge rules as stored: one row per programme whose manager changed them
/// (keyed by the programme's id); a programme without a row has ``NudgeRules/defaults``.
final class NudgeRulesRow: Model, @unchecked Sendable {
    static let schema = "programme_nudge_rules"

    /// The programme's id.
    @ID(custom: "id", generatedBy: .user) var id: UUID?
    @Field(key: "organisation_id") var organisationID: UUID
    @Field(key: "first_meeting_on") var firstMeeting: Bool
    @Field(key: "first_meeting_days") var firstMeetingDays: Int
    @Field(key: "quiet_on") var quiet: Bool
    @Field(key: "quiet_days") var quietDays: Int
    @Field(key: "requests_on") var requests: Bool
    @Field(key: "agreement_on") var agreement: Bool
    @Field(key: "agreement_days") var agreementDays: Int
    @Field(key: "milestones_on") var milestones: Bool
    @Field(key: "close_silent") var closeSilent: Bool
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var rules: NudgeRules {
        NudgeRules(
            firstMeeting: firstMeeting, firstMeetingDays: firstMeetingDays, quiet: quiet, quietDays: quietDays, requests: requests,
            agreement: agreement, agreementDays: agreementDays, milestones: milestones, closeSilent: closeSilent)
    }

    func apply(_ rules: NudgeRules) {
        firstMeeting = rules.firstMeeting
        firstMeetingDays = rules.firstMeetingDays
        quiet = rules.quiet
        quietDays = rules.quietDays
        requests = rules.requests
        agreement = rules.agreement
        agreementDays = rules.agreementDays
        milestones = rules.milestones
        closeSilent = rules.closeSilent
    }
}
