import FluentKit
import SQLKit

/// The numbered schema migrations, in order. Never edit a released migration: add a new one.
public enum MutualMigrations {
    public static let all: [any Migration] = [
        CreateOrganisationsAndPeople001(),
        CreateAccounts002(),
        ExtendProfilesAndTaxonomy003(),
        DropRedundantPersonSkillIndex004(),
        CreateProgrammes005(),
        CreateMatchRuns006(),
        CreatePublishedMatches007(),
        AddRulesAndProposalEdits008(),
        CreateRelationships009(),
        AddRunProgress010(),
        AddEnrolmentQuestions011(),
        CreateJobs012(),
        CreateEventsAndAudit013(),
        CreateEmailRecords014(),
        StoreProposalsAsRows015(),
        SeparateLoginsFromMemberships016(),
        AddTokenScopesAndIdempotencyKeys017(),
        AddTwoFactor018(),
        CreateMeetings019(),
        CreateGoalsAndMilestones020(),
        AddMessagesAndNudges021(),
        CreateCalendarFeeds022(),
        CreateLearningLedger023(),
        CreateFeedback024(),
        CreateHROutcomes025(),
        AddConcernsAndSupportContacts026(),
        AddSingleSignOn027(),
        CreateWebhooks028(),
        IndexFeedbackInAnswerOrder029(),
        AddProvisioning030(),
        AddPrivacy031(),
        AddBulkInvitationsAndLaunches032(),
        AddProgrammeManagers033(),
        IndexDirectoryCount034(),
    ]
}
