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
    ]
}

/// 001: tenants, the directory and the skill taxonomy.
struct CreateOrganisationsAndPeople001: AsyncMigration {
    var name: String { "001_create_organisations_and_people" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Organisation.schema)
            .id()
            .field("name", .string, .required)
            .field("slug", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "slug")
            .create()

        try await database.schema(Person.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("external_id", .string, .required)
            .field("name", .string, .required)
            .field("email", .string)
            .field("department", .string, .required)
            .field("company", .string, .required)
            .field("level", .int, .required)
            .field("manager_id", .uuid, .references(Person.schema, .id, onDelete: .setNull))
            .field("timezone", .string, .required)
            .field("location", .string, .required)
            .field("languages", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "organisation_id", "external_id")
            .create()

        try await database.schema(Skill.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("slug", .string, .required)
            .field("name", .string, .required)
            .field("family", .string, .required)
            .unique(on: "organisation_id", "slug")
            .create()

        try await database.schema(PersonSkill.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("kind", .string, .required)
            .field("level", .int, .required)
            .unique(on: "person_id", "skill_id", "kind")
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "people_organisation_name").on(Person.schema).column("organisation_id").column("name").run()
            try await sql.create(index: "people_organisation_email").on(Person.schema).column("organisation_id").column("email").run()
            try await sql.create(index: "person_skills_skill_kind_level").on(PersonSkill.schema)
                .column("skill_id").column("kind").column("level").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PersonSkill.schema).delete()
        try await database.schema(Skill.schema).delete()
        try await database.schema(Person.schema).delete()
        try await database.schema(Organisation.schema).delete()
    }
}

/// 002: accounts, sessions, invitations, API tokens, sign-in throttling and the outbox.
struct CreateAccounts002: AsyncMigration {
    var name: String { "002_create_accounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Account.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_sign_in_at", .datetime)
            .unique(on: "email")
            .create()

        try await database.schema(Session.schema)
            .field("token_digest", .string, .identifier(auto: false))
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()

        try await database.schema(Invitation.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("email", .string, .required)
            .field("role", .string, .required)
            .field("token_digest", .string, .required)
            .field("invited_by", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .field("accepted_at", .datetime)
            .field("revoked_at", .datetime)
            .unique(on: "token_digest")
            .create()

        try await database.schema(APIToken.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("account_id", .uuid, .required, .references(Account.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("token_digest", .string, .required)
            .field("prefix", .string, .required)
            .field("created_at", .datetime, .required)
            .field("last_used_at", .datetime)
            .unique(on: "token_digest")
            .create()

        try await database.schema(SignInFailure.schema)
            .id()
            .field("subject", .string, .required)
            .field("occurred_at", .datetime, .required)
            .create()

        try await database.schema(OutboxMessage.schema)
            .id()
            .field("organisation_id", .uuid, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("recipient", .string, .required)
            .field("subject", .string, .required)
            .field("body", .string, .required)
            .field("created_at", .datetime, .required)
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "sign_in_failures_subject_time").on(SignInFailure.schema)
                .column("subject").column("occurred_at").run()
            try await sql.create(index: "accounts_organisation").on(Account.schema).column("organisation_id").run()
            try await sql.create(index: "invitations_organisation").on(Invitation.schema).column("organisation_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [OutboxMessage.schema, SignInFailure.schema, APIToken.schema, Invitation.schema, Session.schema, Account.schema] {
            try await database.schema(schema).delete()
        }
    }
}

/// 003: full profiles (interests, exclusions, bio, availability, boundaries), want priorities,
/// skill aliases, and the indexes the directory needs at 100,000 people.
struct ExtendProfilesAndTaxonomy003: AsyncMigration {
    var name: String { "003_extend_profiles_and_taxonomy" }

    func prepare(on database: any Database) async throws {
        for (column, defaultValue) in [
            ("interests", ""), ("exclude", ""), ("bio", ""), ("availability", ""), ("off_limits", ""),
            ("meeting_frequency", ""), ("formality", ""),
        ] {
            try await database.schema(Person.schema)
                .field(.definition(name: .key(.string(column)), dataType: .string, constraints: [.required, .sql(.default(defaultValue))]))
                .update()
        }
        try await database.schema(Person.schema).field("updated_at", .datetime).update()
        try await database.schema(PersonSkill.schema)
            .field(.definition(name: .key("priority"), dataType: .int, constraints: [.required, .sql(.default(1))]))
            .update()

        try await database.schema(SkillAlias.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("skill_id", .uuid, .required, .references(Skill.schema, .id, onDelete: .cascade))
            .field("slug", .string, .required)
            .unique(on: "organisation_id", "slug")
            .create()

        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "people_organisation_department").on(Person.schema).column("organisation_id").column("department").run()
            try await sql.create(index: "people_organisation_level").on(Person.schema).column("organisation_id").column("level").run()
            try await sql.create(index: "people_organisation_timezone").on(Person.schema).column("organisation_id").column("timezone").run()
            try await sql.create(index: "people_manager").on(Person.schema).column("manager_id").run()
            try await sql.create(index: "person_skills_person").on(PersonSkill.schema).column("person_id").run()
            try await sql.create(index: "person_skills_organisation_kind_skill").on(PersonSkill.schema)
                .column("organisation_id").column("kind").column("skill_id").column("level").run()
            try await sql.create(index: "skill_aliases_skill").on(SkillAlias.schema).column("skill_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(SkillAlias.schema).delete()
        try await database.schema(PersonSkill.schema).deleteField("priority").update()
        for column in ["interests", "exclude", "bio", "availability", "off_limits", "meeting_frequency", "formality", "updated_at"] {
            try await database.schema(Person.schema).deleteField(.key(.string(column))).update()
        }
    }
}

/// 004: drops `person_skills_person`. The unique index on (person_id, skill_id, kind) already
/// serves every lookup by person, and each extra index is one more B-tree insert per skill line
/// (500,000 in a 100,000-person import).
struct DropRedundantPersonSkillIndex004: AsyncMigration {
    var name: String { "004_drop_redundant_person_skill_index" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.drop(index: "person_skills_person").ifExists().run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "person_skills_person").on(PersonSkill.schema).column("person_id").run()
    }
}

/// 005: programmes with objectives, and enrolments.
struct CreateProgrammes005: AsyncMigration {
    var name: String { "005_create_programmes" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("model", .string, .required)
            .field("structure", .string, .required)
            .field("cadence", .string, .required)
            .field("agenda_template", .string, .required)
            .field("cycle_start", .string, .required)
            .field("cycle_end", .string, .required)
            .field("enrolment_opens", .string, .required)
            .field("enrolment_closes", .string, .required)
            .field("capacity", .int, .required)
            .field("self_enrolment", .bool, .required)
            .field("self_match", .bool, .required)
            .field("required_fields", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "organisation_id", "name")
            .create()
        try await database.schema(ProgrammeObjective.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("goal", .string, .required)
            .field("kpis", .string, .required)
            .create()
        try await database.schema(Enrolment.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("role", .string, .required)
            .field("goals", .string, .required)
            .field("source", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "programme_id", "person_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "programme_objectives_programme").on(ProgrammeObjective.schema).column("programme_id").run()
            try await sql.create(index: "enrolments_person").on(Enrolment.schema).column("person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).delete()
        try await database.schema(ProgrammeObjective.schema).delete()
        try await database.schema(Programme.schema).delete()
    }
}

/// 006: match runs, kept with their inputs and results.
struct CreateMatchRuns006: AsyncMigration {
    var name: String { "006_create_match_runs" }

    func prepare(on database: any Database) async throws {
        try await database.schema(MatchRun.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("model", .string, .required)
            .field("rules", .string, .required)
            .field("seed", .int, .required)
            .field("participants", .int, .required)
            .field("matched", .int, .required)
            .field("total_weight", .int64, .required)
            .field("upper_bound", .int64, .required)
            .field("optimality", .string, .required)
            .field("gap_millipercent", .int, .required)
            .field("result", .string, .required)
            .field("failure", .string, .required)
            .field("created_by", .uuid, .required)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "match_runs_programme_created").on(MatchRun.schema).column("programme_id").column("created_at").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).delete()
    }
}

/// 007: published matches and each member's answer.
struct CreatePublishedMatches007: AsyncMigration {
    var name: String { "007_create_published_matches" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PublishedMatch.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("run_id", .uuid, .required, .references(MatchRun.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("score", .int, .required)
            .field("reasons", .string, .required)
            .field("published_at", .datetime, .required)
            .create()
        try await database.schema(MatchMember.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("match_id", .uuid, .required, .references(PublishedMatch.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("response", .string, .required)
            .field("reason", .string, .required)
            .field("responded_at", .datetime)
            .unique(on: "match_id", "person_id")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "matches_programme").on(PublishedMatch.schema).column("programme_id").run()
            try await sql.create(index: "match_members_person").on(MatchMember.schema).column("person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchMember.schema).delete()
        try await database.schema(PublishedMatch.schema).delete()
    }
}

/// 009: relationships with their agreement and signatures, and self-match requests.
struct CreateRelationships009: AsyncMigration {
    var name: String { "009_create_relationships" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Relationship.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("match_id", .uuid, .references(PublishedMatch.schema, .id, onDelete: .setNull))
            .field("status", .string, .required)
            .field("end_reason", .string, .required)
            .field("started_at", .datetime, .required)
            .field("ended_at", .datetime)
            .field("vision", .string, .required)
            .field("boundaries", .string, .required)
            .field("confidentiality", .string, .required)
            .field("cadence", .string, .required)
            .field("structure", .string, .required)
            .field("agreement_version", .int, .required)
            .field("agreement_updated_at", .datetime)
            .create()
        try await database.schema(RelationshipMember.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("relationship_id", .uuid, .required, .references(Relationship.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("position", .int, .required)
            .field("goals", .string, .required)
            .field("signed_version", .int, .required)
            .field("signed_at", .datetime)
            .unique(on: "relationship_id", "person_id")
            .create()
        try await database.schema(MatchRequest.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("from_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("to_person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("status", .string, .required)
            .field("message", .string, .required)
            .field("created_at", .datetime, .required)
            .field("answered_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "relationships_programme").on(Relationship.schema).column("programme_id").run()
            try await sql.create(index: "relationships_match").on(Relationship.schema).column("match_id").run()
            try await sql.create(index: "relationship_members_person").on(RelationshipMember.schema).column("person_id").run()
            try await sql.create(index: "match_requests_to").on(MatchRequest.schema).column("to_person_id").run()
            try await sql.create(index: "match_requests_from").on(MatchRequest.schema).column("from_person_id").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRequest.schema).delete()
        try await database.schema(RelationshipMember.schema).delete()
        try await database.schema(Relationship.schema).delete()
    }
}

/// 010: what a running match run is doing, for the page that waits for it.
struct AddRunProgress010: AsyncMigration {
    var name: String { "010_match_run_progress" }

    func prepare(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).field("progress", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(MatchRun.schema).deleteField("progress").update()
    }
}

/// 011: a programme's own enrolment questions and each enrolled person's answers.
struct AddEnrolmentQuestions011: AsyncMigration {
    var name: String { "011_enrolment_questions" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Programme.schema).field("questions", .string, .required, .sql(.default(""))).update()
        try await database.schema(Enrolment.schema).field("answers", .string, .required, .sql(.default(""))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Enrolment.schema).deleteField("answers").update()
        try await database.schema(Programme.schema).deleteField("questions").update()
    }
}
