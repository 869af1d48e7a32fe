import Foundation
import Hummingbird
import MutualStore

/// The admin's "require single sign-on" setting and its break-glass admin
/// (`/admin/single-sign-on`, linked from Sign-in security). Changes are audited through the
/// `organisation_settings.changed` event.
struct SingleSignOnSettingsPages: Sendable {
    static let path = "/admin/single-sign-on"

    let store: Store
    let pages: PageRenderer
    /// The configured provider's name; nil when `MUTUAL_OIDC_ISSUER` is unset.
    let providerName: String?

    func register(on routes: RouteTable) {
        routes.member(.get, Self.path, role: .admin, show)
        routes.member(.post, Self.path, role: .admin, save)
    }

    struct AdminChoice { let accountID: String, name: String, email: String, selected: Bool }

    struct SettingsPage {
        let page: PageChrome
        let providerName: String
        let configured: Bool
        let required: Bool
        let admins: [AdminChoice]
        let breakGlassName: String
        var status = "", error = ""
    }

    private func settingsPage(_ context: SignedInContext) async throws -> SettingsPage {
        let rule = try await store.singleSignOnRequirement(organisationID: context.identity.organisationID)
        let admins = try await store.members(of: context.identity).filter { $0.role == .admin }
        return SettingsPage(
            page: pages.chrome(title: "Single sign-on", context: context, current: "sign-in-security"),
            providerName: providerName ?? "", configured: providerName != nil, required: rule.required,
            admins: admins.map {
                AdminChoice(accountID: $0.id.uuidString, name: $0.name, email: $0.email, selected: $0.id == rule.breakGlassAccountID)
            },
            breakGlassName: admins.first { $0.id == rule.breakGlassAccountID }?.name ?? "")
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("single-sign-on-settings", try await settingsPage(context))
    }

    @Sendable func save(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let form = context.form
        do {
            let value = form["require_sso"] ?? "false"
            guard value == "true" || value == "false" else {
                throw StoreError.invalid(field: "require_sso", message: "Choose whether single sign-on is required (true or false).")
            }
            let required = value == "true"
            if required && providerName == nil {
                throw StoreError.conflict(
                    field: "require_sso",
                    message: "Single sign-on is not set up on this server, so it cannot be required. Ask whoever runs Mutual to set MUTUAL_OIDC_ISSUER, MUTUAL_OIDC_CLIENT_ID and MUTUAL_OIDC_CLIENT_SECRET first.")
            }
            let rawBreakGlass = form["break_glass_account_id"] ?? ""
            var breakGlass: UUID?
            if !rawBreakGlass.isEmpty {
                guard let id = UUID(uuidString: rawBreakGlass) else {
                    throw StoreError.invalid(field: "break_glass_account_id", message: "Choose the break-glass admin from the list.")
                }
                breakGlass = id
            }
            try await store.setSingleSignOnRequirement(required: required, breakGlassAccountID: breakGlass, by: context.identity)
            var model = try await settingsPage(context)
            model.status = required
                ? "Single sign-on is now required. Only \(model.breakGlassName) can still sign in with a password."
                : "Single sign-on is optional: members may sign in with a password or with \(model.providerName.isEmpty ? "single sign-on" : model.providerName)."
            return try pages.render("single-sign-on-settings", model)
        } catch let error as StoreError {
            var model = try await settingsPage(context)
            model.error = error.errorDescription ?? "\(error)"
            return try pages.render("single-sign-on-settings", model, status: APIProblem(error).status)
        }
    }
}
