import Foundation
import Hummingbird
import MutualStore

/// SCIM 2.0 provisioning at `/scim/v2` (RFC 7643/7644, the Users resource; issue 17, point 2).
/// Every request carries the organisation's provisioning token (`Authorization: Bearer
/// scim_…`, made on `/admin/provisioning`), which alone says which organisation it is about:
/// there is no session, no CSRF form and no API token here. These routes are outside the JSON
/// API and its OpenAPI document (their shapes are SCIM's); every error is a SCIM error
/// (`SCIMError`), turned so by `ErrorMiddleware` for any path under `/scim/`.
struct SCIMRoutes: Sendable {
    static let prefix = "/scim/"
    let store: Store
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.open(.get, "/scim/v2/ServiceProviderConfig", serviceProviderConfig)
        routes.open(.get, "/scim/v2/ResourceTypes", resourceTypes)
        routes.open(.get, "/scim/v2/ResourceTypes/:id", resourceType)
        routes.open(.get, "/scim/v2/Schemas", schemas)
        routes.open(.get, "/scim/v2/Schemas/:id", schema)
        routes.open(.get, "/scim/v2/Users", list)
        routes.open(.post, "/scim/v2/Users", create)
        routes.open(.get, "/scim/v2/Users/:id", show)
        routes.open(.put, "/scim/v2/Users/:id", replace)
        routes.open(.patch, "/scim/v2/Users/:id", patch)
        routes.open(.delete, "/scim/v2/Users/:id", delete)
    }

    // MARK: Discovery

    @Sendable func serviceProviderConfig(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await organisation(request)
        return Self.answer(SCIMDiscovery.serviceProviderConfig(baseURL: baseURL))
    }

    @Sendable func resourceTypes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await organisation(request)
        return Self.answer(SCIMDiscovery.list([SCIMDiscovery.userResourceType(baseURL: baseURL)]))
    }

    @Sendable func resourceType(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await organisation(request)
        guard context.parameters.get("id") == "User" else {
            throw SCIMError(status: .notFound, detail: "Mutual has one resource type, User (/scim/v2/ResourceTypes/User).")
        }
        return Self.answer(SCIMDiscovery.userResourceType(baseURL: baseURL))
    }

    @Sendable func schemas(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await organisation(request)
        return Self.answer(SCIMDiscovery.list(SCIMDiscovery.schemas(baseURL: baseURL)))
    }

    @Sendable func schema(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        _ = try await organisation(request)
        let id = context.parameters.get("id") ?? ""
        guard let schema = SCIMDiscovery.schemas(baseURL: baseURL).first(where: { $0["id"] == .string(id) }) else {
            throw SCIMError(status: .notFound, detail: "Mutual describes two schemas: \(SCIMUser.schema) and \(SCIMUser.enterpriseSchema).")
        }
        return Self.answer(schema)
    }

    // MARK: Users

    @Sendable func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        let query = request.uri.queryParameters
        let filter = try Self.filterParameter(request).map(SCIMFilter.parse)
        let startIndex = max(1, try Self.integer(query.get("startIndex"), "startIndex") ?? 1)
        let count = max(0, try Self.integer(query.get("count"), "count") ?? Store.provisioningPageLimit)
        let (total, people) = try await store.provisionedPeople(organisationID: organisationID, filter: filter, startIndex: startIndex, count: count)
        return Self.answer(SCIMDiscovery.list(people.map { SCIMUser.document($0, baseURL: baseURL) }, total: total, startIndex: startIndex))
    }

    @Sendable func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        let body = try await Self.body(request)
        var user = ProvisionedUser(externalID: nil, email: "", name: "")
        try SCIMUser.read(body, onto: &user)
        let result = try await store.provisionPerson(user, organisationID: organisationID)
        var response = Self.answer(SCIMUser.document(result.person, baseURL: baseURL), status: result.created ? .created : .ok)
        response.headers[.location] = "\(baseURL)/scim/v2/Users/\(result.person.id.uuidString.lowercased())"
        return response
    }

    @Sendable func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        let person = try await store.provisionedPerson(id: try Self.userID(context), organisationID: organisationID)
        return Self.answer(SCIMUser.document(person, baseURL: baseURL))
    }

    @Sendable func replace(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        let id = try Self.userID(context)
        let body = try await Self.body(request)
        // Read once before the transaction, so a malformed body is refused without a lock.
        var probe = ProvisionedUser(externalID: nil, email: "", name: "")
        try SCIMUser.read(body, onto: &probe)
        let person = try await store.updateProvisionedPerson(id: id, organisationID: organisationID) { user in
            try SCIMUser.read(body, onto: &user)
        }
        return Self.answer(SCIMUser.document(person, baseURL: baseURL))
    }

    @Sendable func patch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        let id = try Self.userID(context)
        let patch = try SCIMPatch(try await Self.body(request))
        let person = try await store.updateProvisionedPerson(id: id, organisationID: organisationID) { user in
            try patch.apply(to: &user)
        }
        return Self.answer(SCIMUser.document(person, baseURL: baseURL))
    }

    /// Deactivates the person (as `active: false` does) and answers 204. The person stays in the
    /// directory, deactivated: erasing someone is the privacy tools' work, not a provider's.
    @Sendable func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let organisationID = try await organisation(request)
        _ = try await store.updateProvisionedPerson(id: try Self.userID(context), organisationID: organisationID) { user in
            user.active = false
        }
        return Response(status: .noContent)
    }

    // MARK: Helpers

    /// The organisation whose provisioning token the request carries, or a 401 saying what to send.
    private func organisation(_ request: Request) async throws -> UUID {
        guard let authorization = request.headers[.authorization] else {
            throw SCIMError.unauthorized(
                "No provisioning token was sent. Send the organisation's SCIM token as `Authorization: Bearer scim_…`; an admin makes it under Admin → Provisioning (/admin/provisioning).")
        }
        guard authorization.lowercased().hasPrefix("bearer ") else {
            throw SCIMError.unauthorized("The Authorization header must be `Bearer scim_…` with the organisation's SCIM token from /admin/provisioning.")
        }
        let secret = authorization.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        guard let organisationID = try await store.organisationForSCIMToken(secret) else {
            throw SCIMError.unauthorized(
                "This is not the organisation's current SCIM token: it may have been rotated or revoked, or copied incompletely. An admin can make a new one under Admin → Provisioning (/admin/provisioning); paste it into the identity provider.")
        }
        return organisationID
    }

    private static func userID(_ context: AppRequestContext) throws -> UUID {
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw SCIMError(status: .notFound, detail: "No user with that id exists in this organisation. A SCIM id is the UUID Mutual gave the user when it was created.")
        }
        return id
    }

    /// The `filter` parameter, form-decoded from the raw query: some clients send a space as
    /// `+` (`filter=userName+eq+%22…%22`), and a `+` in an address arrives as `%2B`.
    private static func filterParameter(_ request: Request) -> String? {
        guard let query = request.uri.query else { return nil }
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].lowercased() == "filter" else { continue }
            return String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(parts[1])
        }
        return nil
    }

    private static func integer(_ text: String?, _ name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "\(name) must be a whole number, e.g. \(name)=1.")
        }
        return value
    }

    private static func body(_ request: Request) async throws -> SCIMJSON {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: 1_048_576)
        } catch {
            throw SCIMError(status: .contentTooLarge, detail: "The request body is larger than Mutual accepts (1 MB). Send one user at a time.")
        }
        return try SCIMJSON.parseObject(Data(buffer.readableBytesView))
    }

    static func answer(_ document: SCIMJSON, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: SCIMError.contentType],
            body: .init(byteBuffer: ByteBuffer(data: document.encoded())))
    }
}
