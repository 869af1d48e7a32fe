import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/people` and `/api/v1/skills`: the directory, profiles and the taxonomy.
struct PeopleAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/people", role: .participant, listPeople)
        routes.member(.get, "/api/v1/people/:id", role: .participant, getPerson)
        routes.member(.patch, "/api/v1/people/:id", role: .participant, updatePerson)
        routes.member(.get, "/api/v1/skills", role: .participant, listSkills)
        routes.member(.post, "/api/v1/skills", role: .admin, createSkill)
        routes.member(.post, "/api/v1/skills/:id/aliases", role: .admin, addAlias)
        routes.member(.post, "/api/v1/skills/:id/merge", role: .admin, mergeSkill)
        routes.member(.get, "/api/v1/skills/map", role: .programmeManager, skillsMap)
    }

    // MARK: Shapes

    struct PageBody: Encodable {
        let items: [DirectoryEntry], total: Int, page: Int, pageSize: Int, notes: [String]
        enum CodingKeys: String, CodingKey { case items, total, page, notes, pageSize = "page_size" }
    }
    struct SkillLevelBody: Codable { let skill: String; let level: Int }
    struct WindowBody: Codable { let weekday: Int; let start: String; let end: String }
    struct ProfileBody: Encodable {
        let id: UUID, externalID: String, name: String, email: String?, department: String, company: String, level: Int
        let managerID: UUID?, location: String, timezone: String, languages: [String]
        let strengths: [SkillLevelBody], wants: [SkillLevelBody], interests: [String], availability: [WindowBody]
        let bio: String, offLimits: [String], meetingFrequency: String, formality: String
        enum CodingKeys: String, CodingKey {
            case id, name, email, department, company, level, location, timezone, languages, strengths, wants, interests, availability, bio, formality
            case externalID = "external_id", managerID = "manager_id", offLimits = "off_limits", meetingFrequency = "meeting_frequency"
        }
        init(_ profile: Profile) {
            id = profile.id; externalID = profile.externalID; name = profile.name; email = profile.email
            department = profile.department; company = profile.company; level = profile.level; managerID = profile.managerID
            location = profile.location; timezone = profile.timeZone; languages = profile.languages
            strengths = profile.strengths.map { SkillLevelBody(skill: $0.name, level: $0.level) }
            wants = profile.wants.map { SkillLevelBody(skill: $0.name, level: $0.level) }
            interests = profile.interests
            availability = profile.availability.map {
                WindowBody(weekday: $0.weekday, start: AvailabilityWindow.clock($0.startMinute), end: AvailabilityWindow.clock($0.endMinute))
            }
            bio = profile.bio; offLimits = profile.offLimits; meetingFrequency = profile.meetingFrequency; formality = profile.formality
        }
    }
    /// Every field optional: what is absent stays as it is. `manager_id: null` removes the manager.
    struct ProfilePatch: Decodable {
        var name: String?, email: String?, department: String?, company: String?, level: Int?
        var managerID: UUID??
        var location: String?, timezone: String?, languages: [String]?
        var strengths: [SkillLevelBody]?, wants: [SkillLevelBody]?, interests: [String]?, availability: [WindowBody]?
        var bio: String?, offLimits: [String]?, meetingFrequency: String?, formality: String?
        enum CodingKeys: String, CodingKey {
            case name, email, department, company, level, location, timezone, languages, strengths, wants, interests, availability, bio, formality
            case managerID = "manager_id", offLimits = "off_limits", meetingFrequency = "meeting_frequency"
        }
        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            email = try container.decodeIfPresent(String.self, forKey: .email)
            department = try container.decodeIfPresent(String.self, forKey: .department)
            company = try container.decodeIfPresent(String.self, forKey: .company)
            level = try container.decodeIfPresent(Int.self, forKey: .level)
            if container.contains(.managerID) {
                managerID = .some(try container.decodeNil(forKey: .managerID) ? nil : try container.decode(UUID.self, forKey: .managerID))
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
        static let keys: Set<String> = [
            "name", "email", "department", "company", "level", "manager_id", "location", "timezone", "languages", "strengths", "wants",
            "interests", "availability", "bio", "off_limits", "meeting_frequency", "formality",
        ]
    }
    struct ListBody<Item: Encodable>: Encodable { let items: [Item] }
    struct SkillRequest: Decodable { let name: String; let family: String }
    struct AliasRequest: Decodable { let alias: String }
    struct MergeRequest: Decodable { let into: UUID }
    struct SkillBody: Encodable {
        let id: UUID, slug: String, name: String, family: String, aliases: [String], teachers: Int, learners: Int
    }
    struct DemandBody: Encodable {
        let skillID: UUID, name: String, family: String, teachers: Int, learners: Int, gap: Int
        enum CodingKeys: String, CodingKey { case name, family, teachers, learners, gap, skillID = "skill_id" }
    }

    // MARK: People

    @Sendable func listPeople(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let query = try PeoplePages.query(from: PeoplePages.parameters(request))
        let page = try await store.searchPeople(query, of: context.identity)
        return try JSONBody.response(PageBody(items: page.entries, total: page.total, page: page.page, pageSize: page.pageSize, notes: page.notes))
    }

    @Sendable func getPerson(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        return try JSONBody.response(ProfileBody(try await store.profile(personID: id, of: context.identity)))
    }

    @Sendable func updatePerson(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let current = try await store.profile(personID: id, of: context.identity)
        guard store.canEditProfile(personID: id, by: context.identity) else {
            throw StoreError.forbidden(message: "You can edit your own profile; only an admin can edit someone else's.")
        }
        let patch = try await JSONBody.decode(ProfilePatch.self, from: request, context: context, allowedKeys: ProfilePatch.keys)
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
            managerID: patch.managerID ?? current.managerID, location: patch.location ?? current.location,
            timeZone: patch.timezone ?? current.timeZone, languages: patch.languages ?? current.languages,
            strengths: patch.strengths.map { $0.map { ($0.skill, $0.level) } } ?? current.strengths.map { ($0.name, $0.level) },
            wants: patch.wants.map { $0.map { ($0.skill, $0.level) } } ?? current.wants.map { ($0.name, $0.level) },
            interests: patch.interests ?? current.interests, availability: windows, bio: patch.bio ?? current.bio,
            offLimits: patch.offLimits ?? current.offLimits, meetingFrequency: patch.meetingFrequency ?? current.meetingFrequency,
            formality: patch.formality ?? current.formality)
        return try JSONBody.response(ProfileBody(try await store.updateProfile(personID: id, with: update, by: context.identity)))
    }

    // MARK: Skills

    @Sendable func listSkills(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let skills = try await store.skills(of: context.identity)
        return try JSONBody.response(
            ListBody(items: skills.map {
                SkillBody(id: $0.id, slug: $0.slug, name: $0.name, family: $0.family, aliases: $0.aliases, teachers: $0.teachers, learners: $0.learners)
            }))
    }

    private func skillBody(_ id: UUID, _ context: SignedInContext) async throws -> SkillBody {
        guard let skill = try await store.skills(of: context.identity).first(where: { $0.id == id }) else {
            throw StoreError.notFound(what: "skill")
        }
        return SkillBody(
            id: skill.id, slug: skill.slug, name: skill.name, family: skill.family, aliases: skill.aliases, teachers: skill.teachers,
            learners: skill.learners)
    }

    @Sendable func createSkill(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let input = try await JSONBody.decode(SkillRequest.self, from: request, context: context, allowedKeys: ["name", "family"])
        let skill = try await store.createSkill(name: input.name, family: input.family, by: context.identity)
        return try JSONBody.response(try await skillBody(try skill.requireID(), context), status: .created)
    }

    @Sendable func addAlias(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        let input = try await JSONBody.decode(AliasRequest.self, from: request, context: context, allowedKeys: ["alias"])
        try await store.addAlias(input.alias, toSkill: id, by: context.identity)
        return try JSONBody.response(try await skillBody(id, context))
    }

    @Sendable func mergeSkill(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "skill")
        let input = try await JSONBody.decode(MergeRequest.self, from: request, context: context, allowedKeys: ["into"])
        try await store.mergeSkill(id, into: input.into, by: context.identity)
        return try JSONBody.response(try await skillBody(input.into, context))
    }

    @Sendable func skillsMap(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let demand = try await store.skillsMap(of: context.identity)
        return try JSONBody.response(
            ListBody(items: demand.map {
                DemandBody(skillID: $0.skillID, name: $0.name, family: $0.family, teachers: $0.teachers, learners: $0.learners, gap: $0.gap)
            }))
    }
}
