import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/people` and `/api/v1/skills`: the directory, profiles and the taxonomy.
struct PeopleAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/people", role: .participant, listPeople)
        routes.api(.get, "/api/v1/people/:id", role: .participant, getPerson)
        routes.api(.patch, "/api/v1/people/:id", role: .participant, reads: ProfilePatch.self, updatePerson)
        routes.api(.get, "/api/v1/skills", role: .participant, listSkills)
        routes.api(.post, "/api/v1/skills", role: .admin, reads: SkillRequest.self, status: .created, createSkill)
        routes.api(.post, "/api/v1/skills/:id/aliases", role: .admin, reads: AliasRequest.self, addAlias)
        routes.api(.post, "/api/v1/skills/:id/merge", role: .admin, reads: MergeRequest.self, mergeSkill)
        routes.api(.get, "/api/v1/skills/map", role: .programmeManager, skillsMap)
    }

    // MARK: Shapes

    struct SkillLevelBody: APIBody {
        let skill: String
        let level: Int
        static var example: SkillLevelBody { SkillLevelBody(skill: "SQL", level: 3) }
    }
    struct DirectoryEntryBody: APIBody {
        let id: UUID, externalId: String, name: String, department: String, level: Int, timezone: String, languages: [String]
        let strengths: [SkillLevelBody], wants: [SkillLevelBody]
        static var example: DirectoryEntryBody {
            DirectoryEntryBody(
                id: UUID(), externalId: "P0001", name: "Ana Silva", department: "Data", level: 3, timezone: "Europe/Lisbon",
                languages: ["pt"], strengths: [.example], wants: [.example])
        }
    }
    /// A page of the directory: `next` is absent on the last page; `total` is given when it is
    /// cheap to count (see `Store.searchPeople`), `total_estimate` otherwise.
    struct PageBody: APIBody {
        let items: [DirectoryEntryBody], total: Int?, totalEstimate: Int?, next: String?, page: Int, pageSize: Int, notes: [String]
        static var example: PageBody {
            PageBody(
                items: [.example], total: 1, totalEstimate: nil, next: KeysetCursor(key: "Ana Silva", id: UUID()).encoded, page: 1,
                pageSize: 25, notes: ["No skill is called X."])
        }
    }
    struct WindowBody: APIBody {
        let weekday: Int
        let start: String
        let end: String
        static var example: WindowBody { WindowBody(weekday: 1, start: "09:00", end: "17:00") }
    }
    struct ProfileBody: APIBody {
        let id: UUID, externalId: String, name: String, email: String?, department: String, company: String, level: Int
        let managerId: UUID?, location: String, timezone: String, languages: [String]
        let strengths: [SkillLevelBody], wants: [SkillLevelBody], interests: [String], availability: [WindowBody]
        let bio: String, offLimits: [String], meetingFrequency: String, formality: String
        static var example: ProfileBody {
            ProfileBody(
                id: UUID(), externalId: "P0001", name: "Ana Silva", email: "ana@example.org", department: "Data", company: "Acme",
                level: 3, managerId: UUID(), location: "Lisbon", timezone: "Europe/Lisbon", languages: ["pt"], strengths: [.example],
                wants: [.example], interests: ["cycling"], availability: [.example], bio: "", offLimits: ["weekends"],
                meetingFrequency: "fortnightly", formality: "informal")
        }
    }
    /// Every field optional: what is absent stays as it is. `manager_id: null` removes the manager.
    struct ProfilePatch: APIBody {
        var name: String?, email: String?, department: String?, company: String?, level: Int?
        /// Absent: unchanged; `null`: no manager; an id: that manager.
        var managerId: UUID??
        var location: String?, timezone: String?, languages: [String]?
        var strengths: [SkillLevelBody]?, wants: [SkillLevelBody]?, interests: [String]?, availability: [WindowBody]?
        var bio: String?, offLimits: [String]?, meetingFrequency: String?, formality: String?
        enum CodingKeys: String, CodingKey {
            case name, email, department, company, level, managerId, location, timezone, languages, strengths, wants, interests
            case availability, bio, offLimits, meetingFrequency, formality
        }
        static var nullableKeys: Set<String> { ["manager_id"] }
        init() {}
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            email = try container.decodeIfPresent(String.self, forKey: .email)
            department = try container.decodeIfPresent(String.self, forKey: .department)
            company = try container.decodeIfPresent(String.self, forKey: .company)
            level = try container.decodeIfPresent(Int.self, forKey: .level)
            if container.contains(.managerId) {
                managerId = .some(try container.decodeNil(forKey: .managerId) ? nil : try container.decode(UUID.self, forKey: .managerId))
            }
            location = try container.decodeIfPresent(String.self, forKey: .location)
            timezone = try container.decodeIfPresent(String.self, forKey: .timezone)
            languages = try container.decodeIfPresent([String].self, forKey: .languages)
            strengths = try container.decodeIfPresent([SkillLevelBody].self, forKey: .strengths)
            wants = try container.decodeIfPresent([SkillLevelBody].self, forKey: .wants)
            interests = try container.decodeIfPresent([String].self, forKey: .interests)
            availability = try container.decodeIfPresent([WindowBody].self, forKey: .availability)
            bio = try container.decodeIfPresent(String.self, forKey: .bio)
            offLimits = try container.decodeIfPresent([String].self, forKey: .offLimits)
            meetingFrequency = try container.decodeIfPresent(String.self, forKey: .meetingFrequency)
            formality = try container.decodeIfPresent(String.self, forKey: .formality)
        }
        /// Synthesised but for `managerId`, whose "remove the manager" (`null`) is never written:
        /// encoding a patch only serves the contract test's record of its shape.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(name, forKey: .name)
            try container.encodeIfPresent(email, forKey: .email)
            try container.encodeIfPresent(department, forKey: .department)
            try container.encodeIfPresent(company, forKey: .company)
            try container.encodeIfPresent(level, forKey: .level)
            try container.encodeIfPresent(managerId ?? nil, forKey: .managerId)
            try container.encodeIfPresent(location, forKey: .location)
            try container.encodeIfPresent(timezone, forKey: .timezone)
            try container.encodeIfPresent(languages, forKey: .languages)
            try container.encodeIfPresent(strengths, forKey: .strengths)
            try container.encodeIfPresent(wants, forKey: .wants)
            try container.encodeIfPresent(interests, forKey: .interests)
            try container.encodeIfPresent(availability, forKey: .availability)
            try container.encodeIfPresent(bio, forKey: .bio)
            try container.encodeIfPresent(offLimits, forKey: .offLimits)
            try container.encodeIfPresent(meetingFrequency, forKey: .meetingFrequency)
            try container.encodeIfPresent(formality, forKey: .formality)
        }
        static var example: ProfilePatch {
            var patch = ProfilePatch()
            patch.name = "Ana Silva"; patch.email = "ana@example.org"; patch.department = "Data"; patch.company = "Acme"
            patch.level = 3; patch.managerId = .some(UUID()); patch.location = "Lisbon"; patch.timezone = "Europe/Lisbon"
            patch.languages = ["pt"]; patch.strengths = [.example]; patch.wants = [.example]; patch.interests = ["cycling"]
            patch.availability = [.example]; patch.bio = ""; patch.offLimits = ["weekends"]; patch.meetingFrequency = "monthly"
            patch.formality = "informal"
            return patch
        }
    }
    struct SkillRequest: APIBody {
        let name: String
        let family: String
        static var example: SkillRequest { SkillRequest(name: "SQL", family: "Data") }
    }
    struct AliasRequest: APIBody {
        let alias: String
        static var example: AliasRequest { AliasRequest(alias: "Structured Query Language") }
    }
    struct MergeRequest: APIBody {
        let into: UUID
        static var example: MergeRequest { MergeRequest(into: UUID()) }
    }
    struct SkillBody: APIBody {
        let id: UUID, slug: String, name: String, family: String, aliases: [String], teachers: Int, learners: Int
        static var example: SkillBody {
            SkillBody(id: UUID(), slug: "sql", name: "SQL", family: "Data", aliases: ["Structured Query Language"], teachers: 3, learners: 5)
        }
    }
    struct DemandBody: APIBody {
        let skillId: UUID, name: String, family: String, teachers: Int, learners: Int, gap: Int
        static var example: DemandBody { DemandBody(skillId: UUID(), name: "SQL", family: "Data", teachers: 3, learners: 5, gap: 2) }
    }

    // MARK: People

    @Sendable func listPeople(_ request: Request, _ context: SignedInContext) async throws -> PageBody {
        let query = try PeoplePages.query(from: PeoplePages.parameters(request))
        let page = try await store.searchPeople(query, of: context.identity)
        let items = page.entries.map { entry in
            DirectoryEntryBody(
                id: entry.id, externalId: entry.externalID, name: entry.name, department: entry.department, level: entry.level,
                timezone: entry.timeZone, languages: entry.languages,
                strengths: entry.strengths.map { SkillLevelBody(skill: $0.name, level: $0.level) },
                wants: entry.wants.map { SkillLevelBody(skill: $0.name, level: $0.level) })
        }
        return PageBody(
            items: items, total: page.total, totalEstimate: page.totalEstimate, next: page.next, page: page.page, pageSize: page.pageSize,
            notes: page.notes)
    }

    @Sendable func getPerson(_ request: Request, _ context: SignedInContext) async throws -> ProfileBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        return ProfileBody(try await store.profile(personID: id, of: context.identity))
    }

    @Sendable func updatePerson(_ request: Request, _ context: SignedInContext, _ input: APIInput<ProfilePatch>) async throws -> ProfileBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let current = try await store.profile(personID: id, of: context.identity)
        guard store.canEditProfile(personID: id, by: context.identity) else {
            throw StoreError.forbidden(message: "You can edit your own profile; only an admin can edit someone else's.")
        }
        // The route is open to participants (everyone edits their own profile), so the route
        // table lets a write token through; editing someone else is admin work and needs the
        // admin scope, as the admin-only routes do.
        if id != context.identity.personID, let scope = context.apiTokenScope, scope != .admin {
            throw StoreError.forbidden(
                message: "Editing someone else's profile needs an API token with the admin scope; this token has the \(scope.rawValue) scope. An admin can create an admin token under Account → API tokens (/account/tokens).")
        }
        let patch = try await input.read()
        var windows: [AvailabilityWindow] = current.availability
        if let availability = patch.availability {
            windows = try availability.enumerated().map { index, window in
                guard let start = AvailabilityWindow.minutes(window.start), let end = AvailabilityWindow.minutes(window.end) else {
                    throw APIProblem(
                        status: .unprocessableContent, title: "Invalid value", detail: "availability[\(index)] needs start and end as HH:MM.",
                        field: "availability[\(index)]")
                }
                return AvailabilityWindow(weekday: window.weekday, startMinute: start, endMinute: end)
            }
        }
        let update = ProfileUpdate(
            name: patch.name ?? current.name, email: patch.email ?? current.email, department: patch.department ?? current.department,
            company: patch.company ?? current.company, level: patch.level ?? current.level,
            managerID: patch.managerId ?? current.managerID, location: patch.location ?? current.location,
            timeZone: patch.timezone ?? current.timeZone, languages: patch.languages ?? current.languages,
            strengths: patch.strengths.map { $0.map { ($0.skill, $0.level) } } ?? current.strengths.map { ($0.name, $0.level) },
            wants: patch.wants.map { $0.map { ($0.skill, $0.level) } } ?? current.wants.map { ($0.name, $0.level) },
            interests: patch.interests ?? current.interests, availability: windows, bio: patch.bio ?? current.bio,
            offLimits: patch.offLimits ?? current.offLimits, meetingFrequency: patch.meetingFrequency ?? current.meetingFrequency,
            formality: patch.formality ?? current.formality)
        return ProfileBody(try await store.updateProfile(personID: id, with: update, by: context.identity))
    }

    // MARK: Skills

    @Sendable func listSkills(_ request: Request, _ context: SignedInContext) async throws -> ItemList<SkillBody> {
        ItemList(items: try await store.skills(of: context.identity).map(SkillBody.init))
    }

    private func skillBody(_ id: UUID, _ context: SignedInContext) async throws -> SkillBody {
        guard let skill = try await store.skills(of: context.identity).first(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "skill")
        }
        return SkillBody(skill)
    }

    @Sendable func createSkill(_ request: Request, _ context: SignedInContext, _ input: APIInput<SkillRequest>) async throws -> SkillBody {
        let body = try await input.read()
        let skill = try await store.createSkill(name: body.name, family: body.family, by: context.identity)
        return try await skillBody(try skill.requireID(), context)
    }

    @Sendable func addAlias(_ request: Request, _ context: SignedInContext, _ input: APIInput<AliasRequest>) async throws -> SkillBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        try await store.addAlias(try await input.read().alias, toSkill: id, by: context.identity)
        return try await skillBody(id, context)
    }

    @Sendable func mergeSkill(_ request: Request, _ context: SignedInContext, _ input: APIInput<MergeRequest>) async throws -> SkillBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        let into = try await input.read().into
        // The skill in the path is what this call is about; a missing target is a wrong field.
        guard try await store.skills(of: context.identity).contains(where: { $0.id == into }) else {
            throw APIProblem(
                status: .unprocessableContent, title: "Invalid value",
                detail: "No skill with the id in \"into\" exists in your organisation; GET /api/v1/skills lists them.", field: "into")
        }
        try await store.mergeSkill(id, into: into, by: context.identity)
        return try await skillBody(into, context)
    }

    @Sendable func skillsMap(_ request: Request, _ context: SignedInContext) async throws -> ItemList<DemandBody> {
        let demand = try await store.skillsMap(of: context.identity)
        return ItemList(items: demand.map {
            DemandBody(skillId: $0.skillID, name: $0.name, family: $0.family, teachers: $0.teachers, learners: $0.learners, gap: $0.gap)
        })
    }
}

extension PeopleAPI.SkillBody {
    init(_ skill: SkillSummary) {
        self.init(
            id: skill.id, slug: skill.slug, name: skill.name, family: skill.family, aliases: skill.aliases, teachers: skill.teachers,
            learners: skill.learners)
    }
}

extension PeopleAPI.ProfileBody {
    init(_ profile: Profile) {
        self.init(
            id: profile.id, externalId: profile.externalID, name: profile.name, email: profile.email, department: profile.department,
            company: profile.company, level: profile.level, managerId: profile.managerID, location: profile.location,
            timezone: profile.timeZone, languages: profile.languages,
            strengths: profile.strengths.map { PeopleAPI.SkillLevelBody(skill: $0.name, level: $0.level) },
            wants: profile.wants.map { PeopleAPI.SkillLevelBody(skill: $0.name, level: $0.level) }, interests: profile.interests,
            availability: profile.availability.map {
                PeopleAPI.WindowBody(weekday: $0.weekday, start: AvailabilityWindow.clock($0.startMinute), end: AvailabilityWindow.clock($0.endMinute))
            },
            bio: profile.bio, offLimits: profile.offLimits, meetingFrequency: profile.meetingFrequency, formality: profile.formality)
    }
}
