import Foundation
import Hummingbird
import MutualStore

/// "Find a time" (`/relationships/:id/slots?duration_minutes=45`): the common free slots of a
/// relationship's members in the viewer's time zone, each member's local time beside it, and a
/// button that schedules the slot through the meetings form (`POST /relationships/:id/meetings`).
struct SlotPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/relationships/:id/slots", role: .participant, show)
    }

    struct DurationOption { let value: Int, label: String, selected: Bool }
    struct DefaultNote { let personID: String, name: String, zone: String, isViewer: Bool, editHref: String }
    struct SlotRow {
        let index: Int
        /// RFC 3339 in UTC, what the meetings form reads.
        let startsAt: String
        /// In the viewer's zone.
        let when: String
        /// "Ben: Tuesday 8 December 2026, 15:30–16:15 (Asia/Kolkata)", one per other member.
        let others: [String]
        /// The programme's agenda for a meeting at this time (its template, a group's rotation).
        let agenda: String
    }
    struct FindATimeModel {
        let page: PageChrome
        let id: String
        let durationMinutes: Int, durationLabel: String
        let durations: [DurationOption]
        let everyone: String
        let viewerZone: String
        let defaults: [DefaultNote]
        let slots: [SlotRow], hasSlots: Bool
        let isOpen: Bool, isMember: Bool, canBook: Bool
        let placeLimit: Int, agendaLimit: Int
        var error = ""
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let text = request.uri.queryParameters.get("duration_minutes")
        guard let minutes = SlotDuration.minutes(text) else {
            // Someone else's relationship is "not found" whatever the query says; for a member
            // the page says what to choose, with the usual length picked.
            var model = try await model(context, id: id, minutes: SlotDuration.defaultMinutes)
            model.error = SlotDuration.refusal(text).errorDescription ?? ""
            return try pages.render("find-a-time", model, status: .unprocessableContent)
        }
        return try pages.render("find-a-time", try await model(context, id: id, minutes: minutes))
    }

    private func model(_ context: SignedInContext, id: UUID, minutes: Int) async throws -> FindATimeModel {
        let found = try await store.suggestedSlots(relationshipID: id, durationMinutes: minutes, of: context.identity)
        let others = found.members.filter { !$0.isViewer }
        let names = found.members.map { $0.isViewer ? "you" : $0.name }
        let canBook = found.isOpen && found.viewerIsMember
        let agendas = canBook ? try await store.suggestedAgendas(for: id, startsAt: found.slots.map(\.startsAt), of: context.identity) : []
        let rows = found.slots.enumerated().map { index, slot in
            SlotRow(
                index: index + 1, startsAt: Self.rfc3339(slot.startsAt),
                when: MeetingTimeText.describe(slot.startsAt, durationMinutes: minutes, in: found.viewerTimeZone),
                others: others.map { "\($0.name): \(MeetingTimeText.describe(slot.startsAt, durationMinutes: minutes, in: $0.timeZone))" },
                agenda: canBook ? agendas[index] : "")
        }
        return FindATimeModel(
            page: pages.chrome(title: "Find a time", context: context, current: "matches"), id: id.uuidString, durationMinutes: minutes,
            durationLabel: SlotDuration.label(minutes),
            durations: Store.slotDurations.map { DurationOption(value: $0, label: SlotDuration.label($0), selected: $0 == minutes) },
            everyone: Self.list(names), viewerZone: found.viewerTimeZone.identifier,
            defaults: found.membersWithoutAvailability.map {
                DefaultNote(
                    personID: $0.personID.uuidString, name: $0.name, zone: $0.timeZone.identifier, isViewer: $0.isViewer,
                    editHref: "/people/\($0.personID.uuidString)/edit#availability-day-0")
            },
            slots: rows, hasSlots: !rows.isEmpty, isOpen: found.isOpen, isMember: found.viewerIsMember,
            canBook: canBook, placeLimit: TextLimits.meetingPlace, agendaLimit: TextLimits.meetingAgenda)
    }

    /// "you and Ben", "you, Ana and Ben".
    static func list(_ names: [String]) -> String {
        guard names.count > 1 else { return names.first ?? "" }
        return names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }

    static func rfc3339(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
