import Foundation
import Hummingbird
import MutualStore

/// My profile → Calendar feed: the person's private feed URL, how to subscribe to it in Google,
/// Outlook and Apple Calendar, and a button that replaces it with a new one.
struct CalendarPages: Sendable {
    static let path = "/profile/calendar"

    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, Self.path, role: .participant, show)
        routes.member(.post, Self.path + "/rotate", role: .participant, rotate)
    }

    struct CalendarPage {
        let page: PageChrome
        let url: String
        /// The same address with `webcal://`, which Apple Calendar and Outlook open as a subscription.
        let webcalURL: String
        var status = ""
    }

    private func page(_ context: SignedInContext, url: String, status: String = "") -> CalendarPage {
        CalendarPage(
            page: pages.chrome(title: "Calendar feed", context: context, current: "profile"), url: url,
            webcalURL: Self.webcal(url), status: status)
    }

    /// `webcal://host/…` for an `http(s)://` address (what calendar apps open as a subscription).
    static func webcal(_ url: String) -> String {
        for scheme in ["https://", "http://"] where url.hasPrefix(scheme) {
            return "webcal://" + url.dropFirst(scheme.count)
        }
        return url
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("calendar", page(context, url: try await store.calendarFeedURL(of: context.identity)))
    }

    @Sendable func rotate(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let url = try await store.rotateCalendarFeed(of: context.identity)
        return try pages.render(
            "calendar",
            page(
                context, url: url,
                status: "Your calendar feed has a new address, shown below. The old one no longer works: remove it from your calendar app and subscribe to the new one."
            ))
    }
}
