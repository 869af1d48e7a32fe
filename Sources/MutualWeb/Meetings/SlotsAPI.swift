import Foundation
import Hummingbird
import MutualStore

/// `GET /api/v1/relationships/{id}/slots`: the common free slots of a relationship's members
/// over the next 14 days (``Store/suggestedSlots(relationshipID:durationMinutes:of:)``).
struct SlotsAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/relationships/:id/slots", role: .participant, slots)
    }

    struct SlotBody: APIBody {
        let startsAt: Date, endsAt: Date
        /// Minutes from the slot to the nearest edge of anyone's availability (at most 720).
        let comfortMinutes: Int
        static var example: SlotBody {
            SlotBody(startsAt: Date(timeIntervalSince1970: 1_796_720_400), endsAt: Date(timeIntervalSince1970: 1_796_723_100), comfortMinutes: 210)
        }
    }
    struct SlotMemberBody: APIBody {
        let personId: UUID, name: String, timeZone: String
        static var example: SlotMemberBody { SlotMemberBody(personId: UUID(), name: "Ana Silva", timeZone: "Asia/Kolkata") }
    }
    struct SlotListBody: APIBody {
        let items: [SlotBody]
        let durationMinutes: Int
        /// The span searched: now to 14 days later.
        let from: Date, to: Date
        /// Members with no availability in their profile, for whom Monday to Friday 09:00–17:00
        /// in their own zone was assumed.
        let membersWithoutAvailability: [SlotMemberBody]
        static var example: SlotListBody {
            SlotListBody(
                items: [.example], durationMinutes: 45, from: Date(timeIntervalSince1970: 1_796_688_000),
                to: Date(timeIntervalSince1970: 1_797_897_600), membersWithoutAvailability: [.example])
        }
    }

    @Sendable func slots(_ request: Request, _ context: SignedInContext) async throws -> SlotListBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let text = request.uri.queryParameters.get("duration_minutes")
        guard let minutes = SlotDuration.minutes(text) else {
            // Someone else's relationship is "not found" whatever the query says.
            _ = try await store.relationship(id: id, of: context.identity)
            throw SlotDuration.refusal(text)
        }
        let found = try await store.suggestedSlots(relationshipID: id, durationMinutes: minutes, of: context.identity)
        return SlotListBody(
            items: found.slots.map { SlotBody(startsAt: $0.startsAt, endsAt: $0.endsAt, comfortMinutes: $0.comfortMinutes) },
            durationMinutes: found.durationMinutes, from: found.from, to: found.to,
            membersWithoutAvailability: found.membersWithoutAvailability.map {
                SlotMemberBody(personId: $0.personID, name: $0.name, timeZone: $0.timeZone.identifier)
            })
    }
}
