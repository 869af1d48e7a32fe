import Foundation
import Hummingbird
import MutualStore

/// `/api/v1/programmes/{id}/launches`: email an audience an invitation to enrol, and list the
/// sends with how many of their recipients enrolled since.
struct LaunchesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.post, "/api/v1/programmes/:id/launches", role: .programmeManager, reads: LaunchRequest.self, status: .created, launch)
        routes.api(.get, "/api/v1/programmes/:id/launches", role: .programmeManager, list)
    }

    /// Whom to email: everyone in the directory not yet enrolled, narrowed by any filter given.
    struct LaunchRequest: APIBody {
        let department: String?
        let level: Int?
        let location: String?
        /// A skill the person is strong in or wants to learn.
        let skill: String?
        /// Directory ids (the CSV's `id`) or email addresses; when given, only these people.
        let people: [String]?
        static var example: LaunchRequest {
            LaunchRequest(department: "Data", level: 3, location: "Lisbon", skill: "SQL", people: ["P0001"])
        }
    }

    /// What one send did.
    struct LaunchResultBody: APIBody {
        let id: UUID
        /// People emailed.
        let recipients: Int
        /// Of them, people without an account, sent an invitation link that leads to the programme.
        let invited: Int
        let alreadyEnrolled: Int
        let withoutEmail: Int
        /// People without an account whose pending invitation predates kept links; not emailed.
        let unreachable: Int
        let unknownEntries: [String]
        /// When those who have not enrolled get the one reminder (two days before enrolment closes).
        let reminderAt: Date?
        static var example: LaunchResultBody {
            LaunchResultBody(
                id: UUID(), recipients: 120, invited: 80, alreadyEnrolled: 3, withoutEmail: 1, unreachable: 0, unknownEntries: ["P9999"],
                reminderAt: Date())
        }
    }

    /// One send, with how many of its recipients enrolled at or after it.
    struct LaunchBody: APIBody {
        let id: UUID
        let audience: String
        let sentAt: Date
        let sentBy: String
        let recipients: Int
        let invited: Int
        let enrolled: Int
        let reminderAt: Date?
        let remindedAt: Date?
        let reminded: Int
        static var example: LaunchBody {
            LaunchBody(
                id: UUID(), audience: "department Data", sentAt: Date(), sentBy: "Ana Silva", recipients: 120, invited: 80, enrolled: 41,
                reminderAt: Date(), remindedAt: Date(), reminded: 79)
        }
    }

    @Sendable func launch(_ request: Request, _ context: SignedInContext, _ input: APIInput<LaunchRequest>) async throws -> LaunchResultBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        // Another organisation's programme is "not found" whatever the body says.
        _ = try await store.programme(id: id, of: context.identity)
        let body = try await input.read()
        let audience = try BulkInvitationsAPI.audience(
            department: body.department, level: body.level, location: body.location, skill: body.skill, people: body.people)
        let result = try await store.launchProgramme(id, audience: audience, by: context.identity)
        return LaunchResultBody(
            id: result.launchID ?? UUID(), recipients: result.recipients, invited: result.invited, alreadyEnrolled: result.alreadyEnrolled,
            withoutEmail: result.withoutEmail, unreachable: result.unreachable, unknownEntries: result.unknownEntries, reminderAt: result.reminderAt)
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> ItemList<LaunchBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return ItemList(
            items: try await store.programmeLaunches(id, of: context.identity).map {
                LaunchBody(
                    id: $0.id, audience: $0.audience, sentAt: $0.sentAt, sentBy: $0.sentBy, recipients: $0.recipients, invited: $0.invited,
                    enrolled: $0.enrolled, reminderAt: $0.reminderAt, remindedAt: $0.remindedAt, reminded: $0.reminded)
            })
    }

    /// A level typed in a form: empty for any level, else a whole number.
    static func level(_ text: String) throws -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard let level = Int(trimmed) else {
            throw StoreError.invalid(field: "level", message: "Level must be a number, like 3, not \"\(trimmed.prefix(20))\". Leave it empty for every level.")
        }
        return level
    }
}
