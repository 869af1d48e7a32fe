import Foundation
import Hummingbird
import MutualStore

/// Each person's email choices (`/profile/email`, `GET`/`PUT /api/v1/me/email-preferences`)
/// and the one-click unsubscribe link every non-essential message carries (RFC 8058: a `GET`
/// shows a confirmation page, because link scanners open links; a `POST` unsubscribes, which is
/// what mail clients send for `List-Unsubscribe-Post: List-Unsubscribe=One-Click`).
struct EmailPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/profile/email", role: .participant, show)
        routes.member(.post, "/profile/email", role: .participant, save)
        routes.api(.get, "/api/v1/me/email-preferences", role: .participant, getPreferences)
        routes.api(.put, "/api/v1/me/email-preferences", role: .participant, reads: PreferencesBody.self, putPreferences)
        routes.open(.get, "/email/unsubscribe/:person/:category/:signature", showUnsubscribe)
        routes.open(.post, "/email/unsubscribe/:person/:category/:signature", unsubscribe)
    }

    // MARK: Preferences

    struct Choice { let value: String, label: String, enabled: Bool }
    struct PreferencesPage {
        let page: PageChrome
        let choices: [Choice]
        var status = ""
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("email-preferences", try await model(context))
    }

    @Sendable func save(_ request: Request, _ context: SignedInContext) async throws -> Response {
        var enabled = Set(EmailCategory.optional.filter { context.form[$0.rawValue] == "on" })
        // A category the page did not offer keeps its setting.
        if context.identity.role == .participant, try await store.emailPreferences(of: context.identity)[.programmes] ?? true {
            enabled.insert(.programmes)
        }
        try await store.setEmailPreferences(enabled, of: context.identity)
        var model = try await model(context)
        model.status = "Saved. You will get only the email you chose; invitations and sign-in messages always arrive."
        return try pages.render("email-preferences", model)
    }

    private func model(_ context: SignedInContext) async throws -> PreferencesPage {
        let preferences = try await store.emailPreferences(of: context.identity)
        return PreferencesPage(
            page: pages.chrome(title: "Email", context: context, current: "profile"),
            // Only managers get programme email, so only they are asked about it.
            choices: EmailCategory.optional.filter { $0 != .programmes || context.identity.role != .participant }
                .map { Choice(value: $0.rawValue, label: $0.label, enabled: preferences[$0] ?? true) })
    }

    /// `GET`/`PUT /api/v1/me/email-preferences`: each optional category and whether it is received.
    struct PreferencesBody: APIBody {
        var matches: Bool
        var relationships: Bool
        var programmes: Bool
        /// Meeting invitations; left out of a `PUT`, it keeps its setting.
        var meetings: Bool?
        /// The hourly digest of relationship messages; left out of a `PUT`, it keeps its setting.
        var messages: Bool?
        /// Morning nudges; left out of a `PUT`, it keeps its setting.
        var nudges: Bool?
        /// Feedback requests and their reminder; left out of a `PUT`, it keeps its setting.
        var feedback: Bool?
        static var example: PreferencesBody {
            PreferencesBody(matches: true, relationships: true, programmes: false, meetings: true, messages: true, nudges: true, feedback: true)
        }
    }

    @Sendable func getPreferences(_ request: Request, _ context: SignedInContext) async throws -> PreferencesBody {
        let preferences = try await store.emailPreferences(of: context.identity)
        return PreferencesBody(
            matches: preferences[.matches] ?? true, relationships: preferences[.relationships] ?? true,
            programmes: preferences[.programmes] ?? true, meetings: preferences[.meetings] ?? true, messages: preferences[.messages] ?? true,
            nudges: preferences[.nudges] ?? true, feedback: preferences[.feedback] ?? true)
    }

    @Sendable func putPreferences(
        _ request: Request, _ context: SignedInContext, _ input: APIInput<PreferencesBody>
    ) async throws -> PreferencesBody {
        let body = try await input.read()
        var enabled = Set<EmailCategory>()
        if body.matches { enabled.insert(.matches) }
        if body.relationships { enabled.insert(.relationships) }
        if body.programmes { enabled.insert(.programmes) }
        // A category left out keeps its current setting, so clients written before it existed change nothing.
        let current = try await store.emailPreferences(of: context.identity)
        if body.meetings ?? current[.meetings] ?? true { enabled.insert(.meetings) }
        if body.messages ?? current[.messages] ?? true { enabled.insert(.messages) }
        if body.nudges ?? current[.nudges] ?? true { enabled.insert(.nudges) }
        if body.feedback ?? current[.feedback] ?? true { enabled.insert(.feedback) }
        try await store.setEmailPreferences(enabled, of: context.identity)
        return try await getPreferences(request, context)
    }

    // MARK: Unsubscribe

    struct UnsubscribePage {
        let page: PageChrome
        let action: String, categoryLabel: String
        var done = false, error = ""
    }

    private func link(_ context: AppRequestContext) throws -> (UUID, EmailCategory, String) {
        guard let personText = context.parameters.get("person"), let person = UUID(uuidString: personText),
            let category = context.parameters.get("category").flatMap(EmailCategory.init(rawValue:)),
            let signature = context.parameters.get("signature")
        else {
            throw Store.invalidUnsubscribeLink
        }
        return (person, category, signature)
    }

    @Sendable func showUnsubscribe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (person, category, signature) = try link(context)
        // A forged or altered link says so before anyone clicks, not after.
        guard store.isUnsubscribeLink(personID: person, category: category, signature: signature) else {
            throw Store.invalidUnsubscribeLink
        }
        return try pages.render(
            "unsubscribe",
            UnsubscribePage(page: pages.chrome(title: "Unsubscribe", context: context), action: request.uri.path, categoryLabel: category.label))
    }

    @Sendable func unsubscribe(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let (person, category, signature) = try link(context)
        _ = try await store.unsubscribe(personID: person, category: category, signature: signature)
        return try pages.render(
            "unsubscribe",
            UnsubscribePage(
                page: pages.chrome(title: "Unsubscribed", context: context), action: request.uri.path, categoryLabel: category.label, done: true))
    }
}
