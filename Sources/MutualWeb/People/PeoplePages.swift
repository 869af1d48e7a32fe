import Foundation
import Hummingbird
import MutualStore

/// The directory, profiles and profile editing.
struct PeoplePages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/people", role: .participant, directory)
        routes.member(.get, "/profile", role: .participant, ownProfile)
        routes.member(.get, "/people/:id", role: .participant, showProfile)
        routes.member(.get, "/people/:id/edit", role: .participant, editProfile)
        routes.member(.post, "/people/:id/edit", role: .participant, saveProfile)
    }

    // MARK: Directory

    struct Option { let value: String, label: String, selected: Bool }
    struct EntryRow {
        let id: String, name: String, department: String, level: Int, timeZone: String, languages: String
        let strengths: String, wants: String
    }
    struct DirectoryPageModel {
        let page: PageChrome
        let text: String, skill: String, want: String
        let levels: [Option], minimumLevels: [Option], departments: [Option], timeZones: [Option], languages: [Option]
        let entries: [EntryRow]
        let hasEntries: Bool
        let summary: String
        let notes: [String]
        /// Links to the first and the next page ("" when there is none).
        let first: String, next: String
        let hasPager: Bool
    }

    static func query(from parameters: [String: String]) throws -> DirectoryQuery {
        // A filter longer than the field it filters can match nothing; the limits are the
        // stored fields' (TextLimits), as the OpenAPI document states them.
        func filter(_ name: String, _ label: String, limit: Int) throws -> String {
            try InputRules.optionalText(parameters[name], field: name, label: label, maxLength: limit)
        }
        var query = DirectoryQuery()
        query.text = try filter("q", "the search text", limit: TextLimits.name)
        query.skill = try filter("skill", "the skill", limit: TextLimits.skillName)
        query.minimumLevel = try ProfileForm.integer(parameters["min_level"], field: "min_level", label: "The minimum level") ?? 1
        query.want = try filter("want", "the wanted skill", limit: TextLimits.skillName)
        query.department = try filter("department", "the department", limit: TextLimits.department)
        query.level = try ProfileForm.integer(parameters["level"], field: "level", label: "The level")
        query.timeZone = try filter("timezone", "the time zone", limit: TextLimits.timeZone)
        query.language = try filter("language", "the language", limit: TextLimits.listItem)
        // Bounded: the offset is (page - 1) × page size, which overflowed (and stopped the
        // server) for a page near Int.max.
        query.page = try Paging.number(parameters["page"], field: "page", default: 1, range: 1...1_000_000)
        // `limit` and `after` (keyset paging); `page_size` and `page` are the older names,
        // still accepted for one release.
        let sizeField = parameters["limit"] != nil ? "limit" : "page_size"
        query.pageSize = try Paging.limit(parameters[sizeField], field: sizeField, default: 25, range: 1...100)
        if let after = try Paging.after(parameters["after"]) {
            query.after = try KeysetCursor(decoding: after).encoded
        }
        guard (1...5).contains(query.minimumLevel) else {
            throw StoreError.invalid(field: "min_level", message: "The minimum level must be from 1 to 5.")
        }
        return query
    }

    static func parameters(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    @Sendable func directory(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let parameters = Self.parameters(request)
        let query = try Self.query(from: parameters)
        let result = try await store.searchPeople(query, of: context.identity)
        let facets = try await store.directoryFacets(of: context.identity)
        func options(_ values: [String], selected: String, any: String) -> [Option] {
            [Option(value: "", label: any, selected: selected.isEmpty)] + values.map { Option(value: $0, label: $0, selected: $0 == selected) }
        }
        /// The same search with other paging: `after` for the next page, nothing for the first.
        func link(after: String?) -> String {
            var items = parameters.filter { !$0.value.isEmpty && $0.key != "page" && $0.key != "after" }.sorted { $0.key < $1.key }
            if let after { items.append(("after", after)) }
            guard !items.isEmpty else { return "/people" }
            return "/people?" + items.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
        }
        let shown = result.entries.count
        let isLaterPage = query.after != nil || result.page > 1
        let count: String
        if let total = result.total {
            count = total == 1 ? "1 person" : "\(total.formatted()) people"
        } else {
            count = "about \((result.totalEstimate ?? 0).formatted()) people"
        }
        let summary: String
        if shown == 0 {
            summary = isLaterPage ? "No more people match these filters." : "Nobody matches these filters."
        } else {
            summary = "Showing \(shown) of \(count), by name\(isLaterPage ? " (a later page)" : "")."
        }
        return try pages.render(
            "directory",
            DirectoryPageModel(
                page: pages.chrome(title: "Directory", context: context, current: "people"),
                text: query.text, skill: query.skill, want: query.want,
                levels: [Option(value: "", label: "Any level", selected: query.level == nil)]
                    + (0...10).map { Option(value: String($0), label: "Level \($0)", selected: query.level == $0) },
                minimumLevels: (1...5).map { Option(value: String($0), label: "\($0) or more", selected: query.minimumLevel == $0) },
                departments: options(facets.departments, selected: query.department, any: "Any department"),
                timeZones: options(facets.timeZones, selected: query.timeZone, any: "Any time zone"),
                languages: options(facets.languages, selected: query.language, any: "Any language"),
                entries: result.entries.map { entry in
                    EntryRow(
                        id: entry.id.uuidString, name: entry.name, department: entry.department, level: entry.level,
                        timeZone: entry.timeZone, languages: entry.languages.joined(separator: ", "),
                        strengths: entry.strengths.map { "\($0.name) \($0.level)" }.joined(separator: ", "),
                        wants: entry.wants.map(\.name).joined(separator: ", "))
                },
                hasEntries: shown > 0,
                summary: summary,
                notes: result.notes,
                first: isLaterPage ? link(after: nil) : "",
                next: result.next.map { link(after: $0) } ?? "",
                hasPager: isLaterPage || result.next != nil))
    }

    // MARK: Profile

    struct SkillRow { let name: String, family: String, level: Int, levelWord: String }
    struct ProfilePageModel {
        let page: PageChrome
        let id: String, name: String, email: String, department: String, company: String, level: Int
        let managerName: String, managerID: String, location: String, timeZone: String, languages: String
        let strengths: [SkillRow], wants: [SkillRow], interests: String, availability: [String], bio: String
        let offLimits: String, meetingFrequency: String, formality: String
        let canEdit: Bool, isOwn: Bool, hasStrengths: Bool, hasWants: Bool, hasAvailability: Bool
        let status: String
        /// An admin looking at someone else: offers "Erase this person…".
        var canErase = false
    }

    static let strengthWords = ["", "beginner", "developing", "capable", "strong", "expert"]

    @Sendable func ownProfile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        .redirect(to: "/people/\(context.identity.personID)", type: .normal)
    }

    @Sendable func showProfile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let profile = try await store.profile(personID: id, of: context.identity)
        var model = profileModel(profile, context: context, status: request.uri.queryParameters.get("saved") == nil ? "" : "Profile saved.")
        model.canErase = context.identity.role >= .admin && id != context.identity.personID
        return try pages.render("profile", model)
    }

    private func profileModel(_ profile: Profile, context: SignedInContext, status: String) -> ProfilePageModel {
        ProfilePageModel(
            page: pages.chrome(title: profile.name, context: context, current: profile.id == context.identity.personID ? "profile" : "people"),
            id: profile.id.uuidString, name: profile.name, email: profile.email ?? "", department: profile.department,
            company: profile.company, level: profile.level, managerName: profile.managerName ?? "",
            managerID: profile.managerID?.uuidString ?? "", location: profile.location, timeZone: profile.timeZone,
            languages: profile.languages.joined(separator: ", "),
            strengths: profile.strengths.map { SkillRow(name: $0.name, family: $0.family, level: $0.level, levelWord: Self.strengthWords[max(0, min(5, $0.level))]) },
            wants: profile.wants.map { SkillRow(name: $0.name, family: $0.family, level: $0.level, levelWord: "") },
            interests: profile.interests.joined(separator: ", "), availability: profile.availability.map(\.description),
            bio: profile.bio, offLimits: profile.offLimits.joined(separator: ", "), meetingFrequency: profile.meetingFrequency,
            formality: profile.formality, canEdit: store.canEditProfile(personID: profile.id, by: context.identity),
            isOwn: profile.id == context.identity.personID, hasStrengths: !profile.strengths.isEmpty,
            hasWants: !profile.wants.isEmpty, hasAvailability: !profile.availability.isEmpty, status: status)
    }

    // MARK: Editing

    struct LevelOption { let value: Int, label: String, selected: Bool }
    struct EditSkillRow { let index: Int, skill: String, levels: [LevelOption] }
    struct DayOption { let value: String, label: String, selected: Bool }
    struct EditWindowRow { let index: Int, days: [DayOption], start: String, end: String }
    struct ChoiceOption { let value: String, label: String, selected: Bool }
    struct EditPageModel {
        let page: PageChrome
        let id: String, name: String, email: String, department: String, company: String, level: String
        let manager: String, location: String, timeZone: String, languages: String, interests: String, bio: String
        let offLimits: String
        let strengths: [EditSkillRow], wants: [EditSkillRow], availability: [EditWindowRow]
        let frequencies: [ChoiceOption], formalities: [ChoiceOption]
        let error: String
        let errorField: String
    }

    private func editModel(
        context: SignedInContext, id: UUID, name: String, email: String, department: String, company: String, level: String,
        manager: String, location: String, timeZone: String, languages: String, interests: String, bio: String, offLimits: String,
        strengths: [(String, Int)], wants: [(String, Int)], availability: [(Int, String, String)], frequency: String,
        formality: String, error: String = "", errorField: String = ""
    ) -> EditPageModel {
        func rows(_ entries: [(String, Int)], range: ClosedRange<Int>, blank: Int) -> [EditSkillRow] {
            let padded = entries + Array(repeating: ("", blank), count: 3)
            return padded.enumerated().map { index, entry in
                EditSkillRow(index: index, skill: entry.0, levels: range.map { LevelOption(value: $0, label: "\($0)", selected: $0 == entry.1) })
            }
        }
        let windows = availability + Array(repeating: (0, "", ""), count: 2)
        return EditPageModel(
            page: pages.chrome(title: "Edit \(name)", context: context, current: id == context.identity.personID ? "profile" : "people"),
            id: id.uuidString, name: name, email: email, department: department, company: company, level: level, manager: manager,
            location: location, timeZone: timeZone, languages: languages, interests: interests, bio: bio, offLimits: offLimits,
            strengths: rows(strengths, range: 1...5, blank: 3), wants: rows(wants, range: 0...4, blank: 0),
            availability: windows.enumerated().map { index, window in
                EditWindowRow(
                    index: index,
                    days: [DayOption(value: "", label: "Day", selected: window.0 == 0)]
                        + (1...7).map { DayOption(value: String($0), label: AvailabilityWindow.weekdayNames[$0 - 1], selected: $0 == window.0) },
                    start: window.1, end: window.2)
            },
            frequencies: ProfileUpdate.meetingFrequencies.map { ChoiceOption(value: $0, label: $0.isEmpty ? "No preference" : $0.capitalized, selected: $0 == frequency) },
            formalities: ProfileUpdate.formalities.map { ChoiceOption(value: $0, label: $0.isEmpty ? "No preference" : $0.capitalized, selected: $0 == formality) },
            error: error, errorField: errorField)
    }

    @Sendable func editProfile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let profile = try await store.profile(personID: id, of: context.identity)
        guard store.canEditProfile(personID: id, by: context.identity) else {
            throw StoreError.forbidden(message: "You can edit your own profile; only an admin can edit someone else's.")
        }
        var managerReference = ""
        if let managerID = profile.managerID {
            managerReference = (try? await store.profile(personID: managerID, of: context.identity).externalID) ?? ""
        }
        return try pages.render(
            "profile-edit",
            editModel(
                context: context, id: id, name: profile.name, email: profile.email ?? "", department: profile.department,
                company: profile.company, level: String(profile.level), manager: managerReference, location: profile.location,
                timeZone: profile.timeZone, languages: profile.languages.joined(separator: ", "),
                interests: profile.interests.joined(separator: ", "), bio: profile.bio, offLimits: profile.offLimits.joined(separator: ", "),
                strengths: profile.strengths.map { ($0.name, $0.level) }, wants: profile.wants.map { ($0.name, $0.level) },
                availability: profile.availability.map { ($0.weekday, AvailabilityWindow.clock($0.startMinute), AvailabilityWindow.clock($0.endMinute)) },
                frequency: profile.meetingFrequency, formality: profile.formality))
    }

    @Sendable func saveProfile(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        _ = try await store.profile(personID: id, of: context.identity)
        guard store.canEditProfile(personID: id, by: context.identity) else {
            throw StoreError.forbidden(message: "You can edit your own profile; only an admin can edit someone else's.")
        }
        let form = context.form
        do {
            var managerID: UUID?
            let managerReference = (form["manager"] ?? "").trimmingCharacters(in: .whitespaces)
            if !managerReference.isEmpty {
                guard let manager = try await store.findPerson(reference: managerReference, of: context.identity) else {
                    throw StoreError.invalid(field: "manager", message: "Nobody in your organisation has the id or email \"\(managerReference)\". Enter your manager's directory id or email, or leave it empty.")
                }
                managerID = manager.id
            }
            let update = ProfileUpdate(
                name: form["name"] ?? "", email: form["email"], department: form["department"] ?? "", company: form["company"] ?? "",
                level: try ProfileForm.integer(form["level"], field: "level", label: "Seniority level") ?? 0, managerID: managerID,
                location: form["location"] ?? "", timeZone: form["timezone"] ?? "", languages: ProfileForm.list(form["languages"]),
                strengths: try ProfileForm.skillRows(skills: form.all("strength_skill"), levels: form.all("strength_level"), field: "strengths"),
                wants: try ProfileForm.skillRows(skills: form.all("want_skill"), levels: form.all("want_level"), field: "wants"),
                interests: ProfileForm.list(form["interests"]),
                availability: try ProfileForm.availability(days: form.all("availability_day"), starts: form.all("availability_start"), ends: form.all("availability_end")),
                bio: form["bio"] ?? "", offLimits: ProfileForm.list(form["off_limits"]), meetingFrequency: form["meeting_frequency"] ?? "",
                formality: form["formality"] ?? "")
            _ = try await store.updateProfile(personID: id, with: update, by: context.identity)
            return .redirect(to: "/people/\(id)?saved=1", type: .normal)
        } catch let error as StoreError {
            guard case .invalid = error else {
                if case .conflict = error {} else { throw error }
                return try rerender(context: context, id: id, error: error)
            }
            return try rerender(context: context, id: id, error: error)
        }
    }

    private func rerender(context: SignedInContext, id: UUID, error: StoreError) throws -> Response {
        let form = context.form
        func pairs(_ skills: [String], _ levels: [String]) -> [(String, Int)] {
            skills.enumerated().compactMap { index, skill in
                skill.trimmingCharacters(in: .whitespaces).isEmpty ? nil : (skill, Int(index < levels.count ? levels[index] : "") ?? 0)
            }
        }
        let days = form.all("availability_day"), starts = form.all("availability_start"), ends = form.all("availability_end")
        let windows: [(Int, String, String)] = days.enumerated().compactMap { index, day in
            let start = index < starts.count ? starts[index] : "", end = index < ends.count ? ends[index] : ""
            return day.isEmpty && start.isEmpty && end.isEmpty ? nil : (Int(day) ?? 0, start, end)
        }
        return try pages.render(
            "profile-edit",
            editModel(
                context: context, id: id, name: form["name"] ?? "", email: form["email"] ?? "", department: form["department"] ?? "",
                company: form["company"] ?? "", level: form["level"] ?? "", manager: form["manager"] ?? "", location: form["location"] ?? "",
                timeZone: form["timezone"] ?? "", languages: form["languages"] ?? "", interests: form["interests"] ?? "",
                bio: form["bio"] ?? "", offLimits: form["off_limits"] ?? "",
                strengths: pairs(form.all("strength_skill"), form.all("strength_level")), wants: pairs(form.all("want_skill"), form.all("want_level")),
                availability: windows, frequency: form["meeting_frequency"] ?? "", formality: form["formality"] ?? "",
                error: error.errorDescription ?? "\(error)", errorField: error.field ?? ""),
            status: APIProblem(error).status)
    }
}
