import Foundation
import Hummingbird
import MutualStore

/// The feedback forms a participant answers (`/feedback`, `/feedback/:id`: one short page each,
/// made for a phone: big radios inline with their labels, one button) and the programme
/// manager's guarded view (`/programmes/:id/feedback`, with the programme's thresholds and pulse days).
struct FeedbackPages: Sendable {
    let store: Store
    let pages: PageRenderer

    func register(on routes: RouteTable) {
        routes.member(.get, "/feedback", role: .participant, list)
        routes.member(.get, "/feedback/:id", role: .participant, show)
        routes.member(.post, "/feedback/:id", role: .participant, answer)
        routes.member(.get, "/programmes/:id/feedback", role: .programmeManager, summary)
        routes.member(.post, "/programmes/:id/feedback/settings", role: .programmeManager, saveSettings)
    }

    static let dayFormatter = UTCDateFormatter.make("d MMM yyyy")
    static func day(_ date: Date) -> String { dayFormatter.string(from: date) }

    // MARK: Participant

    struct RequestLine { let id: String, title: String, context: String }
    struct ListPage { let page: PageChrome, requests: [RequestLine], hasRequests: Bool }

    static func line(_ request: FeedbackRequestView) -> RequestLine {
        var context = request.programmeName
        if !request.others.isEmpty { context += ", with " + request.others.joined(separator: ", ") }
        if let startsAt = request.meetingStartsAt { context += ", meeting of " + Self.day(startsAt) }
        return RequestLine(id: request.id.uuidString.lowercased(), title: request.kind.title, context: context)
    }

    @Sendable func list(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let requests = try await store.feedbackToGive(of: context.identity).map(Self.line)
        return try pages.render(
            "feedback-list",
            ListPage(page: pages.chrome(title: "Feedback to give", context: context, current: "dashboard"), requests: requests, hasRequests: !requests.isEmpty))
    }

    struct Choice { let name: String, value: String, label: String, id: String, checked: Bool, hint: String }
    struct GoalRow { let title: String, choices: [Choice] }
    struct SkillRow { let index: Int, name: String, level: Int, options: [Choice] }
    struct FormPage {
        let page: PageChrome
        let id: String, title: String, context: String
        let isOpen: Bool, answered: String
        let scoreChoices: [Choice], scoreLabel: String, hasScore: Bool
        let fitChoices: [Choice], isFit: Bool
        let reasonChoices: [Choice], isClose: Bool
        let goals: [GoalRow], hasGoals: Bool, skills: [SkillRow], hasSkills: Bool, isReview: Bool
        let comment: String, story: String, shared: Bool
        var notice = "", error = ""
    }

    /// What the person typed, kept when the form comes back with a message.
    struct Typed {
        var answer = FeedbackAnswer()
        var goalRatings: [String: Int] = [:]
    }

    private func form(_ context: SignedInContext, id: UUID, typed: Typed = Typed()) async throws -> FormPage {
        let request = try await store.feedbackRequest(id: id, of: context.identity)
        let answer = typed.answer
        func choices(_ name: String, _ range: ClosedRange<Int>, selected: Int?, words: [Int: String]) -> [Choice] {
            range.map { value in
                Choice(
                    name: name, value: String(value), label: words[value].map { "\(value) – \($0)" } ?? String(value), id: "\(name)-\(value)",
                    checked: selected == value, hint: "")
            }
        }
        let scoreLabel: String
        let scores: [Choice]
        switch request.kind {
        case .checkIn:
            scoreLabel = "How useful was the meeting?"
            scores = choices("score", 1...5, selected: answer.score, words: [1: "not useful", 5: "very useful"])
        case .pulse:
            scoreLabel = "How well is the relationship going?"
            scores = choices("score", 1...5, selected: answer.score, words: [1: "badly", 5: "very well"])
        case .review:
            scoreLabel = "How likely are you to recommend the programme to a colleague?"
            scores = choices("score", 0...10, selected: answer.score, words: [0: "not at all", 10: "certainly"])
        case .fitCheck, .closeSurvey:
            scoreLabel = ""
            scores = []
        }
        let fits = FitAnswer.allCases.map { fit in
            Choice(
                name: "fit", value: fit.rawValue, label: fit.label, id: "fit-\(fit.rawValue)", checked: answer.fit == fit,
                hint: fit == .notAFit
                    ? "The programme manager sees that this relationship needs a look, so they can offer you a re-match; not which member said so." : "")
        }
        let reasons = CloseReason.allCases.map { reason in
            Choice(name: "reason", value: reason.rawValue, label: reason.label, id: "reason-\(reason.rawValue)", checked: answer.reasons.contains(reason), hint: "")
        }
        let goals = request.goals.map { goal in
            GoalRow(
                title: goal.title,
                choices: choices("goal_\(goal.id.uuidString.lowercased())", 1...5, selected: typed.goalRatings[goal.id.uuidString.lowercased()], words: [1: "no progress", 5: "reached"]))
        }
        let skills = request.wants.enumerated().map { index, want in
            SkillRow(
                index: index, name: want.name, level: want.level,
                options: (want.level...Store.highestWantLevel).map { level in
                    Choice(
                        name: "skill_level", value: String(level), label: level == want.level ? "Still level \(level)" : "Now level \(level)",
                        id: "skill-\(index)-\(level)", checked: (answer.skillLevels[want.name] ?? want.level) == level, hint: "")
                })
        }
        var line = Self.line(request).context
        if !request.isOpen, request.answeredAt == nil { line += ". This request has closed." }
        return FormPage(
            page: pages.chrome(title: request.kind.title, context: context, current: "dashboard"), id: id.uuidString.lowercased(),
            title: request.kind.title, context: line, isOpen: request.isOpen,
            answered: request.answeredAt.map { "You answered this on \(Self.day($0)). Thank you." } ?? "",
            scoreChoices: scores, scoreLabel: scoreLabel, hasScore: !scores.isEmpty, fitChoices: fits, isFit: request.kind == .fitCheck,
            reasonChoices: reasons, isClose: request.kind == .closeSurvey, goals: goals, hasGoals: !goals.isEmpty, skills: skills,
            hasSkills: !skills.isEmpty, isReview: request.kind == .review, comment: answer.comment, story: answer.story, shared: answer.shared)
    }

    @Sendable func show(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "feedback request")
        var page = try await form(context, id: id)
        if request.uri.queryParameters.get("done") == "answered" { page.notice = "Thank you: your answer is in." }
        return try pages.render("feedback-form", page)
    }

    @Sendable func answer(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "feedback request")
        // Someone else's request is "not found" before any field is read.
        let asked = try await store.feedbackRequest(id: id, of: context.identity)
        let form = context.form
        var typed = Typed()
        do {
            let scoreText = (form["score"] ?? "").trimmingCharacters(in: .whitespaces)
            typed.answer.score = Int(scoreText)
            typed.answer.fit = (form["fit"]).flatMap(FitAnswer.init(rawValue:))
            typed.answer.reasons = form.all("reason").compactMap(CloseReason.init(rawValue:))
            typed.answer.comment = form["comment"] ?? ""
            typed.answer.story = form["story"] ?? ""
            typed.answer.shared = form["shared"] == "on"
            for goal in asked.goals {
                let key = goal.id.uuidString.lowercased()
                if let rating = Int(form["goal_\(key)"] ?? "") {
                    typed.goalRatings[key] = rating
                    typed.answer.goalRatings[goal.id] = rating
                }
            }
            let levels = form.all("skill_level")
            let names = form.all("skill_name")
            for (index, name) in names.enumerated() where index < levels.count {
                if let level = Int(levels[index]) { typed.answer.skillLevels[name] = level }
            }
            guard scoreText.isEmpty || typed.answer.score != nil else {
                throw StoreError.invalid(field: "score", message: "Choose one of the numbers offered.")
            }
            if let fitText = form["fit"], !fitText.isEmpty, typed.answer.fit == nil {
                throw StoreError.invalid(field: "fit", message: "Choose one: a good fit, not sure yet, or not a fit.")
            }
            try await store.answerFeedback(requestID: id, typed.answer, by: context.identity)
        } catch let error as StoreError where error.isInputProblem || LedgerPages.isStateProblem(error) || Self.isGone(error) {
            var page = try await self.form(context, id: id, typed: typed)
            page.error = error.errorDescription ?? ""
            return try pages.render("feedback-form", page, status: APIProblem(error).status)
        }
        return .redirect(to: "/feedback/\(id.uuidString.lowercased())?done=answered", type: .normal)
    }

    static func isGone(_ error: StoreError) -> Bool {
        if case .gone = error { return true }
        return false
    }

    // MARK: Manager

    struct MeasureRow { let id: String, label: String, respondents: Int, answers: Int, figure: String, shown: Bool, note: String, shares: [String] }
    struct MonthRow { let month: String, respondents: Int, figure: String }
    struct SharedRow { let name: String, kind: String, date: String, answer: String, comment: String }
    struct SummaryPage {
        let page: PageChrome
        let programmeID: String, programmeName: String
        let kScores: Int, kComments: Int, pulseFirstDays: Int, pulseEveryDays: Int
        let measures: [MeasureRow]
        let months: [MonthRow], hasMonths: Bool
        let comments: [String], hasComments: Bool, commentsNote: String
        let shared: [SharedRow], hasShared: Bool
        let waitingNote: String
        var notice = "", error = ""
    }

    /// The figure in words, or why it is not shown ("3 more responses needed").
    static func figure(_ measure: FeedbackMeasure) -> (String, String) {
        if let held = measure.heldBack { return ("Not shown", held) }
        guard measure.isShown else {
            let more = measure.needed
            return (
                "Not shown yet",
                "\(more) more \(more == 1 ? "response" : "responses") needed: figures are shown only over at least \(measure.k) people, so nobody's answer can be picked out."
            )
        }
        if let value = measure.value {
            var text = String(format: "%.1f", value)
            if let nps = measure.nps { text += " (NPS \(nps))" }
            return (text, "")
        }
        return ("", "")
    }

    private func summaryPage(_ context: SignedInContext, id: UUID, settings typedSettings: FeedbackSettings? = nil) async throws -> SummaryPage {
        let programme = try await store.programme(id: id, of: context.identity)
        var settings = try await store.feedbackSettings(programmeID: id, of: context.identity)
        if let typedSettings { settings = typedSettings }
        let summary = try await store.feedbackSummary(programmeID: id, of: context.identity)
        let measures = summary.measures.map { measure in
            let (figure, note) = Self.figure(measure)
            return MeasureRow(
                id: measure.name.rawValue.replacingOccurrences(of: "_", with: "-"), label: measure.name.label, respondents: measure.respondents,
                answers: measure.answers, figure: figure, shown: measure.isShown, note: note,
                shares: measure.shares.map { "\($0.label): \(Int(($0.fraction * 100).rounded())) % (\($0.count))" })
        }
        let months = summary.usefulnessByMonth.map {
            MonthRow(month: $0.month, respondents: $0.respondents, figure: $0.value.map { String(format: "%.1f", $0) } ?? "Not shown (too few people, or it would expose another month)")
        }
        let commentsNote = summary.comments.isEmpty
            ? "\(summary.commentsNeeded) more \(summary.commentsNeeded == 1 ? "person" : "people") must write a comment before comments are shown (at least \(summary.kComments), unattributed)."
            : "From \(summary.commentRespondents) people, unattributed, in alphabetical order."
        let shared = summary.shared.map {
            SharedRow(name: $0.name, kind: $0.kind.title, date: Self.day($0.answeredAt), answer: $0.answer, comment: $0.comment)
        }
        return SummaryPage(
            page: pages.chrome(title: "Feedback: \(programme.draft.name)", context: context, current: "programmes"), programmeID: id.uuidString.lowercased(),
            programmeName: programme.draft.name, kScores: settings.kScores, kComments: settings.kComments, pulseFirstDays: settings.pulseFirstDays,
            pulseEveryDays: settings.pulseEveryDays, measures: measures, months: months, hasMonths: !months.isEmpty, comments: summary.comments,
            hasComments: !summary.comments.isEmpty, commentsNote: commentsNote, shared: shared, hasShared: !shared.isEmpty,
            waitingNote: summary.waitingAnswers == 0
                ? ""
                : "\(summary.waitingAnswers) newer \(summary.waitingAnswers == 1 ? "answer is" : "answers are") not counted yet. Figures take in answers \(settings.kScores) people at a time, so that no one person's answer shows as a change in a figure.")
    }

    @Sendable func summary(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        var page = try await summaryPage(context, id: id)
        if request.uri.queryParameters.get("done") == "saved" { page.notice = "Saved the feedback settings." }
        return try pages.render("programme-feedback", page)
    }

    @Sendable func saveSettings(_ request: Request, _ context: SignedInContext) async throws -> Response {
        let id = try MemberPages.uuid(context.parameters.get("id"), what: "programme")
        let current = try await store.feedbackSettings(programmeID: id, of: context.identity)
        let form = context.form
        func number(_ name: String, _ fallback: Int) -> Int? {
            let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? fallback : Int(text)
        }
        let typed = FeedbackSettings(
            kScores: number("k_scores", current.kScores) ?? -1, kComments: number("k_comments", current.kComments) ?? -1,
            pulseFirstDays: number("pulse_first_days", current.pulseFirstDays) ?? -1, pulseEveryDays: number("pulse_every_days", current.pulseEveryDays) ?? -1)
        do {
            try await store.setFeedbackSettings(typed, programmeID: id, by: context.identity)
        } catch let error as StoreError where error.isInputProblem || LedgerPages.isStateProblem(error) {
            var page = try await summaryPage(context, id: id, settings: typed)
            page.error = error.errorDescription ?? ""
            return try pages.render("programme-feedback", page, status: APIProblem(error).status)
        }
        return .redirect(to: "/programmes/\(id.uuidString.lowercased())/feedback?done=saved", type: .normal)
    }
}
