import Foundation
import Hummingbird
import MutualStore

/// The learning ledger's API: `POST /api/v1/meetings/{id}/log` (a member's log of a meeting;
/// a second log replaces the first), `GET /api/v1/relationships/{id}/ledger`, and raised skill
/// levels (`POST /api/v1/me/skill-levels`, `GET /api/v1/people/{id}/skill-levels`).
struct LedgerAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.post, "/api/v1/meetings/:id/log", role: .participant, reads: LogRequest.self, logMeeting)
        routes.api(.get, "/api/v1/relationships/:id/ledger", role: .participant, ledger)
        routes.api(.post, "/api/v1/me/skill-levels", role: .participant, reads: RaiseRequest.self, status: .created, raise)
        routes.api(.get, "/api/v1/people/:id/skill-levels", role: .participant, levelChanges)
    }

    // MARK: Shapes

    struct LogItemRequest: APIBody {
        /// A skill's name, slug or alias.
        let skill: String
        let note: String?
        static var example: LogItemRequest { LogItemRequest(skill: "SQL", note: "Joins and GROUP BY") }
    }
    struct LogRequest: APIBody {
        let taught: [LogItemRequest]?
        let learned: [LogItemRequest]?
        let rating: Int?
        let commitment: String?
        static var example: LogRequest {
            LogRequest(taught: [.example], learned: [LogItemRequest(skill: "budgeting", note: "A first forecast")], rating: 4, commitment: "Write one query a day")
        }
    }
    struct LogItemBody: APIBody {
        let skillId: UUID, skill: String, note: String
        static var example: LogItemBody { LogItemBody(skillId: UUID(), skill: "SQL", note: "Joins and GROUP BY") }
    }
    struct LogBody: APIBody {
        let meetingId: UUID, personId: UUID, name: String, taught: [LogItemBody], learned: [LogItemBody], rating: Int?, commitment: String
        let loggedAt: Date
        static var example: LogBody {
            LogBody(
                meetingId: UUID(), personId: UUID(), name: "Ana Silva", taught: [.example], learned: [.example], rating: 4,
                commitment: "Write one query a day", loggedAt: Date())
        }
    }
    struct LedgerMemberBody: APIBody {
        let personId: UUID, name: String
        static var example: LedgerMemberBody { LedgerMemberBody(personId: UUID(), name: "Ana Silva") }
    }
    struct LedgerMeetingBody: APIBody {
        let meetingId: UUID, startsAt: Date, logs: [LogBody], notLogged: [UUID]
        static var example: LedgerMeetingBody { LedgerMeetingBody(meetingId: UUID(), startsAt: Date(), logs: [.example], notLogged: [UUID()]) }
    }
    struct FlowBody: APIBody {
        let skillId: UUID, skill: String
        /// Absent when the teacher is "the group" (a group's log by the learner alone).
        let teacherId: UUID?
        let learnerId: UUID?
        let meetings: Int, confirmed: Int, lastAt: Date
        static var example: FlowBody {
            FlowBody(skillId: UUID(), skill: "SQL", teacherId: UUID(), learnerId: UUID(), meetings: 3, confirmed: 2, lastAt: Date())
        }
    }
    struct BalanceSideBody: APIBody {
        let personId: UUID, meetingsTaught: Int, skillsTaught: Int
        static var example: BalanceSideBody { BalanceSideBody(personId: UUID(), meetingsTaught: 3, skillsTaught: 2) }
    }
    struct BalanceBody: APIBody {
        let sides: [BalanceSideBody], bothTeaching: Bool, oneSided: Bool
        let oneSidedTeacherId: UUID?
        static var example: BalanceBody { BalanceBody(sides: [.example], bothTeaching: false, oneSided: true, oneSidedTeacherId: UUID()) }
    }
    struct LevelChangeBody: APIBody {
        let id: UUID, personId: UUID, name: String, skillId: UUID, skill: String, fromLevel: Int, toLevel: Int, changedAt: Date
        let meetingId: UUID?
        static var example: LevelChangeBody {
            LevelChangeBody(
                id: UUID(), personId: UUID(), name: "Ana Silva", skillId: UUID(), skill: "SQL", fromLevel: 2, toLevel: 3, changedAt: Date(),
                meetingId: UUID())
        }
    }
    struct LedgerBody: APIBody {
        let relationshipId: UUID, members: [LedgerMemberBody], meetings: [LedgerMeetingBody], flows: [FlowBody]
        /// Present for peer pairs (pairs and buddies of two members) only.
        let balance: BalanceBody?
        let levelChanges: [LevelChangeBody]
        static var example: LedgerBody {
            LedgerBody(
                relationshipId: UUID(), members: [.example], meetings: [.example], flows: [.example], balance: .example, levelChanges: [.example])
        }
    }
    struct RaiseRequest: APIBody {
        /// A skill's name, slug or alias, among the caller's wants.
        let skill: String
        let level: Int
        let meetingId: UUID?
        static var example: RaiseRequest { RaiseRequest(skill: "SQL", level: 3, meetingId: UUID()) }
    }

    static func body(_ log: MeetingLogView) -> LogBody {
        func items(_ items: [LedgerItem]) -> [LogItemBody] { items.map { LogItemBody(skillId: $0.skillID, skill: $0.skill, note: $0.note) } }
        return LogBody(
            meetingId: log.meetingID, personId: log.personID, name: log.name, taught: items(log.taught), learned: items(log.learned),
            rating: log.rating, commitment: log.commitment, loggedAt: log.loggedAt)
    }

    static func body(_ change: SkillLevelChangeView) -> LevelChangeBody {
        LevelChangeBody(
            id: change.id, personId: change.personID, name: change.name, skillId: change.skillID, skill: change.skill, fromLevel: change.fromLevel,
            toLevel: change.toLevel, changedAt: change.changedAt, meetingId: change.meetingID)
    }

    // MARK: Handlers

    @Sendable func logMeeting(_ request: Request, _ context: SignedInContext, _ input: APIInput<LogRequest>) async throws -> LogBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "meeting")
        // An unknown or invisible meeting is 404 whatever the body holds.
        _ = try await store.meetingLog(meetingID: id, personID: context.identity.personID, of: context.identity)
        let body = try await input.read()
        func items(_ items: [LogItemRequest]?) -> [MeetingLogDraft.Item] { (items ?? []).map { .init(skill: $0.skill, note: $0.note ?? "") } }
        let log = try await store.logMeeting(
            id: id, MeetingLogDraft(taught: items(body.taught), learned: items(body.learned), rating: body.rating, commitment: body.commitment ?? ""),
            by: context.identity)
        return Self.body(log)
    }

    @Sendable func ledger(_ request: Request, _ context: SignedInContext) async throws -> LedgerBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "relationship")
        let ledger = try await store.ledger(relationshipID: id, of: context.identity)
        return LedgerBody(
            relationshipId: id, members: ledger.members.map { LedgerMemberBody(personId: $0.personID, name: $0.name) },
            meetings: ledger.entries.map {
                LedgerMeetingBody(meetingId: $0.meetingID, startsAt: $0.startsAt, logs: $0.logs.map(Self.body), notLogged: $0.notLogged)
            },
            flows: ledger.flows.map {
                FlowBody(
                    skillId: $0.skillID, skill: $0.skill, teacherId: $0.teacherID, learnerId: $0.learnerID, meetings: $0.meetings,
                    confirmed: $0.confirmed, lastAt: $0.lastAt)
            },
            balance: ledger.balance.map { balance in
                BalanceBody(
                    sides: balance.sides.map { BalanceSideBody(personId: $0.personID, meetingsTaught: $0.meetingsTaught, skillsTaught: $0.skillsTaught) },
                    bothTeaching: balance.bothTeaching, oneSided: balance.oneSidedTeacherID != nil, oneSidedTeacherId: balance.oneSidedTeacherID)
            },
            levelChanges: ledger.levelChanges.map(Self.body))
    }

    @Sendable func raise(_ request: Request, _ context: SignedInContext, _ input: APIInput<RaiseRequest>) async throws -> LevelChangeBody {
        let body = try await input.read()
        return Self.body(try await store.raiseSkillLevel(body.skill, to: body.level, afterMeeting: body.meetingId, by: context.identity))
    }

    @Sendable func levelChanges(_ request: Request, _ context: SignedInContext) async throws -> ItemList<LevelChangeBody> {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "person")
        return ItemList(items: try await store.skillLevelChanges(personID: id, of: context.identity).map(Self.body))
    }
}
