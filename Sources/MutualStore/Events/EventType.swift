/// Every domain event Mutual writes, named `noun.past_participle`. Documented with its payload
/// in docs/events.md; a type is never renamed once released (consumers and webhooks match on it).
public enum EventType: String, Sendable, CaseIterable, Codable {
    case peopleImported = "people.imported"
    case invitationCreated = "invitation.created"
    case invitationAccepted = "invitation.accepted"
    case invitationRevoked = "invitation.revoked"
    case programmeCreated = "programme.created"
    case programmeChanged = "programme.changed"
    case programmeRulesChanged = "programme_rules.changed"
    case enrolmentAdded = "enrolment.added"
    case enrolmentWithdrawn = "enrolment.withdrawn"
    case matchRunStarted = "match_run.started"
    case matchRunFinished = "match_run.finished"
    case matchRunFailed = "match_run.failed"
    case matchPublished = "match.published"
    case matchAccepted = "match.accepted"
    case matchDeclined = "match.declined"
    case matchRequestSent = "match_request.sent"
    case matchRequestAnswered = "match_request.answered"
    case relationshipOpened = "relationship.opened"
    case relationshipPaused = "relationship.paused"
    case relationshipResumed = "relationship.resumed"
    case relationshipCompleted = "relationship.completed"
    case relationshipUnwound = "relationship.unwound"
    case agreementChanged = "agreement.changed"
    case agreementSigned = "agreement.signed"
    case passwordResetRequested = "password.reset_requested"
    case passwordReset = "password.reset"
    case accountLocked = "account.locked"
    case accountUnlocked = "account.unlocked"
    case twoFactorEnabled = "two_factor.enabled"
    case twoFactorDisabled = "two_factor.disabled"
    case twoFactorRecoveryCodeUsed = "two_factor.recovery_code_used"
    case twoFactorRecoveryCodesRegenerated = "two_factor.recovery_codes_regenerated"
    case organisationSettingsChanged = "organisation_settings.changed"
    case meetingScheduled = "meeting.scheduled"
    case meetingChanged = "meeting.changed"
    case meetingCancelled = "meeting.cancelled"

    /// What the thing it happened to is called in `subject_type`.
    public var subjectType: String {
        switch self {
        case .peopleImported: "import"
        case .invitationCreated, .invitationAccepted, .invitationRevoked: "invitation"
        case .programmeCreated, .programmeChanged, .programmeRulesChanged: "programme"
        // An enrolment event is about the programme; its payload lists the people.
        case .enrolmentAdded, .enrolmentWithdrawn: "programme"
        case .matchRunStarted, .matchRunFinished, .matchRunFailed: "match_run"
        case .matchPublished, .matchAccepted, .matchDeclined: "match"
        case .matchRequestSent, .matchRequestAnswered: "match_request"
        case .relationshipOpened, .relationshipPaused, .relationshipResumed, .relationshipCompleted, .relationshipUnwound,
            .agreementChanged, .agreementSigned:
            "relationship"
        // About a membership (the login's, in each organisation it belongs to).
        case .passwordResetRequested, .passwordReset, .accountLocked, .accountUnlocked: "account"
        case .twoFactorEnabled, .twoFactorDisabled, .twoFactorRecoveryCodeUsed, .twoFactorRecoveryCodesRegenerated: "login"
        case .organisationSettingsChanged: "organisation"
        case .meetingScheduled, .meetingChanged, .meetingCancelled: "meeting"
        }
    }

    /// The audit log's words for it (the actor comes first: "Ana Silva published a match").
    public var pastTense: String {
        switch self {
        case .peopleImported: "imported people"
        case .invitationCreated: "sent an invitation"
        case .invitationAccepted: "accepted an invitation"
        case .invitationRevoked: "withdrew an invitation"
        case .programmeCreated: "created a programme"
        case .programmeChanged: "changed a programme"
        case .programmeRulesChanged: "changed a programme's matching rules"
        case .enrolmentAdded: "enrolled people in a programme"
        case .enrolmentWithdrawn: "withdrew from a programme"
        case .matchRunStarted: "started a match run"
        case .matchRunFinished: "finished a match run"
        case .matchRunFailed: "had a match run fail"
        case .matchPublished: "published a match"
        case .matchAccepted: "accepted a match"
        case .matchDeclined: "declined a match"
        case .matchRequestSent: "asked a peer to match"
        case .matchRequestAnswered: "answered a match request"
        case .relationshipOpened: "opened a relationship"
        case .relationshipPaused: "paused a relationship"
        case .relationshipResumed: "resumed a relationship"
        case .relationshipCompleted: "completed a relationship"
        case .relationshipUnwound: "unwound a relationship"
        case .agreementChanged: "changed an agreement"
        case .agreementSigned: "signed an agreement"
        case .passwordResetRequested: "asked for a password reset link"
        case .passwordReset: "set a new password with a reset link"
        case .accountLocked: "had sign-ins slowed after repeated failures (unlock link emailed)"
        case .accountUnlocked: "unlocked their account with the emailed link"
        case .twoFactorEnabled: "turned on two-factor sign-in"
        case .twoFactorDisabled: "turned off two-factor sign-in"
        case .twoFactorRecoveryCodeUsed: "used a two-factor recovery code"
        case .twoFactorRecoveryCodesRegenerated: "made new two-factor recovery codes"
        case .organisationSettingsChanged: "changed the organisation's settings"
        case .meetingScheduled: "scheduled a meeting"
        case .meetingChanged: "changed a meeting"
        case .meetingCancelled: "cancelled a meeting"
        }
    }
}
