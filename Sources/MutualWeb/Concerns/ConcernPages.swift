import Foundation
import Hummingbird
import MutualStore

/// Raising a concern confidentially (`/programmes/:id/concern`, for people taking part), the
/// support contact's list (`/concerns`), and naming the contact from the programme page
/// (`POST /programmes/:id/support-contact`).
struct ConcernPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/programmes/:id/concern", role: .participant, form)
        routes.member(.post, "/programmes/:id/concern", role: .participant, raise)
        routes.member(.get, "/concerns", role: .programmeManager, list)
        routes.member(.post, "/concerns/:id/resolve", role: .programmeManager, resolve)
        routes.member(.post, "/programmes/:id/support-contact", role: .programmeManager, setContact)
    }

    struct Option { let value: String, label: String, selected: Bool }
    struct FormModel {
        let page: PageChrome
        let programmeID: String, programme: String, reader: String, relationships: [Option], hasRelationships: Bool
        var body = "", status = "", error = ""
    }

    private func formModel(_ context: SignedInContext, programmeID: UUID, chosen: String = "") async throws -> FormModel {
        let programme = try await store.programme(id: programmeID, of: context.identity)
        let contact = try await store.supportContact(programmeID: programmeID, of: context.identity)
        // Programme names are unique in an organisation.
        let own = try await store.myRelationships(of: context.identity).filter { $0.programmeName == programme.draft.name }
        let options = [Option(value: "", label: "Not about one relationship", selected: chosen.isEmpty)]
            + own.map { relationship in
                Option(
                    value: relationship.id.uuidString, label: relationship.memberNames.joined(separator: ", ") + " (\(relationship.status.rawValue))",
                    selected: chosen == relationship.id.uuidString)
            }
        return FormModel(
            page: pages.chrome(title: "Raise a concern", context: context, current: "programmes"), programmeID: programmeID.uuidString,
            programme: programme.draft.name, reader: contact.map { "\($0.name), the programme's support contact" } ?? "your organisation's admins (the programme names no support contact)",
            relationships: options, hasRelationships: options.count > 1)
    }

    @Sendable func form(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return try pages.render("concern-new", try await formModel(context, programmeID: id))
    }

    @Sendable func raise(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let text = context.form["body"] ?? ""
        let chosen = context.form["relationship_id"] ?? ""
        do {
            let relationshipID = chosen.isEmpty ? nil : try MemberPages.uuid(chosen, what: "relationship")
            let readers = try await store.raiseConcern(programmeID: id, relationshipID: relationshipID, text: text, by: context.identity)
            var model = try await formModel(context, programmeID: id)
            model.status = "Sent. Only \(readers) will read it; the other members of your relationship are not told."
            return try pages.render("concern-new", model)
        } catch let error as StoreError where error.isInputProblem {
            var model = try await formModel(context, programmeID: id, chosen: chosen)
            model.body = text
            model.error = error.errorDescription ?? ""
            return try pages.render("concern-new", model, status: APIProblem(error).status)
        }
    }

    struct Row {
        let id: String, programmeID: String, programme: String, person: String, email: String, body: String, raised: String
        let resolved: String, open: Bool
    }
    struct ListModel { let page: PageChrome, rows: [Row], hasRows: Bool, isAdmin: Bool }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let day = Date.ISO8601FormatStyle().year().month().day()
        let rows = try await store.concerns(of: context.identity).map {
            Row(
                id: $0.id.uuidString, programmeID: $0.programmeID.uuidString, programme: $0.programmeName, person: $0.raisedByName,
                email: $0.raisedByEmail ?? "", body: $0.body, raised: $0.createdAt.formatted(day), resolved: $0.resolvedAt.map { $0.formatted(day) } ?? "",
                open: $0.resolvedAt == nil)
        }
        return try pages.render(
            "concerns",
            ListModel(
                page: pages.chrome(title: "Concerns", context: context, current: "programmes"), rows: rows, hasRows: !rows.isEmpty,
                isAdmin: context.identity.role >= .admin))
    }

    @Sendable func resolve(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "concern")
        try await store.resolveConcern(id: id, by: context.identity)
        return Response(status: .seeOther, headers: [.location: "/concerns#concern-\(id.uuidString)"])
    }

    @Sendable func setContact(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let chosen = context.form["support_person_id"] ?? ""
        let personID = chosen.isEmpty ? nil : try MemberPages.uuid(chosen, what: "person")
        try await store.setSupportContact(programmeID: id, personID: personID, by: context.identity)
        return Response(status: .seeOther, headers: [.location: "/programmes/\(id.uuidString)#support-contact"])
    }
}
