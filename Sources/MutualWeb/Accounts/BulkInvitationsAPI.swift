import Foundation
import Hummingbird
import MutualStore

/// `/api/v1`: inviting a filtered set of the directory in one action, and who can sign in.
struct BulkInvitationsAPI: Sendable {
    let store: Store
    let baseURL: String

    func register(on routes: RouteTable) {
        routes.api(.post, "/api/v1/invitations/bulk", role: .admin, reads: BulkInvitationRequest.self, bulkInvite)
        routes.api(.get, "/api/v1/members/access", role: .admin, access)
    }

    // MARK: Shapes

    /// Whom to invite: everyone in the directory without an account, narrowed by any filter given.
    struct BulkInvitationRequest: APIBody {
        let department: String?
        let level: Int?
        let location: String?
        /// A skill the person is strong in or wants to learn.
        let skill: String?
        /// Directory ids (the CSV's `id`) or email addresses; when given, only these people.
        let people: [String]?
        let role: Role?
        static var example: BulkInvitationRequest {
            BulkInvitationRequest(department: "Data", level: 3, location: "Lisbon", skill: "SQL", people: ["P0001"], role: .participant)
        }

        var audience: InvitationAudience {
            get throws {
                try BulkInvitationsAPI.audience(department: department, level: level, location: location, skill: skill, people: people)
            }
        }
    }

    /// What one bulk invitation did.
    struct BulkInvitationBody: APIBody {
        /// Invitations written and queued for email now (each lasts 14 days, reminded after 7).
        let invited: Int
        let alreadyInvited: Int
        let alreadyMembers: Int
        let withoutEmail: Int
        /// Entries of `people` that name nobody in the directory.
        let unknownEntries: [String]
        /// Why the filters selected fewer people than they may seem to (a skill nobody has).
        let notes: [String]
        static var example: BulkInvitationBody {
            BulkInvitationBody(
                invited: 312, alreadyInvited: 4, alreadyMembers: 2, withoutEmail: 1, unknownEntries: ["P9999"],
                notes: ["No skill called \"Pyhton\" exists in the directory, so the skill filter selected nobody."])
        }
    }

    /// One person in the directory and whether they can sign in.
    struct AccessBody: APIBody {
        let personId: UUID
        let name: String
        let email: String?
        let department: String
        let status: AccessStatus
        let lastSignInAt: Date?
        let invitedAt: Date?
        let invitationExpiresAt: Date?
        static var example: AccessBody {
            AccessBody(
                personId: UUID(), name: "Ana Silva", email: "ana@example.org", department: "Data", status: .invited, lastSignInAt: Date(),
                invitedAt: Date(), invitationExpiresAt: Date())
        }
    }

    /// How many people have one status, over the whole organisation.
    struct AccessCountBody: APIBody {
        let status: AccessStatus
        let count: Int
        static var example: AccessCountBody { AccessCountBody(status: .noAccount, count: 318) }
    }

    /// A page of people by name; `next` is the cursor of the following page (absent on the last).
    struct AccessListBody: APIBody {
        let items: [AccessBody]
        let counts: [AccessCountBody]
        let total: Int
        let next: String?
        static var example: AccessListBody { AccessListBody(items: [.example], counts: [.example], total: 320, next: "QW5h") }
    }

    // MARK: Handlers

    @Sendable func bulkInvite(
        _ request: Request, _ context: SignedInContext, _ input: APIInput<BulkInvitationRequest>
    ) async throws -> BulkInvitationBody {
        let body = try await input.read()
        let baseURL = self.baseURL
        let result = try await store.inviteInBulk(try body.audience, role: body.role ?? .participant, by: context.identity) {
            "\(baseURL)/invitations/\($0)"
        }
        return BulkInvitationBody(result)
    }

    /// `status` (one of the statuses), `q` (part of a name or address), `limit` (1–500, 50) and
    /// `after` (the previous page's `next`).
    @Sendable func access(_ request: Request, _ context: SignedInContext) async throws -> AccessListBody {
        let parameters = request.uri.queryParameters
        if parameters.get("after") == "" {
            throw StoreError.invalid(field: "after", message: "after is empty. Leave it out for the first page, or give the previous page's next.")
        }
        if let text = parameters.get("q"), text.count > 200 {
            throw StoreError.invalid(field: "q", message: "q is \(text.count) characters long; search with at most 200.")
        }
        let page = try await store.memberAccess(
            status: try Self.status(parameters.get("status")), text: parameters.get("q") ?? "", after: parameters.get("after"),
            limit: try Paging.limit(parameters.get("limit"), default: 50, range: 1...500), of: context.identity)
        return AccessListBody(
            items: page.lines.map(AccessBody.init),
            counts: AccessStatus.allCases.map { AccessCountBody(status: $0, count: page.counts[$0] ?? 0) }, total: page.total, next: page.next)
    }

    /// An audience from a request body. The list's entries are checked one by one here, before
    /// they are joined as a pasted list (which would split an entry holding a comma).
    static func audience(department: String?, level: Int?, location: String?, skill: String?, people: [String]?) throws -> InvitationAudience {
        let people = people ?? []
        if people.count > 500 {
            throw StoreError.invalid(field: "people", message: "people has \(people.count) entries; send at most 500 in one call, and call again for the rest.")
        }
        if let long = people.first(where: { $0.count > 320 }) {
            throw StoreError.invalid(field: "people", message: "The entry \"\(long.prefix(40))…\" is \(long.count) characters long; an id or an address has at most 320.")
        }
        return InvitationAudience(
            department: department ?? "", level: level, location: location ?? "", skill: skill ?? "", pastedList: people.joined(separator: "\n"))
    }

    static func status(_ text: String?) throws -> AccessStatus? {
        guard let text, !text.isEmpty else { return nil }
        guard let status = AccessStatus(rawValue: text) else {
            throw StoreError.invalid(
                field: "status",
                message: "status must be one of \(AccessStatus.allCases.map(\.rawValue).joined(separator: ", ")), not \"\(text.prefix(40))\".")
        }
        return status
    }
}

extension BulkInvitationsAPI.BulkInvitationBody {
    init(_ result: BulkInvitationResult) {
        self.init(
            invited: result.invited, alreadyInvited: result.alreadyInvited, alreadyMembers: result.alreadyMembers, withoutEmail: result.withoutEmail,
            unknownEntries: result.unknownEntries, notes: result.notes)
    }
}

extension BulkInvitationsAPI.AccessBody {
    init(_ line: AccessLine) {
        self.init(
            personId: line.personID, name: line.name, email: line.email, department: line.department, status: line.status,
            lastSignInAt: line.lastSignInAt, invitedAt: line.invitedAt, invitationExpiresAt: line.invitationExpiresAt)
    }
}
