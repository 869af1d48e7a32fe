import Foundation
import Hummingbird
import MutualStore

/// Scheduling a relationship's meetings (one, or a series on the agreement's cadence), and one
/// meeting's page: when it is in everyone's own time zone, where, the agenda, and reschedule
/// or cancel for the members.
struct MeetingPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/relationships/:id/meetings/new", role: .participant, newMeeting)
        routes.member(.post, "/relationships/:id/meetings", role: .participant, schedule)
        routes.member(.get, "/meetings/:id", role: .participant, show)
        routes.member(.post, "/meetings/:id", role: .participant, change)
        routes.member(.post, "/meetings/:id/cancel", role: .participant, cancel)
    }

    struct Option { let value: String, label: String, selected: Bool }
    struct LocalTime { let name: String, zone: String, when: String, isViewer: Bool }

    struct ScheduleModel {
        let page: PageChrome
        let relationshipID: String, programme: String, others: String, zone: String
        let startsAt: String, duration: String, place: String, agenda: String
        let repeatOptions: [Option], cadence: String, hasCadence: Bool
        var error = "", errorField = ""
    }

    struct MeetingModel {
        let page: PageChrome
        let id: String, relationshipID: String, programme: String, others: String
        let when: String, localTimes: [LocalTime], place: String, placeIsLink: Bool, agenda: [String], agendaText: String, hasAgenda: Bool
        /// Changing is for meetings still to come; a meeting that has started is logged instead.
        let cancelled: Bool, cancelNote: String, canChange: Bool, canLog: Bool, isPast: Bool
        let startsAt: String, duration: String, zone: String
        var notice = "", error = "", errorField = ""
    }

    static let notices = [
        "scheduled": "Meeting scheduled. Everyone in it gets an invitation by email.",
        "series": "Meetings scheduled. Everyone in them gets the invitations by email.",
        "changed": "Meeting changed. Everyone gets the update by email and in their calendar.",
        "cancelled": "Meeting cancelled. Everyone is told by email and their calendars show it cancelled.",
    ]

    // MARK: Scheduling

    private func scheduleModel(
        _ context: SignedInContext, relationshipID: UUID, values: [String: String] = [:]
    ) async throws -> ScheduleModel {
        let relationship = try await store.relationship(id: relationshipID, of: context.identity)
        let zone = try await store.timeZone(of: context.identity)
        // A sensible first guess: tomorrow at 10:00 in the member's own zone.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let tomorrow = calendar.date(byAdding: .day, value: 1, to: store.clock.now) ?? store.clock.now
        let start = calendar.date(bySettingHour: 10, minute: 0, second: 0, of: tomorrow) ?? tomorrow
        let startValue = values["starts_at"] ?? MeetingTimeText.localInputValue(start, zone)
        let agenda: String
        if let given = values["agenda"] {
            agenda = given
        } else {
            agenda = try await store.suggestedAgenda(for: relationshipID, startsAt: start, of: context.identity)
        }
        let repeats = values["repeats"] ?? "1"
        let cadence = relationship.meetingCadence
        let repeatOptions = [1, 3, 6, 12].map { count in
            Option(
                value: String(count), label: count == 1 ? "Just this meeting" : "\(count) meetings, \(cadence?.description.lowercased() ?? "")",
                selected: String(count) == repeats)
        }
        return ScheduleModel(
            page: pages.chrome(title: "Schedule a meeting", context: context, current: "matches"), relationshipID: relationshipID.uuidString,
            programme: relationship.programmeName, others: Self.others(relationship), zone: zone.identifier, startsAt: startValue,
            duration: values["duration_minutes"] ?? "45", place: values["place"] ?? "", agenda: agenda,
            repeatOptions: cadence == nil ? Array(repeatOptions.prefix(1)) : repeatOptions, cadence: cadence?.description ?? "",
            hasCadence: cadence != nil)
    }

    @Sendable func newMeeting(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return try pages.render("meeting-new", try await scheduleModel(context, relationshipID: id))
    }

    @Sendable func schedule(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let form = context.form
        do {
            let zone = try await store.timeZone(of: context.identity)
            let draft = MeetingDraft(
                startsAt: try Self.start(form["starts_at"], zone: zone), durationMinutes: try Self.minutes(form["duration_minutes"]),
                place: form["place"] ?? "", agenda: form["agenda"] ?? "")
            let repeats = Int(form["repeats"] ?? "1") ?? 0
            let made = try await store.scheduleMeetings(in: id, draft, repeats: repeats, by: context.identity)
            guard let first = made.first else { throw StoreError.invalid(field: "repeats", message: "Choose how many meetings to schedule.") }
            return .redirect(to: "/meetings/\(first.id)?done=\(made.count > 1 ? "series" : "scheduled")", type: .normal)
        } catch let error as StoreError where error.isInputProblem {
            var values: [String: String] = [:]
            for key in ["starts_at", "duration_minutes", "place", "agenda", "repeats"] { values[key] = form[key] ?? "" }
            var model = try await scheduleModel(context, relationshipID: id, values: values)
            model.error = error.errorDescription ?? ""
            model.errorField = error.field ?? ""
            return try pages.render("meeting-new", model, status: APIProblem(error).status)
        }
    }

    // MARK: One meeting

    private func meetingModel(_ context: SignedInContext, id: UUID, values: [String: String] = [:]) async throws -> MeetingModel {
        let (meeting, relationship) = try await store.meeting(id: id, of: context.identity)
        let zone = try await store.timeZone(of: context.identity)
        let now = store.clock.now
        let placeIsLink = meeting.place.lowercased().hasPrefix("https://") || meeting.place.lowercased().hasPrefix("http://")
        return MeetingModel(
            page: pages.chrome(title: "Meeting", context: context, current: "matches"), id: id.uuidString,
            relationshipID: relationship.id.uuidString, programme: relationship.programmeName, others: Self.others(relationship),
            when: MeetingTimeText.describe(meeting.startsAt, durationMinutes: meeting.durationMinutes, in: zone),
            localTimes: relationship.members.map { member in
                let memberZone = Store.timeZone(named: member.timeZone)
                return LocalTime(
                    name: member.name, zone: memberZone.identifier,
                    when: MeetingTimeText.describe(meeting.startsAt, durationMinutes: meeting.durationMinutes, in: memberZone), isViewer: member.isViewer)
            },
            place: meeting.place, placeIsLink: placeIsLink,
            agenda: meeting.agenda.split(separator: "\n", omittingEmptySubsequences: false).map(String.init),
            agendaText: values["agenda"] ?? meeting.agenda, hasAgenda: !meeting.agenda.isEmpty, cancelled: meeting.status == .cancelled, cancelNote: meeting.cancelNote,
            canChange: relationship.viewerIsMember && relationship.status.isOpen && meeting.status == .scheduled && meeting.startsAt > now,
            canLog: relationship.viewerIsMember && meeting.status == .scheduled && meeting.startsAt <= now,
            isPast: meeting.endsAt <= now,
            startsAt: values["starts_at"] ?? MeetingTimeText.localInputValue(meeting.startsAt, zone),
            duration: values["duration_minutes"] ?? String(meeting.durationMinutes), zone: zone.identifier)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        var model = try await meetingModel(context, id: id)
        if let done = request.uri.queryParameters.get("done"), let notice = Self.notices[done] { model.notice = notice }
        return try pages.render("meeting", model)
    }

    @Sendable func change(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        _ = try await store.meeting(id: id, of: context.identity)
        let form = context.form
        var values: [String: String] = [:]
        for key in ["starts_at", "duration_minutes", "place", "agenda"] { values[key] = form[key] }
        return try await perform(context, id: id, values: values, done: "changed") {
            let zone = try await store.timeZone(of: context.identity)
            let change = MeetingChange(
                startsAt: try form["starts_at"].map { try Self.start($0, zone: zone) },
                durationMinutes: try form["duration_minutes"].map { try Self.minutes($0) }, place: form["place"], agenda: form["agenda"])
            _ = try await store.changeMeeting(id: id, change, by: context.identity)
        }
    }

    @Sendable func cancel(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        _ = try await store.meeting(id: id, of: context.identity)
        let form = context.form
        return try await perform(context, id: id, values: [:], done: "cancelled") {
            _ = try await store.cancelMeeting(id: id, note: form["note"] ?? "", by: context.identity)
        }
    }

    /// Runs a change; on success back to the meeting page (a fresh GET, so a reload does not
    /// post again), on a problem the page again with what to fix.
    private func perform(
        _ context: SignedInContext, id: UUID, values: [String: String], done: String, _ change: () async throws -> Void
    ) async throws -> Response {
        do {
            try await change()
            return .redirect(to: "/meetings/\(id)?done=\(done)", type: .normal)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await meetingModel(context, id: id, values: values)
            model.error = error.errorDescription ?? ""
            model.errorField = error.field ?? ""
            return try pages.render("meeting", model, status: APIProblem(error).status)
        }
    }

    // MARK: Reading the form

    static func others(_ relationship: RelationshipView) -> String {
        let names = relationship.members.filter { !$0.isViewer }.map(\.name)
        guard let last = names.last else { return "" }
        return names.count == 1 ? last : names.dropLast().joined(separator: ", ") + " and " + last
    }

    static func start(_ text: String?, zone: TimeZone) throws -> Date {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StoreError.invalid(field: "starts_at", message: "Choose when the meeting starts.")
        }
        guard let date = MeetingTimeText.parseStart(text, in: zone) else {
            throw StoreError.invalid(
                field: "starts_at",
                message: "\"\(text)\" is not a start time. Use the date and time picker, or write it like 2026-12-08T10:00 (your time, \(zone.identifier)).")
        }
        return date
    }

    static func minutes(_ text: String?) throws -> Int {
        guard let text, let minutes = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw StoreError.invalid(field: "duration_minutes", message: "Give the length in minutes, e.g. 45.")
        }
        return minutes
    }
}
