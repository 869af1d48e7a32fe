import Foundation
import Hummingbird
import MutualStore

/// `GET /calendar/<secret>.ics`: a person's meetings as iCalendar, for calendar apps that
/// subscribe to it. No session: the secret in the path is the credential, so the request log
/// leaves it out (``RequestLogMiddleware``). An unknown or rotated secret answers 404.
struct CalendarFeedRoute: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.open(.get, Store.calendarFeedPath + ":feed", feed)
    }

    @Sendable func feed(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let file = context.parameters.get("feed") ?? ""
        guard file.hasSuffix(".ics"), let calendar = try await store.calendarFeed(secret: String(file.dropLast(4))) else {
            return Response(
                status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string:
                            "There is no calendar feed at this address: it may have been replaced with a new one. Copy the current address in Mutual under My profile → Calendar feed.\n"
                    )))
        }
        return Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "inline; filename=\"mutual.ics\""],
            body: .init(byteBuffer: ByteBuffer(string: calendar)))
    }
}
