import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/programmes/{id}/managers`: who manages a programme. A programme manager sees and
/// changes only the programmes listed as theirs here; admins add and remove them.
struct ProgrammeManagersAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/managers", role: .programmeManager, list)
        routes.api(.post, "/api/v1/programmes/:id/managers", role: .admin, reads: ManagerRequest.self, status: .created, add)
        routes.api(.post, "/api/v1/programmes/:id/managers/remove", role: .admin, reads: ManagerRequest.self, remove)
    }

    /// The member to add or remove, by their person id.
    struct ManagerRequest: APIBody {
        let personId: UUID
        static var example: ManagerRequest { ManagerRequest(personId: UUID()) }
    }

    struct ManagerBody: APIBody {
        let personId: UUID
        let name: String
        let email: String?
        let addedAt: Date
        static var example: ManagerBody { ManagerBody(personId: UUID(), name: "Ana Silva", email: "ana@example.com", addedAt: Date()) }
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<ManagerBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return ItemList(items: try await store.programmeManagers(ofProgramme: id, by: context.identity).map(Self.body))
    }

    @Sendable func add(_ request: Request, _ context: SignedInContext, _ input: APIInput<ManagerRequest>) async throws -> ItemList<ManagerBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        // Another organisation's programme is "not found" whatever the body says.
        _ = try await store.programme(id: id, of: context.identity)
        try await store.addProgrammeManager(personID: try await input.read().personId, toProgramme: id, by: context.identity)
        return ItemList(items: try await store.programmeManagers(ofProgramme: id, by: context.identity).map(Self.body))
    }

    @Sendable func remove(_ request: Request, _ context: SignedInContext, _ input: APIInput<ManagerRequest>) async throws -> ItemList<ManagerBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        _ = try await store.programme(id: id, of: context.identity)
        try await store.removeProgrammeManager(personID: try await input.read().personId, fromProgramme: id, by: context.identity)
        return ItemList(items: try await store.programmeManagers(ofProgramme: id, by: context.identity).map(Self.body))
    }

    static func body(_ manager: ProgrammeManagerSummary) -> ManagerBody {
        ManagerBody(personId: manager.personID, name: manager.name, email: manager.email, addedAt: manager.addedAt)
    }
}
