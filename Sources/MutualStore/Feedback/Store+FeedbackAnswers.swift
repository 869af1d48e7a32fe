import FluentKit
import Foundation
import SQLKit

extension Store {
    /// How long a request stays answerable after it was made.
    public static let feedbackOpenDays = 30

    /// The caller's requests still to answer, newest first ("Feedback to give").
    public func feedbackToGive(of identity: Identity) async throws -> [FeedbackRequestView] {
        let since = clock.now.addingTimeInterval(-Double(Self.feedbackOpenDays) * 86_400)
        let requests = try await FeedbackRequest.query(on: try db())
            .filter(\.$organisationID == identity.organisationID).filter(\.$personID == identity.personID)
            .filter(\.$answeredAt == nil).filter(\.$createdAt >= since)
            .sort(\.$createdAt, .descending).limit(50).all()
        return try await requestViews(requests, of: identity, withReviewItems: false)
    }

    /// One of the caller's own requests. Someone else's is "not found": a request says who was asked.
    public func feedbackRequest(id: UUID, of identity: Identity) async throws -> FeedbackRequestView {
        let request = try await ownRequest(id: id, of: identity, on: try db())
        guard let view = try await requestViews([request], of: identity, withReviewItems: true).first else {
            throw StoreError.notFound(what: "feedback request")
        }
        return view
    }

    private func ownRequest(id: UUID, of identity: Identity, on database: any Database) async throws -> FeedbackRequest {
        guard let request = try await FeedbackRequest.query(on: database).filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID).filter(\.$personID == identity.personID).first()
        else { throw StoreError.notFound(what: "feedback request") }
        return request
    }

    /// Answers one of the caller's requests. An answer is final (a figure a manager saw does not
    /// change under them). Writes the answer, marks the request answered and records
    /// `feedback.received` — which says only that an answer of a kind arrived in a programme —
    /// in one transaction. A review's raised skill levels are then written as the ledger's
    /// raised levels (``raiseSkillLevel(_:to:afterMeeting:by:)``), so skills growth has one source.
    public func answerFeedback(requestID: UUID, _ answer: FeedbackAnswer, by identity: Identity) async throws {
        let request = try await ownRequest(id: requestID, of: identity, on: try db())
        let checked = try await checkedAnswer(answer, for: request, of: identity)
        let now = clock.now
        let organisationID = identity.organisationID
        try await transaction { database in
            // Two submissions of the same form: the second waits for the first, then sees it answered.
            try await Self.lockRows(FeedbackRequest.schema, where: "id", equals: requestID, on: database)
            guard let current = try await FeedbackRequest.find(requestID, on: database) else { throw StoreError.notFound(what: "feedback request") }
            try self.requireOpen(current, now: now)
            current.answeredAt = now
            try await current.save(on: database)
            let response = FeedbackResponse()
            response.id = UUID()
            response.organisationID = organisationID
            response.programmeID = current.programmeID
            response.requestID = requestID
            response.personID = current.personID
            response.kind = current.kind
            response.score = checked.score
            response.fit = checked.fit?.rawValue ?? ""
            response.reasons = checked.reasons.map(\.rawValue).joined(separator: ";")
            response.comment = checked.comment
            response.story = checked.story
            response.shared = checked.shared
            response.answeredAt = now
            try await response.create(on: database)
            for (goalID, rating) in checked.goalRatings.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
                let row = FeedbackGoalRating()
                row.organisationID = organisationID
                row.responseID = try response.requireID()
                row.goalID = goalID
                row.rating = rating
                try await row.create(on: database)
            }
            // Neither the respondent (no actor) nor the score: only that an answer of this kind
            // arrived in this programme. The audit log and webhooks see no more than this.
            try await self.record(
                NewEvent(
                    .feedbackReceived, organisationID: organisationID, actor: nil, subject: current.programmeID,
                    payload: ["kind": .string(current.kind.rawValue)]),
                on: database)
        }
        for (skill, level) in checked.raisedSkills.sorted(by: { $0.key < $1.key }) {
            try await raiseSkillLevel(skill, to: level, by: identity)
        }
    }

    private struct CheckedAnswer {
        var score: Int?
        var fit: FitAnswer?
        var reasons: [CloseReason]
        var comment: String
        var story: String
        var shared: Bool
        var goalRatings: [UUID: Int]
        var raisedSkills: [String: Int]
    }

    private func requireOpen(_ request: FeedbackRequest, now: Date) throws {
        if request.answeredAt != nil {
            throw StoreError.conflict(
                field: nil,
                message: "You have already answered this. Answers are final, so a total the programme manager has seen never changes under them; thank you.")
        }
        if now.timeIntervalSince(request.createdAt) > Double(Self.feedbackOpenDays) * 86_400 {
            throw StoreError.gone(
                message: "This request closed \(Self.feedbackOpenDays) days after it was sent. Your other requests are under “Feedback to give” on your dashboard.")
        }
    }

    private func checkedAnswer(_ answer: FeedbackAnswer, for request: FeedbackRequest, of identity: Identity) async throws -> CheckedAnswer {
        try requireOpen(request, now: clock.now)
        let comment = try InputRules.longText(answer.comment, field: "comment", label: "your comment", maxLength: FeedbackAnswer.commentLimit)
        var checked = CheckedAnswer(
            score: nil, fit: nil, reasons: [], comment: comment, story: "", shared: answer.shared, goalRatings: [:], raisedSkills: [:])
        func score(_ range: ClosedRange<Int>, _ words: String) throws -> Int {
            guard let score = answer.score else {
                throw StoreError.invalid(field: "score", message: "Choose \(words), from \(range.lowerBound) to \(range.upperBound).")
            }
            guard range.contains(score) else {
                throw StoreError.invalid(field: "score", message: "Choose \(words) from \(range.lowerBound) to \(range.upperBound), not \(score).")
            }
            return score
        }
        switch request.kind {
        case .checkIn:
            checked.score = try score(1...5, "how useful the meeting was (1 not useful, 5 very useful)")
        case .pulse:
            checked.score = try score(1...5, "how well the relationship is going (1 badly, 5 very well)")
        case .fitCheck:
            guard let fit = answer.fit else {
                throw StoreError.invalid(field: "fit", message: "Choose one: a good fit, not sure yet, or not a fit.")
            }
            checked.fit = fit
        case .closeSurvey:
            guard !answer.reasons.isEmpty else {
                throw StoreError.invalid(field: "reasons", message: "Tick at least one reason the relationship ended (or “Something else” and say it in the comment).")
            }
            if answer.reasons.contains(.other), comment.isEmpty {
                throw StoreError.invalid(field: "comment", message: "You ticked “Something else”: say in a few words what it was.")
            }
            checked.reasons = CloseReason.allCases.filter(answer.reasons.contains)
        case .review:
            checked.score = try score(0...10, "how likely you are to recommend the programme to a colleague (0 not at all, 10 certainly)")
            checked.story = try InputRules.longText(answer.story, field: "story", label: "your story", maxLength: FeedbackAnswer.storyLimit)
            let goals = try await Goal.query(on: try db()).filter(\.$relationshipID == request.relationshipID)
                .filter(\.$personID == request.personID).all()
            let goalIDs = Set(try goals.map { try $0.requireID() })
            for (goalID, rating) in answer.goalRatings {
                guard goalIDs.contains(goalID) else {
                    throw StoreError.invalid(field: "goals", message: "Rate only your own goals in this relationship; one of the goals sent is not among them.")
                }
                guard (1...5).contains(rating) else {
                    throw StoreError.invalid(field: "goals", message: "Rate each goal from 1 (no progress) to 5 (fully reached), not \(rating).")
                }
            }
            checked.goalRatings = answer.goalRatings
            let wants = try await profile(personID: request.personID, of: identity).wants
            for (skill, level) in answer.skillLevels {
                guard let want = wants.first(where: { $0.name.caseInsensitiveCompare(skill) == .orderedSame }) else {
                    throw StoreError.invalid(field: "skills", message: "“\(skill)” is not among the skills you want to learn; re-rate only those on your profile.")
                }
                guard (0...Self.highestWantLevel).contains(level) else {
                    throw StoreError.invalid(field: "skills", message: "Rate \(want.name) from 0 to \(Self.highestWantLevel), not \(level).")
                }
                guard level >= want.level else {
                    throw StoreError.invalid(
                        field: "skills",
                        message: "Your level in \(want.name) is \(want.level) on your profile; the review only records growth. Correct a level on your profile.")
                }
                if level > want.level { checked.raisedSkills[want.name] = level }
            }
        }
        return checked
    }

    /// Views of requests, with names read in a few statements.
    private func requestViews(_ requests: [FeedbackRequest], of identity: Identity, withReviewItems: Bool) async throws -> [FeedbackRequestView] {
        guard !requests.isEmpty else { return [] }
        let database = try db()
        let programmeIDs = Array(Set(requests.map(\.programmeID)))
        var programmeNames: [UUID: String] = [:]
        for programme in try await Programme.query(on: database).filter(\.$id ~~ programmeIDs).all() {
            programmeNames[try programme.requireID()] = programme.name
        }
        let relationshipIDs = Array(Set(requests.map(\.relationshipID)))
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID ~~ relationshipIDs).sort(\.$position).all()
        let names = try await self.names(ofPeople: Set(members.map(\.personID)), on: database)
        let meetingIDs = requests.compactMap(\.meetingID)
        var meetingStarts: [UUID: Date] = [:]
        if !meetingIDs.isEmpty {
            for meeting in try await Meeting.query(on: database).filter(\.$id ~~ meetingIDs).all() { meetingStarts[try meeting.requireID()] = meeting.startsAt }
        }
        let now = clock.now
        var views: [FeedbackRequestView] = []
        for request in requests {
            var goals: [FeedbackRequestView.GoalItem] = []
            var wants: [FeedbackRequestView.SkillItem] = []
            if withReviewItems, request.kind == .review {
                goals = try await Goal.query(on: database).filter(\.$relationshipID == request.relationshipID)
                    .filter(\.$personID == request.personID).sort(\.$position).all()
                    .map { FeedbackRequestView.GoalItem(id: try $0.requireID(), title: $0.title) }
                wants = try await profile(personID: request.personID, of: identity).wants.map { .init(name: $0.name, level: $0.level) }
            }
            let open = request.answeredAt == nil && now.timeIntervalSince(request.createdAt) <= Double(Self.feedbackOpenDays) * 86_400
            views.append(
                FeedbackRequestView(
                    id: try request.requireID(), kind: request.kind, programmeID: request.programmeID,
                    programmeName: programmeNames[request.programmeID] ?? "", relationshipID: request.relationshipID,
                    others: members.filter { $0.relationshipID == request.relationshipID && $0.personID != request.personID }
                        .compactMap { names[$0.personID] },
                    meetingID: request.meetingID, meetingStartsAt: request.meetingID.flatMap { meetingStarts[$0] }, createdAt: request.createdAt,
                    answeredAt: request.answeredAt, isOpen: open, goals: goals, wants: wants))
        }
        return views
    }
}
