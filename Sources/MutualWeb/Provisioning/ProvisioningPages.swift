import Foundation
import Hummingbird
import MutualStore

/// Admin → Provisioning (`/admin/provisioning`): the organisation's SCIM token (made, rotated
/// and revoked here; its secret shown once) and what to paste into Okta or Microsoft Entra ID.
struct ProvisioningPages: Sendable {
    let store: Store
    let pages: PageRenderer
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.member(.get, "/admin/provisioning", role: .admin, show)
        routes.member(.post, "/admin/provisioning/token", role: .admin, create)
        routes.member(.post, "/admin/provisioning/token/rotate", role: .admin, rotate)
        routes.member(.post, "/admin/provisioning/token/revoke", role: .admin, revoke)
    }

    struct Page {
        let page: PageChrome
        let scimBaseURL: String
        let hasToken: Bool
        let tokenPrefix: String, tokenCreated: String, tokenLastUsed: String
        var newToken = "", status = "", error = ""
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("provisioning", try await page(context))
    }

    @Sendable func create(_ request: Request, _ context: SignedInContext) async throws -> Response {
        do {
            let secret = try await store.createSCIMToken(by: context.identity)
            var model = try await page(context)
            model.newToken = secret
            model.status = "The provisioning token is made. Copy it now into your identity provider: it is shown only once."
            return try pages.render("provisioning", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await page(context)
            model.error = error.errorDescription ?? ""
            return try pages.render("provisioning", model, status: .conflict)
        }
    }

    @Sendable func rotate(_ request: Request, _ context: SignedInContext) async throws -> Response {
        do {
            let secret = try await store.rotateSCIMToken(by: context.identity)
            var model = try await page(context)
            model.newToken = secret
            model.status = "The provisioning token has a new secret and the old one no longer works. Paste the new one into your identity provider now: it is shown only once."
            return try pages.render("provisioning", model)
        } catch StoreError.notFound {
            var model = try await page(context)
            model.error = "There is no provisioning token to rotate. Create one first."
            return try pages.render("provisioning", model, status: .notFound)
        }
    }

    @Sendable func revoke(_ request: Request, _ context: SignedInContext) async throws -> Response {
        do {
            try await store.revokeSCIMToken(by: context.identity)
            var model = try await page(context)
            model.status = "The provisioning token is revoked: your identity provider can no longer change people in Mutual. Create a new token to start again."
            return try pages.render("provisioning", model)
        } catch StoreError.notFound {
            var model = try await page(context)
            model.error = "There is no provisioning token to revoke."
            return try pages.render("provisioning", model, status: .notFound)
        }
    }

    private func page(_ context: SignedInContext) async throws -> Page {
        let token = try await store.scimToken(of: context.identity)
        return Page(
            page: pages.chrome(title: "Provisioning", context: context, current: "provisioning"),
            scimBaseURL: "\(baseURL)/scim/v2", hasToken: token != nil, tokenPrefix: token?.prefix ?? "",
            tokenCreated: token.map { MemberPages.dateFormatter.string(from: $0.createdAt) } ?? "",
            tokenLastUsed: token?.lastUsedAt.map { MemberPages.dateFormatter.string(from: $0) } ?? "never")
    }
}
