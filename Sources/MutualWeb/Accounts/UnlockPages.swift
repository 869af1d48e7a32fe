import Foundation
import Hummingbird
import MutualStore

/// The unlock link emailed to an account's owner after repeated failed sign-ins
/// (`/unlock/:token`). A `GET` only shows a button, because mail scanners open links; the
/// `POST` uses the link up and clears the failures. The secret is left out of the request log.
struct UnlockPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.open(.get, "/unlock/:token", show)
        routes.open(.post, "/unlock/:token", unlock)
    }

    struct UnlockPage {
        let page: PageChrome
        let email: String, token: String
    }

    @Sendable func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let (_, login) = try await store.pendingLoginLink(token: token, purpose: .unlock)
        return try pages.render("unlock", UnlockPage(page: pages.chrome(title: "Unlock your account", context: context), email: login.email, token: token))
    }

    @Sendable func unlock(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await store.unlock(token: context.parameters.get("token") ?? "")
        return .redirect(to: "/sign-in?unlocked=done", type: .normal)
    }
}
