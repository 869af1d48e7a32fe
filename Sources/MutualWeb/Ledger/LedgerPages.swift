import Foundation
import Hummingbird
import MutualStore

/// The log form of one meeting (`/meetings/:id/log`), made for a phone: a few rows of skills
/// taught and learned (name, slug or alias, with the taxonomy's names as suggestions), a
/// usefulness rating and a commitment; and "I've grown" for the skills the member is learning.
struct LedgerPages: Sendable {
    let store: Store
    let pages: PageRenderer

    /// Rows the form offers each way, beyond those already logged.
    static let blankRows = 2
    static let minimumRows = 3

    func register(on routes: RouteTable) {
        routes.member(.get, "/meetings/:id/log", role: .participant, show)
        routes.member(.post, "/meetings/:id/log", role: .participant, save)
        routes.member(.post, "/meetings/:id/level", role: .participant, raise)
    }

    struct Row { let index: Int, skill: String, note: String }
    struct Option { let value: String, label: String, selected: Bool }
    struct Want { let index: Int, skill: String, level: Int, options: [Option] }
    struct MeetingLogModel {
        let page: PageChrome
        let meetingID: String, relationshipID: String, when: String, others: String
        /// Why the form is not offered (cancelled, not started, not a member); empty when it is.
        let refusal: String
        let taught: [Row], learned: [Row], ratings: [Option], commitment: String
        let skillNames: [String], hasLog: Bool, loggedAt: String
        let wants: [Want], hasWants: Bool, growth: [String], hasGrowth: Bool
        var notice = "", error = ""
    }

    /// What the member typed, kept when the form comes back with an error.
    struct Typed {
        var taught: [MeetingLogDraft.Item]
        var learned: [MeetingLogDraft.Item]
        var rating: Int?
        var commitment: String
    }

    private func model(_ context: SignedInContext, id: UUID, typed: Typed? = nil) async throws -> MeetingLogModel {
        let (meeting, relationship) = try await store.meeting(id: id, of: context.identity)
        let profile = try await store.profile(personID: context.identity.personID, of: context.identity)
        let zone = Store.timeZone(named: profile.timeZone)
        let refusal = try await store.logRefusal(meetingID: id, of: context.identity) ?? ""
        let existing = try await store.meetingLog(meetingID: id, personID: context.identity.personID, of: context.identity)
        let current = typed ?? Typed(
            taught: existing?.taught.map { .init(skill: $0.skill, note: $0.note) } ?? [],
            learned: existing?.learned.map { .init(skill: $0.skill, note: $0.note) } ?? [], rating: existing?.rating,
            commitment: existing?.commitment ?? "")
        func rows(_ items: [MeetingLogDraft.Item]) -> [Row] {
            let count = max(Self.minimumRows, items.count + Self.blankRows)
            return (0..<count).map { index in
                index < items.count ? Row(index: index, skill: items[index].skill, note: items[index].note) : Row(index: index, skill: "", note: "")
            }
        }
        let ratings = [Option(value: "", label: "No rating", selected: current.rating == nil)]
            + (1...5).map { Option(value: String($0), label: Self.ratingLabel($0), selected: current.rating == $0) }
        let wants = profile.wants.enumerated().compactMap { index, want -> Want? in
            guard want.level < Store.highestWantLevel else { return nil }
            let options = ((want.level + 1)...Store.highestWantLevel).map { Option(value: String($0), label: "Level \($0)", selected: $0 == want.level + 1) }
            return Want(index: index, skill: want.name, level: want.level, options: options)
        }
        let growth = try await store.skillLevelChanges(personID: context.identity.personID, of: context.identity).map {
            "\($0.skill): level \($0.fromLevel) → \($0.toLevel) on \(LedgerSection.day($0.changedAt, zone: zone))"
        }
        return MeetingLogModel(
            page: pages.chrome(title: "Log a meeting", context: context, current: "matches"), meetingID: id.uuidString,
            relationshipID: relationship.id.uuidString,
            when: MeetingTimeText.describe(meeting.startsAt, durationMinutes: meeting.durationMinutes, in: zone),
            others: relationship.members.filter { !$0.isViewer }.map(\.name).joined(separator: ", "), refusal: refusal,
            taught: rows(current.taught), learned: rows(current.learned), ratings: ratings, commitment: current.commitment,
            skillNames: try await store.skillNames(of: context.identity), hasLog: existing != nil,
            loggedAt: existing.map { LedgerSection.day($0.loggedAt, zone: zone) } ?? "", wants: wants, hasWants: !wants.isEmpty,
            growth: growth, hasGrowth: !growth.isEmpty)
    }

    static func ratingLabel(_ rating: Int) -> String {
        switch rating {
        case 1: "1 – not useful"
        case 5: "5 – very useful"
        default: String(rating)
        }
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        var model = try await model(context, id: id)
        switch request.uri.queryParameters.get("done") {
        case "logged": model.notice = Self.loggedNotice
        case "grown":
            // The newest raise is the one the form just made (the history is newest first).
            if let change = try await store.skillLevelChanges(personID: context.identity.personID, of: context.identity).first {
                model.notice = "Well done: \(change.skill) is now at level \(change.toLevel) on your profile."
            }
        default: break
        }
        return try pages.render("meeting-log", model)
    }

    static let loggedNotice = "Logged. Thank you: it is on your relationship's ledger."

    /// Where a successful form post sends the browser (303), so a reload shows the page again
    /// instead of posting the form a second time.
    static func afterSuccess(meetingID: UUID, done: String) -> Response {
        .redirect(to: "/meetings/\(meetingID)/log?done=\(done)", type: .normal)
    }

    @Sendable func save(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        // Another organisation's or someone else's meeting is "not found" before any field is read.
        _ = try await store.meeting(id: id, of: context.identity)
        let form = context.form
        let ratingText = (form["rating"] ?? "").trimmingCharacters(in: .whitespaces)
        let typed = Typed(
            taught: Self.items(skills: form.all("taught_skill"), notes: form.all("taught_note")),
            learned: Self.items(skills: form.all("learned_skill"), notes: form.all("learned_note")),
            rating: Int(ratingText), commitment: form["commitment"] ?? "")
        do {
            guard ratingText.isEmpty || typed.rating != nil else {
                throw StoreError.invalid(field: "rating", message: "Choose a rating from 1 to 5, or “No rating”.")
            }
            try await store.logMeeting(
                id: id, MeetingLogDraft(taught: typed.taught, learned: typed.learned, rating: typed.rating, commitment: typed.commitment),
                by: context.identity)
        } catch let error as StoreError where error.isInputProblem || Self.isStateProblem(error) {
            var model = try await model(context, id: id, typed: typed)
            model.error = error.errorDescription ?? ""
            return try pages.render("meeting-log", model, status: APIProblem(error).status)
        }
        return Self.afterSuccess(meetingID: id, done: "logged")
    }

    @Sendable func raise(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        _ = try await store.meeting(id: id, of: context.identity)
        let skill = context.form["skill"] ?? ""
        do {
            guard let level = Int(context.form["level"] ?? "") else {
                throw StoreError.invalid(field: "level", message: "Choose the level you have reached.")
            }
            _ = try await store.raiseSkillLevel(skill, to: level, afterMeeting: id, by: context.identity)
            return Self.afterSuccess(meetingID: id, done: "grown")
        } catch let error as StoreError where error.isInputProblem || Self.isStateProblem(error) {
            var model = try await model(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("meeting-log", model, status: APIProblem(error).status)
        }
    }

    /// Blank rows are left out; a note without a skill is kept so the member is told.
    static func items(skills: [String], notes: [String]) -> [MeetingLogDraft.Item] {
        skills.indices.compactMap { index in
            let skill = skills[index].trimmingCharacters(in: .whitespacesAndNewlines)
            let note = index < notes.count ? notes[index] : ""
            guard !skill.isEmpty || !note.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return MeetingLogDraft.Item(skill: skill, note: note)
        }
    }

    /// A cancelled or future meeting, or a non-member: shown on the page rather than as an error page.
    static func isStateProblem(_ error: StoreError) -> Bool {
        switch error {
        case .conflict, .forbidden: true
        default: false
        }
    }
}
