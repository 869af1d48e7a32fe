import Foundation
import Hummingbird
import MutualStore

/// The programme page's "Managers" section: an admin makes a programme manager a manager of
/// this programme, or stops them managing it (a programme manager sees only their programmes).
struct ProgrammeManagerPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.post, "/programmes/:id/managers", role: .admin, add)
        routes.member(.post, "/programmes/:id/managers/remove", role: .admin, remove)
    }

    @Sendable func add(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await change(context, added: true)
    }

    @Sendable func remove(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await change(context, added: false)
    }

    private func change(_ context: SignedInContext, added: Bool) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        // Another organisation's programme is "not found" whatever the form says.
        _ = try await store.programme(id: id, of: context.identity)
        do {
            let chosen = context.form["person_id"] ?? ""
            guard !chosen.isEmpty else {
                throw StoreError.invalid(field: "person_id", message: "Choose a programme manager from the list, then press Add.")
            }
            let personID = try MemberPages.uuid(chosen, what: "person")
            if added {
                try await store.addProgrammeManager(personID: personID, toProgramme: id, by: context.identity)
            } else {
                try await store.removeProgrammeManager(personID: personID, fromProgramme: id, by: context.identity)
            }
            return Response(status: .seeOther, headers: [.location: "/programmes/\(id.uuidString)#managers"])
        } catch let error as StoreError {
            var model = try await ProgrammePages(store: store, pages: pages).showModel(context, id: id)
            model.error = error.errorDescription ?? ""
            return try pages.render("programme", model, status: APIProblem(error).status)
        }
    }
}
