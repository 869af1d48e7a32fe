import Foundation
import Hummingbird
import MutualStore

/// The needs-attention list (`/api/v1/programmes/:id/attention`, `/api/v1/attention`), snoozing
/// (`/api/v1/relationships/:id/snooze`) and a programme's nudge rules
/// (`/api/v1/programmes/:id/nudge-rules`). Managers message a relationship through
/// `POST /api/v1/relationships/:id/messages` and unwind it through its `status`.
struct NudgesAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/attention", role: .programmeManager, all)
        routes.api(.get, "/api/v1/programmes/:id/attention", role: .programmeManager, programme)
        routes.api(.post, "/api/v1/relationships/:id/snooze", role: .programmeManager, reads: SnoozeRequest.self, snooze)
        routes.api(.get, "/api/v1/programmes/:id/nudge-rules", role: .programmeManager, rules)
        routes.api(.put, "/api/v1/programmes/:id/nudge-rules", role: .programmeManager, reads: NudgeRulesRequest.self, updateRules)
    }

    struct FlagBody: APIBody {
        let reason: AttentionItem.Reason, group: String, text: String
        static var example: FlagBody { FlagBody(reason: .noFirstMeeting, group: "stalled", text: "No first meeting 20 days after matching.") }
    }
    struct AttentionBody: APIBody {
        let relationshipId: UUID, programmeId: UUID, programme: String, members: [String], startedAt: Date, lastActivityAt: Date?
        let flags: [FlagBody], snoozedUntil: Date?
        static var example: AttentionBody {
            AttentionBody(
                relationshipId: UUID(), programmeId: UUID(), programme: "Data mentoring", members: ["Ana Silva"], startedAt: Date(),
                lastActivityAt: Date(), flags: [.example], snoozedUntil: Date())
        }
    }
    struct SnoozeRequest: APIBody {
        let until: Date
        static var example: SnoozeRequest { SnoozeRequest(until: Date()) }
    }
    struct NudgeRulesBody: APIBody {
        let firstMeeting: Bool, firstMeetingDays: Int, quiet: Bool, quietDays: Int, requests: Bool, agreement: Bool, agreementDays: Int
        let milestones: Bool, closeSilent: Bool
        static var example: NudgeRulesBody { NudgeRulesBody(NudgeRules.defaults) }

        init(_ rules: NudgeRules) {
            firstMeeting = rules.firstMeeting
            firstMeetingDays = rules.firstMeetingDays
            quiet = rules.quiet
            quietDays = rules.quietDays
            requests = rules.requests
            agreement = rules.agreement
            agreementDays = rules.agreementDays
            milestones = rules.milestones
            closeSilent = rules.closeSilent
        }
    }
    /// A change to the rules: a field left out keeps its current value.
    struct NudgeRulesRequest: APIBody {
        let firstMeeting: Bool?, firstMeetingDays: Int?, quiet: Bool?, quietDays: Int?, requests: Bool?, agreement: Bool?
        let agreementDays: Int?, milestones: Bool?, closeSilent: Bool?
        static var example: NudgeRulesRequest {
            NudgeRulesRequest(
                firstMeeting: true, firstMeetingDays: 14, quiet: true, quietDays: 30, requests: true, agreement: true, agreementDays: 7,
                milestones: true, closeSilent: false)
        }
    }

    static func body(_ item: AttentionItem) -> AttentionBody {
        AttentionBody(
            relationshipId: item.relationshipID, programmeId: item.programmeID, programme: item.programmeName, members: item.memberNames,
            startedAt: item.startedAt, lastActivityAt: item.lastActivityAt,
            flags: item.flags.map { FlagBody(reason: $0.reason, group: $0.reason.group, text: $0.text) }, snoozedUntil: item.snoozedUntil)
    }

    private static func includeSnoozed(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters["snoozed"].map(String.init) {
        case nil, "false": return false
        case "true": return true
        case let other?:
            throw StoreError.invalid(field: "snoozed", message: "Set snoozed to true or false (it was “\(other)”).")
        }
    }

    @Sendable func all(_ request: Request, _ context: SignedInContext) async throws -> ItemList<AttentionBody> {
        ItemList(items: try await store.needsAttention(includeSnoozed: try Self.includeSnoozed(request), of: context.identity).map(Self.body))
    }

    @Sendable func programme(_ request: Request, _ context: SignedInContext) async throws -> ItemList<AttentionBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let items = try await store.needsAttention(in: id, includeSnoozed: try Self.includeSnoozed(request), of: context.identity)
        return ItemList(items: items.map(Self.body))
    }

    @Sendable func snooze(_ request: Request, _ context: SignedInContext, _ input: APIInput<SnoozeRequest>) async throws -> NoContent {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        _ = try await store.relationship(id: id, of: context.identity)
        try await store.snoozeAttention(relationshipID: id, until: try await input.read().until, by: context.identity)
        return NoContent()
    }

    @Sendable func rules(_ request: Request, _ context: SignedInContext) async throws -> NudgeRulesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        return NudgeRulesBody(try await store.nudgeRules(for: id, of: context.identity))
    }

    @Sendable func updateRules(_ request: Request, _ context: SignedInContext, _ input: APIInput<NudgeRulesRequest>) async throws -> NudgeRulesBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.nudgeRules(for: id, of: context.identity)
        let change = try await input.read()
        let rules = NudgeRules(
            firstMeeting: change.firstMeeting ?? current.firstMeeting, firstMeetingDays: change.firstMeetingDays ?? current.firstMeetingDays,
            quiet: change.quiet ?? current.quiet, quietDays: change.quietDays ?? current.quietDays, requests: change.requests ?? current.requests,
            agreement: change.agreement ?? current.agreement, agreementDays: change.agreementDays ?? current.agreementDays,
            milestones: change.milestones ?? current.milestones, closeSilent: change.closeSilent ?? current.closeSilent)
        return NudgeRulesBody(try await store.updateNudgeRules(for: id, rules, by: context.identity))
    }
}

extension AttentionItem.Reason: APIEnumeration {}
