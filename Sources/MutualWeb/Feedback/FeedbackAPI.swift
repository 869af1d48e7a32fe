import Foundation
import Hummingbird
import MutualStore

extension FeedbackKind: APIEnumeration {}
extension FitAnswer: APIEnumeration {}
extension CloseReason: APIEnumeration {}
extension FeedbackMeasure.Name: APIEnumeration {}

/// The feedback API: a programme's guarded figures (`GET /api/v1/programmes/{id}/feedback`, the
/// same as the manager's page), the caller's requests (`GET /api/v1/me/feedback`) and an answer
/// (`POST /api/v1/feedback/{id}`).
struct FeedbackAPI: Sendable {
    let store: Store

    func register(on routes: RouteTable) {
        routes.api(.get, "/api/v1/programmes/:id/feedback", role: .programmeManager, summary)
        routes.api(.get, "/api/v1/me/feedback", role: .participant, toGive)
        routes.api(.post, "/api/v1/feedback/:id", role: .participant, reads: AnswerRequest.self, answer)
    }

    // MARK: Shapes

    struct ShareBody: APIBody {
        let key: String, label: String, count: Int, fraction: Double
        static var example: ShareBody { ShareBody(key: "good_fit", label: "A good fit", count: 7, fraction: 0.7) }
    }
    struct MeasureBody: APIBody {
        let name: FeedbackMeasure.Name, respondents: Int, answers: Int, k: Int
        /// Absent when hidden (below k, or held back to protect a smaller group).
        let value: Double?
        let nps: Int?
        let shares: [ShareBody]
        /// More people needed before it is shown.
        let needed: Int
        let heldBack: String?
        static var example: MeasureBody {
            MeasureBody(name: .fitCheck, respondents: 6, answers: 14, k: 5, value: 4.2, nps: 20, shares: [.example], needed: 0, heldBack: "Held back")
        }
    }
    struct MonthBody: APIBody {
        let month: String, respondents: Int, value: Double?
        static var example: MonthBody { MonthBody(month: "2026-10", respondents: 6, value: 4.1) }
    }
    struct SharedBody: APIBody {
        let personId: UUID, name: String, kind: FeedbackKind, answeredAt: Date, answer: String, comment: String
        static var example: SharedBody {
            SharedBody(personId: UUID(), name: "Ana Silva", kind: .pulse, answeredAt: Date(), answer: "Relationship health 5 of 5", comment: "Going well")
        }
    }
    struct SummaryBody: APIBody {
        let programmeId: UUID, kScores: Int, kComments: Int, measures: [MeasureBody], usefulnessByMonth: [MonthBody], comments: [String]
        let commentRespondents: Int, commentsNeeded: Int, shared: [SharedBody]
        /// Answers received but not yet in any figure (they wait for a whole batch of k people).
        let waitingAnswers: Int
        static var example: SummaryBody {
            SummaryBody(
                programmeId: UUID(), kScores: 5, kComments: 10, measures: [.example], usefulnessByMonth: [.example], comments: ["Very practical"],
                commentRespondents: 11, commentsNeeded: 0, shared: [.example], waitingAnswers: 3)
        }
    }
    struct GoalItemBody: APIBody {
        let id: UUID, title: String
        static var example: GoalItemBody { GoalItemBody(id: UUID(), title: "Lead a design review") }
    }
    struct RequestBody: APIBody {
        let id: UUID, kind: FeedbackKind, programmeId: UUID, programmeName: String, relationshipId: UUID, others: [String]
        let meetingId: UUID?
        let meetingStartsAt: Date?
        let createdAt: Date
        let answeredAt: Date?
        let open: Bool
        static var example: RequestBody {
            RequestBody(
                id: UUID(), kind: .checkIn, programmeId: UUID(), programmeName: "Peer learning", relationshipId: UUID(), others: ["Ben Okafor"],
                meetingId: UUID(), meetingStartsAt: Date(), createdAt: Date(), answeredAt: Date(), open: false)
        }
    }
    struct GoalRatingRequest: APIBody {
        let goalId: UUID, rating: Int
        static var example: GoalRatingRequest { GoalRatingRequest(goalId: UUID(), rating: 4) }
    }
    struct SkillLevelRequest: APIBody {
        let skill: String, level: Int
        static var example: SkillLevelRequest { SkillLevelRequest(skill: "SQL", level: 3) }
    }
    struct AnswerRequest: APIBody {
        /// Check-in and pulse 1–5; review (recommend the programme) 0–10.
        let score: Int?
        let fit: FitAnswer?
        let reasons: [CloseReason]?
        let comment: String?
        let story: String?
        /// Show this answer to the programme manager with my name.
        let shared: Bool?
        let goals: [GoalRatingRequest]?
        let skills: [SkillLevelRequest]?
        static var example: AnswerRequest {
            AnswerRequest(
                score: 4, fit: .goodFit, reasons: [.noTime], comment: "Practical", story: "We built a dashboard together", shared: false,
                goals: [.example], skills: [.example])
        }
    }

    static func body(_ request: FeedbackRequestView) -> RequestBody {
        RequestBody(
            id: request.id, kind: request.kind, programmeId: request.programmeID, programmeName: request.programmeName,
            relationshipId: request.relationshipID, others: request.others, meetingId: request.meetingID, meetingStartsAt: request.meetingStartsAt,
            createdAt: request.createdAt, answeredAt: request.answeredAt, open: request.isOpen)
    }

    // MARK: Handlers

    @Sendable func summary(_ request: Request, _ context: SignedInContext) async throws -> SummaryBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let summary = try await store.feedbackSummary(programmeID: id, of: context.identity)
        return SummaryBody(
            programmeId: id, kScores: summary.kScores, kComments: summary.kComments,
            measures: summary.measures.map { measure in
                MeasureBody(
                    name: measure.name, respondents: measure.respondents, answers: measure.answers, k: measure.k, value: measure.value, nps: measure.nps,
                    shares: measure.shares.map { ShareBody(key: $0.key, label: $0.label, count: $0.count, fraction: $0.fraction) },
                    needed: measure.needed, heldBack: measure.heldBack)
            },
            usefulnessByMonth: summary.usefulnessByMonth.map { MonthBody(month: $0.month, respondents: $0.respondents, value: $0.value) },
            comments: summary.comments, commentRespondents: summary.commentRespondents, commentsNeeded: summary.commentsNeeded,
            shared: summary.shared.map {
                SharedBody(personId: $0.personID, name: $0.name, kind: $0.kind, answeredAt: $0.answeredAt, answer: $0.answer, comment: $0.comment)
            }, waitingAnswers: summary.waitingAnswers)
    }

    @Sendable func toGive(_ request: Request, _ context: SignedInContext) async throws -> ItemList<RequestBody> {
        ItemList(items: try await store.feedbackToGive(of: context.identity).map(Self.body))
    }

    @Sendable func answer(_ request: Request, _ context: SignedInContext, _ input: APIInput<AnswerRequest>) async throws -> RequestBody {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "feedback request")
        // Someone else's request is 404 whatever the body holds.
        _ = try await store.feedbackRequest(id: id, of: context.identity)
        let body = try await input.read()
        var answer = FeedbackAnswer(
            score: body.score, fit: body.fit, reasons: body.reasons ?? [], comment: body.comment ?? "", story: body.story ?? "",
            shared: body.shared ?? false)
        for goal in body.goals ?? [] { answer.goalRatings[goal.goalId] = goal.rating }
        for skill in body.skills ?? [] { answer.skillLevels[skill.skill] = skill.level }
        try await store.answerFeedback(requestID: id, answer, by: context.identity)
        return Self.body(try await store.feedbackRequest(id: id, of: context.identity))
    }
}
