import Foundation
import Hummingbird
import MutualStore

/// Privacy pages (issue 17, point 4): a person's own data and account deletion
/// (`/account/privacy`), the admin's retention settings, pending deletion requests and the
/// organisation export (`/admin/privacy`), and erasing a person (`/people/:id/erase`).
struct PrivacyPages: Sendable {
    static let accountPath = "/account/privacy"
    static let adminPath = "/admin/privacy"

    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, Self.accountPath, role: .participant, showAccount)
        routes.member(.get, "/account/privacy/export", role: .participant, downloadOwnData)
        routes.member(.post, "/account/privacy/deletion", role: .participant, requestDeletion)
        routes.member(.post, "/account/privacy/deletion/cancel", role: .participant, cancelDeletion)
        routes.member(.get, Self.adminPath, role: .admin, showAdmin)
        routes.member(.post, Self.adminPath, role: .admin, saveRetention)
        routes.member(.post, "/admin/privacy/deletion-requests/:id/confirm", role: .admin, confirmDeletion)
        routes.member(.get, "/admin/privacy/export", role: .admin, downloadOrganisation)
        routes.member(.get, "/people/:id/erase", role: .admin, showErase)
        routes.member(.post, "/people/:id/erase", role: .admin, erase)
    }

    // MARK: The person's own page

    struct AccountPage {
        let page: PageChrome
        let pending: Bool
        let dueOn: String
        var status = "", error = ""
    }

    private func accountPage(_ context: SignedInContext, status: String = "", error: String = "") async throws -> AccountPage {
        let open = try await store.deletionRequest(of: context.identity)
        return AccountPage(
            page: pages.chrome(title: "Your data and account", context: context, current: "privacy"),
            pending: open != nil, dueOn: open.map { Self.day($0.dueAt) } ?? "", status: status, error: error)
    }

    @Sendable func showAccount(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("account-privacy", try await accountPage(context))
    }

    @Sendable func downloadOwnData(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await Self.personalExportResponse(store: store, identity: context.identity)
    }

    /// The personal export as a JSON download (shared with `GET /api/v1/me/export`).
    static func personalExportResponse(store: Store, identity: Identity) async throws -> Response {
        let json = try await store.personalExport(of: identity)
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .contentDisposition: "attachment; filename=\"mutual-my-data.json\"", .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }

    @Sendable func requestDeletion(_ request: Request, _ context: SignedInContext) async throws -> Response {
        guard context.form["confirm"] == "yes" else {
            return try pages.render(
                "account-privacy",
                try await accountPage(context, error: "Tick “I understand my account will be deleted” to ask for the deletion."),
                status: .unprocessableContent)
        }
        do {
            let view = try await store.requestDeletion(by: context.identity)
            return try pages.render(
                "account-privacy",
                try await accountPage(
                    context,
                    status: "Your account will be deleted on \(Self.day(view.dueAt)). We emailed you the date; you can cancel here until then."))
        } catch let error as StoreError {
            return try pages.render(
                "account-privacy", try await accountPage(context, error: error.errorDescription ?? "\(error)"), status: APIProblem(error).status)
        }
    }

    @Sendable func cancelDeletion(_ request: Request, _ context: SignedInContext) async throws -> Response {
        do {
            try await store.cancelDeletion(by: context.identity)
            return try pages.render("account-privacy", try await accountPage(context, status: "Deletion cancelled. Your account stays as it is."))
        } catch let error as StoreError {
            return try pages.render(
                "account-privacy", try await accountPage(context, error: error.errorDescription ?? "\(error)"), status: APIProblem(error).status)
        }
    }

    // MARK: The admin's page

    struct PendingRow { let id: String, personID: String, name: String, requested: String, due: String }
    struct AdminPage {
        let page: PageChrome
        let feedbackMonths: String
        let mailDays: String
        let pending: [PendingRow]
        let hasPending: Bool
        var status = "", error = "", errorField = ""
    }

    private func adminPage(
        _ context: SignedInContext, months: String? = nil, days: String? = nil, status: String = "", error: String = "", errorField: String = ""
    ) async throws -> AdminPage {
        let settings = try await store.retentionSettings(organisationID: context.identity.organisationID)
        let pending = try await store.pendingDeletionRequests(of: context.identity)
        return AdminPage(
            page: pages.chrome(title: "Privacy", context: context, current: "privacy-admin"),
            feedbackMonths: months ?? settings.feedbackCommentMonths.map(String.init) ?? "",
            mailDays: days ?? settings.sentMailDays.map(String.init) ?? "",
            pending: pending.map {
                PendingRow(
                    id: $0.id.uuidString, personID: $0.personID.uuidString, name: $0.personName, requested: Self.day($0.requestedAt),
                    due: Self.day($0.dueAt))
            },
            hasPending: !pending.isEmpty, status: status, error: error, errorField: errorField)
    }

    @Sendable func showAdmin(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try pages.render("admin-privacy", try await adminPage(context))
    }

    /// A whole number of months or days, or empty for "keep".
    static func period(_ text: String?, field: String, unit: String) throws -> Int? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        guard let value = Int(trimmed) else {
            throw StoreError.invalid(field: field, message: "Give the \(unit) as a whole number (for example 12), or leave it empty to keep everything.")
        }
        return value
    }

    @Sendable func saveRetention(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let months = context.form["feedback_comment_months"], days = context.form["sent_mail_days"]
        do {
            let settings = RetentionSettings(
                feedbackCommentMonths: try Self.period(months, field: "feedback_comment_months", unit: "months"),
                sentMailDays: try Self.period(days, field: "sent_mail_days", unit: "days"))
            try await store.setRetentionSettings(settings, by: context.identity)
            return try pages.render("admin-privacy", try await adminPage(context, status: "Retention settings saved. They apply each night."))
        } catch let error as StoreError {
            return try pages.render(
                "admin-privacy",
                try await adminPage(context, months: months, days: days, error: error.errorDescription ?? "\(error)", errorField: error.field ?? ""),
                status: APIProblem(error).status)
        }
    }

    @Sendable func confirmDeletion(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "deletion request")
        do {
            _ = try await store.confirmDeletion(id, by: context.identity)
            return try pages.render("admin-privacy", try await adminPage(context, status: "The account was deleted and the person erased."))
        } catch let error as StoreError {
            if case .notFound = error { throw error }
            return try pages.render(
                "admin-privacy", try await adminPage(context, error: error.errorDescription ?? "\(error)"), status: APIProblem(error).status)
        }
    }

    @Sendable func downloadOrganisation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        Self.organisationExportResponse(store: store, identity: context.identity)
    }

    /// The organisation export, streamed as it is read (shared with `GET /api/v1/organisation/export`).
    static func organisationExportResponse(store: Store, identity: Identity) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "application/json", .contentDisposition: "attachment; filename=\"mutual-organisation.json\"",
                .cacheControl: "no-store",
            ],
            body: ResponseBody { writer in
                try await store.exportOrganisation(of: identity) { text in
                    try await writer.write(ByteBuffer(string: text))
                }
                try await writer.finish(nil)
            })
    }

    // MARK: Erasing a person

    struct ErasePage {
        let page: PageChrome
        let id: String
        let name: String
        let canErase: Bool
        let refusal: String
        var error = ""
    }

    private func erasePage(_ context: SignedInContext, id: UUID, error: String = "") async throws -> ErasePage {
        let profile = try await store.profile(personID: id, of: context.identity)
        let own = id == context.identity.personID
        return ErasePage(
            page: pages.chrome(title: "Erase \(profile.name)", context: context, current: "people"),
            id: id.uuidString, name: profile.name, canErase: !own,
            refusal: own ? "You cannot erase yourself. Ask another admin, or ask for your account's deletion on Your data and account." : "",
            error: error)
    }

    @Sendable func showErase(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        return try pages.render("person-erase", try await erasePage(context, id: id))
    }

    @Sendable func erase(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let profile = try await store.profile(personID: id, of: context.identity)
        let typed = (context.form["confirm_name"] ?? "").trimmingCharacters(in: .whitespaces)
        guard typed == profile.name else {
            return try pages.render(
                "person-erase",
                try await erasePage(context, id: id, error: "Type the person's name exactly as shown (\(profile.name)) to confirm the erasure."),
                status: .unprocessableContent)
        }
        do {
            _ = try await store.erasePerson(id, by: context.identity)
        } catch let error as StoreError {
            return try pages.render(
                "person-erase", try await erasePage(context, id: id, error: error.errorDescription ?? "\(error)"), status: APIProblem(error).status)
        }
        return try pages.render("admin-privacy", try await adminPage(context, status: "\(profile.name) was erased. They now appear as “a former member”."))
    }

    static func day(_ date: Date) -> String { dayFormatter.string(from: date) }
    static let dayFormatter = UTCDateFormatter.make("d MMMM yyyy")
}
