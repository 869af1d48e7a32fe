import Foundation
import Hummingbird
import MutualStore

/// `GET /api/v1/me/export` (a person's own data, GDPR article 20), `POST
/// /api/v1/people/{id}/erase` (an admin erases a person) and `GET /api/v1/organisation/export`
/// (the whole organisation, streamed). The two exports are downloads (`Content-Disposition:
/// attachment`), like the people CSV export, so they are plain member routes rather than typed
/// bodies; the OpenAPI document describes them as JSON objects.
struct PrivacyAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.member(.get, "/api/v1/me/export", role: .participant, exportOwnData)
        routes.api(.post, "/api/v1/people/:id/erase", role: .admin, erase)
        routes.member(.get, "/api/v1/organisation/export", role: .admin, exportOrganisation)
    }

    /// What an erasure did.
    struct ErasureBody: APIBody {
        let personId: UUID
        let erasedAt: Date
        /// Memberships whose sign-in was removed.
        let accounts: Int
        static var example: ErasureBody { ErasureBody(personId: UUID(), erasedAt: Date(timeIntervalSince1970: 1_800_000_000), accounts: 1) }
    }

    @Sendable func exportOwnData(_ request: Request, _ context: SignedInContext) async throws -> Response {
        try await PrivacyPages.personalExportResponse(store: store, identity: context.identity)
    }

    @Sendable func erase(_ request: Request, _ context: SignedInContext) async throws -> ErasureBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        let report = try await store.erasePerson(id, by: context.identity)
        return ErasureBody(personId: report.personID, erasedAt: report.erasedAt, accounts: report.accounts)
    }

    @Sendable func exportOrganisation(_ request: Request, _ context: SignedInContext) async throws -> Response {
        PrivacyPages.organisationExportResponse(store: store, identity: context.identity)
    }
}
