import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/me/calendar`: the caller's private calendar feed URL, and replacing it.
struct CalendarAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/me/calendar", role: .participant, show)
        routes.api(.post, "/api/v1/me/calendar/rotate", role: .participant, rotate)
    }

    /// The feed's address: absolute, with the secret in it. Anyone who has it can read the
    /// person's meetings, so it is shown only to its owner.
    struct CalendarFeedBody: APIBody {
        let url: String
        static var example: CalendarFeedBody { CalendarFeedBody(url: "https://mutual.example.org/calendar/3q2-7wEe9lQ.ics") }
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> CalendarFeedBody {
        CalendarFeedBody(url: try await store.calendarFeedURL(of: context.identity))
    }

    @Sendable func rotate(_ request: Request, _ context: SignedInContext) async throws -> CalendarFeedBody {
        CalendarFeedBody(url: try await store.rotateCalendarFeed(of: context.identity))
    }
}
