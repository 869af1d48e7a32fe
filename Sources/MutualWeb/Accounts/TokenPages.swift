import Foundation
import Hummingbird
import MutualStore

/// Account → API tokens: the only place tokens are made (a signed-in browser session with a
/// CSRF-checked form; the API cannot make tokens), with a scope and a lifetime.
struct TokenPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/account/tokens", role: .participant, showTokens)
        routes.member(.post, "/account/tokens", role: .participant, createToken)
        routes.member(.post, "/account/tokens/:id/revoke", role: .participant, revokeToken)
    }

    /// The lifetimes the form offers, in days; `never` is a token without expiry.
    static let lifetimes: [(value: String, label: String, days: Int?)] = [
        ("7", "7 days", 7), ("30", "30 days", 30), ("90", "90 days", 90), ("365", "1 year", 365), ("never", "Never expires", nil),
    ]
    /// What the form offers first: a token that does not outlive its purpose by default.
    static let defaultLifetime = "90"

    struct Choice { let value: String, label: String, selected: Bool }
    struct TokenRow {
        let id: String, name: String, prefix: String, scope: String, created: String, expires: String, expired: Bool, lastUsed: String
    }
    struct TokensPage {
        let page: PageChrome
        let tokens: [TokenRow]
        let hasTokens: Bool
        let scopes: [Choice]
        let lifetimes: [Choice]
        var newSecret = "", error = ""
    }

    private func tokensPage(
        _ context: SignedInContext, newSecret: String = "", error: String = "", scope: String? = nil, lifetime: String? = nil
    ) async throws -> TokensPage {
        let tokens = try await store.apiTokens(of: context.identity)
        let now = store.clock.now
        let chosenScope = scope ?? APITokenScope.default(for: context.identity.role).rawValue
        let chosenLifetime = lifetime ?? Self.defaultLifetime
        var model = TokensPage(
            page: pages.chrome(title: "API tokens", context: context, current: "tokens"),
            tokens: tokens.map {
                TokenRow(
                    id: $0.id?.uuidString ?? "", name: $0.name, prefix: $0.prefix, scope: $0.scope.label,
                    created: MemberPages.dateFormatter.string(from: $0.createdAt),
                    expires: $0.expiresAt.map { MemberPages.dateFormatter.string(from: $0) } ?? "never",
                    expired: $0.isExpired(at: now),
                    lastUsed: $0.lastUsedAt.map { MemberPages.dateFormatter.string(from: $0) } ?? "never")
            },
            hasTokens: !tokens.isEmpty,
            scopes: APITokenScope.offered(to: context.identity.role).map {
                Choice(value: $0.rawValue, label: "\($0.label): \($0.explanation)", selected: $0.rawValue == chosenScope)
            },
            lifetimes: Self.lifetimes.map { Choice(value: $0.value, label: $0.label, selected: $0.value == chosenLifetime) })
        model.newSecret = newSecret
        model.error = error
        return model
    }

    @Sendable func showTokens(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("tokens", try await tokensPage(context))
    }

    @Sendable func createToken(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let scopeText = context.form["scope"]
        let lifetimeText = context.form["expires_in"]
        do {
            let scope = try Self.scope(scopeText)
            let expiresAt = try Self.expiry(lifetimeText, from: store.clock.now)
            let issued = try await store.createAPIToken(
                named: context.form["name"] ?? "", scope: scope, expiresAt: expiresAt, for: context.identity)
            return try pages.render("tokens", try await tokensPage(context, newSecret: issued.secret))
        } catch let error as StoreError {
            return try pages.render(
                "tokens", try await tokensPage(context, error: error.errorDescription ?? "", scope: scopeText, lifetime: lifetimeText),
                status: APIProblem(error).status)
        }
    }

    @Sendable func revokeToken(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "API token")
        try await store.revokeAPIToken(id: id, of: context.identity)
        return .redirect(to: "/account/tokens", type: .normal)
    }

    /// The chosen scope; a form without one gets the default for the member's role.
    static func scope(_ text: String?) throws -> APITokenScope? {
        guard let text, !text.isEmpty else { return nil }
        guard let scope = APITokenScope(rawValue: text) else {
            throw StoreError.invalid(field: "scope", message: "Choose what the token may do: read, write or admin.")
        }
        return scope
    }

    /// When a token made now with the chosen lifetime expires (nil: never); a form without a
    /// choice gets the default lifetime.
    static func expiry(_ text: String?, from now: Date) throws -> Date? {
        let value = (text?.isEmpty ?? true) ? defaultLifetime : text!
        guard let lifetime = lifetimes.first(where: { $0.value == value }) else {
            throw StoreError.invalid(field: "expires_in", message: "Choose how long the token lasts from the list: 7, 30, 90 or 365 days, or never.")
        }
        return lifetime.days.map { now.addingTimeInterval(TimeInterval($0) * 86_400) }
    }
}
