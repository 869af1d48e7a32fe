import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/relationships/{id}/meetings` and `/api/v1/meetings/{id}`: schedule (one meeting or
/// a series on the agreement's cadence), read, reschedule or edit, and cancel.
struct MeetingsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/relationships/:id/meetings", role: .participant, list)
        routes.api(.post, "/api/v1/relationships/:id/meetings", role: .participant, reads: ScheduleRequest.self, status: .created, schedule)
        routes.api(.get, "/api/v1/meetings/:id", role: .participant, get)
        routes.api(.patch, "/api/v1/meetings/:id", role: .participant, reads: ChangeRequest.self, change)
        routes.api(.post, "/api/v1/meetings/:id/cancel", role: .participant, reads: CancelRequest.self, cancel)
    }

    // MARK: Shapes

    struct ScheduleRequest: APIBody {
        let startsAt: Date
        let durationMinutes: Int
        let place: String?
        /// Left out or empty: the programme's template (and, for mastermind groups, whose turn it is).
        let agenda: String?
        /// How many meetings to schedule on the agreement's cadence (1 when left out).
        let repeats: Int?
        static var example: ScheduleRequest {
            ScheduleRequest(startsAt: Date(), durationMinutes: 45, place: "https://meet.example/abc", agenda: "SQL window functions", repeats: 1)
        }
    }
    struct ChangeRequest: APIBody {
        let startsAt: Date?
        let durationMinutes: Int?
        let place: String?
        let agenda: String?
        static var example: ChangeRequest {
            ChangeRequest(startsAt: Date(), durationMinutes: 60, place: "Room 4.2", agenda: "Budgets")
        }
    }
    struct CancelRequest: APIBody {
        static var emptyBodyAllowed: Bool { true }
        let note: String?
        static var example: CancelRequest { CancelRequest(note: "Ill today, sorry") }
    }
    struct MeetingBody: APIBody {
        let id: UUID, relationshipId: UUID, startsAt: Date, endsAt: Date, durationMinutes: Int, place: String, agenda: String
        let status: Meeting.Status, cancelNote: String, sequence: Int, seriesId: UUID?, updatedAt: Date
        static var example: MeetingBody {
            MeetingBody(
                id: UUID(), relationshipId: UUID(), startsAt: Date(), endsAt: Date(), durationMinutes: 45, place: "Room 4.2", agenda: "Budgets",
                status: .scheduled, cancelNote: "", sequence: 0, seriesId: UUID(), updatedAt: Date())
        }
    }
    /// The first meeting's fields, and every meeting the request made (one, or the series).
    struct ScheduledBody: APIBody {
        let id: UUID, relationshipId: UUID, startsAt: Date, endsAt: Date, durationMinutes: Int, place: String, agenda: String
        let status: Meeting.Status, sequence: Int, seriesId: UUID?, meetings: [MeetingBody]
        static var example: ScheduledBody {
            ScheduledBody(
                id: UUID(), relationshipId: UUID(), startsAt: Date(), endsAt: Date(), durationMinutes: 45, place: "Room 4.2", agenda: "Budgets",
                status: .scheduled, sequence: 0, seriesId: UUID(), meetings: [.example])
        }
    }

    static func body(_ meeting: MeetingView) -> MeetingBody {
        MeetingBody(
            id: meeting.id, relationshipId: meeting.relationshipID, startsAt: meeting.startsAt, endsAt: meeting.endsAt,
            durationMinutes: meeting.durationMinutes, place: meeting.place, agenda: meeting.agenda, status: meeting.status,
            cancelNote: meeting.cancelNote, sequence: meeting.sequence, seriesId: meeting.seriesID, updatedAt: meeting.updatedAt)
    }

    // MARK: Handlers

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<MeetingBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        return ItemList(items: try await store.meetings(inRelationship: id, of: context.identity).map(Self.body))
    }

    @Sendable func schedule(_ request: Request, _ context: SignedInContext, _ input: APIInput<ScheduleRequest>) async throws -> ScheduledBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        let body = try await input.read()
        let made = try await store.scheduleMeetings(
            in: id, MeetingDraft(startsAt: body.startsAt, durationMinutes: body.durationMinutes, place: body.place ?? "", agenda: body.agenda ?? ""),
            repeats: body.repeats ?? 1, by: context.identity)
        guard let first = made.first else { throw StoreError.invalid(field: "repeats", message: "Schedule at least one meeting.") }
        return ScheduledBody(
            id: first.id, relationshipId: first.relationshipID, startsAt: first.startsAt, endsAt: first.endsAt, durationMinutes: first.durationMinutes,
            place: first.place, agenda: first.agenda, status: first.status, sequence: first.sequence, seriesId: first.seriesID,
            meetings: made.map(Self.body))
    }

    @Sendable func get(_ request: Request, _ context: SignedInContext) async throws -> MeetingBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        return Self.body(try await store.meeting(id: id, of: context.identity).0)
    }

    @Sendable func change(_ request: Request, _ context: SignedInContext, _ input: APIInput<ChangeRequest>) async throws -> MeetingBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        _ = try await store.meeting(id: id, of: context.identity)
        let body = try await input.read()
        let change = MeetingChange(startsAt: body.startsAt, durationMinutes: body.durationMinutes, place: body.place, agenda: body.agenda)
        return Self.body(try await store.changeMeeting(id: id, change, by: context.identity))
    }

    @Sendable func cancel(_ request: Request, _ context: SignedInContext, _ input: APIInput<CancelRequest>) async throws -> MeetingBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        _ = try await store.meeting(id: id, of: context.identity)
        return Self.body(try await store.cancelMeeting(id: id, note: try await input.read().note ?? "", by: context.identity))
    }
}
