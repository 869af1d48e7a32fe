import FluentKit
import Foundation
import SQLKit

extension Store {
    /// A programme's feedback as its managers may see it (programme managers and admins of its
    /// organisation).
    public func feedbackSummary(programmeID: UUID, of identity: Identity) async throws -> FeedbackSummary {
        _ = try await managedProgramme(id: programmeID, of: identity)
        return try await feedbackSummary(organisationID: identity.organisationID, programmeID: programmeID)
    }

    /// The guarded feedback of one programme, or of the whole organisation when `programmeID` is
    /// nil: what the programme dashboard reads. The caller has checked that the reader may see
    /// the programme's figures (a programme manager or admin); nothing here names a respondent
    /// except answers shared by name. Every figure follows ``FeedbackGuard``: a score only over k
    /// people who did not share by name; the organisation's figure only when the programmes held
    /// below their k are not exposed by difference with those shown; a month only when the months
    /// held back are not exposed by difference with the total. With `scoresOnly` (the
    /// dashboard's case) only the scored measures are computed, from the scored kinds: no
    /// comments, categories, goal re-ratings or answers shared by name.
    public func feedbackSummary(organisationID: UUID, programmeID: UUID?, scoresOnly: Bool = false) async throws -> FeedbackSummary {
        let database = try db()
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        var scope: SQLQueryString =
            programmeID.map { id -> SQLQueryString in "a.organisation_id = \(bind: organisationID) AND a.programme_id = \(bind: id)" }
            ?? "a.organisation_id = \(bind: organisationID)"
        // The dashboard reads only the scored kinds: no words, and no answer ids (which only
        // the goal re-ratings need).
        let columns: SQLQueryString =
            scoresOnly
            ? "CAST(a.person_id AS TEXT) AS person, CAST(a.programme_id AS TEXT) AS programme, a.kind, a.score, a.shared, a.answered_at"
            : "CAST(a.id AS TEXT) AS id, CAST(a.person_id AS TEXT) AS person, CAST(a.programme_id AS TEXT) AS programme, a.kind, a.score, "
                + "a.fit, a.reasons, a.comment, a.story, a.shared, a.answered_at"
        if scoresOnly {
            scope = scope + " AND a.kind IN (\(binds: [FeedbackKind.checkIn, .pulse, .review].map(\.rawValue)))"
        }
        let answers = try await ReadRow.all(
            "SELECT " + columns + " FROM \(ident: FeedbackResponse.schema) a WHERE " + scope + " ORDER BY a.kind, a.answered_at, a.id", on: sql)
        struct Answer {
            let id: String, person: UUID, programme: UUID, kind: FeedbackKind?, score: Int?, fit: String, reasons: [String]
            let comment: String, story: String, shared: Bool, answeredAt: Date
            var month: String
        }
        // Ids are read as text and parsed once per person, not once per answer.
        var ids: [String: UUID] = [:]
        func id(_ row: ReadRow, _ column: String) throws -> UUID {
            let text = try row.text(column)
            if let known = ids[text] { return known }
            guard let parsed = UUID(uuidString: text) else { throw StoreError.unavailable }
            ids[text] = parsed
            return parsed
        }
        let received = try answers.map { row in
            let answeredAt = try row.date("answered_at")
            func text(_ column: String) throws -> String { scoresOnly ? "" : try row.text(column) }
            return Answer(
                id: try text("id"), person: try id(row, "person"), programme: try id(row, "programme"),
                kind: FeedbackKind(rawValue: try row.text("kind")), score: try row.optionalInt("score"),
                fit: try text("fit"), reasons: try text("reasons").split(separator: ";").map(String.init), comment: try text("comment"),
                story: try text("story"), shared: try row.bool("shared"), answeredAt: answeredAt,
                month: UTCDay(answeredAt).monthLabel)
        }
        let goalRows: [any SQLRow] =
            if scoresOnly {
                []
            } else {
                try await sql.raw(
                    "SELECT g.rating, CAST(a.id AS TEXT) AS response, a.person_id, a.programme_id, a.shared, a.answered_at FROM \(ident: FeedbackGoalRating.schema) g "
                        + "JOIN \(ident: FeedbackResponse.schema) a ON a.id = g.response_id WHERE " + scope
                ).all()
            }

        // The thresholds: the programme's own, or for the organisation the strictest of its programmes'.
        let programmeIDs: [UUID]
        if let programmeID {
            programmeIDs = [programmeID]
        } else {
            programmeIDs = try await Programme.query(on: database).filter(\.$organisationID == organisationID).all().map { try $0.requireID() }
        }
        let settings = try await feedbackSettings(programmeIDs: programmeIDs, on: database)
        func kScores(_ programme: UUID) -> Int { settings[programme]?.kScores ?? FeedbackSettings.defaults.kScores }
        func kComments(_ programme: UUID) -> Int { settings[programme]?.kComments ?? FeedbackSettings.defaults.kComments }
        let k = programmeID.map(kScores) ?? (settings.values.map(\.kScores).max() ?? FeedbackSettings.defaults.kScores)
        let kText = programmeID.map(kComments) ?? (settings.values.map(\.kComments).max() ?? FeedbackSettings.defaults.kComments)

        // Answers are published in batches of k people per programme and kind, and count in the
        // month their batch closed: every figure below (comments included) is then a union of
        // whole batches, so neither watching a figure over time nor subtracting one figure from
        // another singles anyone out (`FeedbackGuard.batchEnds`).
        struct Stream: Hashable {
            let programme: UUID, kind: FeedbackKind?
        }
        var streams: [Stream: [Int]] = [:]
        for (index, answer) in received.enumerated() { streams[Stream(programme: answer.programme, kind: answer.kind), default: []].append(index) }
        var publishedMonth = [String?](repeating: nil, count: received.count)
        for (stream, indices) in streams {
            let rows = indices.map {
                FeedbackGuard.Row(person: received[$0].person, programme: stream.programme, month: "", score: nil, category: nil, shared: received[$0].shared)
            }
            var start = 0
            for end in FeedbackGuard.batchEnds(rows, k: kScores(stream.programme)) {
                let month = received[indices[end]].month
                for position in start...end { publishedMonth[indices[position]] = month }
                start = end + 1
            }
        }
        let list = received.indices.compactMap { index -> Answer? in
            guard let month = publishedMonth[index] else { return nil }
            var answer = received[index]
            answer.month = month
            return answer
        }
        let publishedIDs = Set(list.map(\.id))
        // Not yet in any figure, per kind: what "how many more are needed" counts.
        func waiting(_ kind: FeedbackKind) -> [FeedbackGuard.Row] {
            received.indices.filter { publishedMonth[$0] == nil && received[$0].kind == kind }.map {
                FeedbackGuard.Row(person: received[$0].person, programme: received[$0].programme, month: "", score: nil, category: nil, shared: received[$0].shared)
            }
        }

        typealias Row = FeedbackGuard.Row
        func rows(_ kind: FeedbackKind) -> [Row] {
            list.filter { $0.kind == kind }.map {
                Row(person: $0.person, programme: $0.programme, month: $0.month, score: $0.score.map(Double.init), category: $0.fit, shared: $0.shared)
            }
        }
        // The programmes held below their own k are a group the organisation's figure must not expose.
        func isShown(_ rows: [Row]) -> (shown: Bool, heldBack: String?) {
            guard FeedbackGuard.isShowable(rows, k: k) else { return (false, nil) }
            guard programmeID == nil else { return (true, nil) }
            let byProgramme = Dictionary(grouping: rows, by: \.programme)
            let hidden = byProgramme.filter { !FeedbackGuard.isShowable($0.value, k: kScores($0.key)) }.flatMap(\.value)
            guard FeedbackGuard.isSafeRemainder(hidden, k: k) else {
                return (false, "Held back: a programme with fewer than its k answers would show through as the difference between this total and the programmes' own figures.")
            }
            return (true, nil)
        }
        func measure(
            _ name: FeedbackMeasure.Name, _ rows: [Row], waiting: [Row], categories: [(String, String)] = [], surveys: Int? = nil
        ) -> FeedbackMeasure {
            let (shown, heldBack) = isShown(rows)
            var shares: [FeedbackMeasure.Share] = []
            var value: Double?
            var nps: Int?
            if shown {
                if categories.isEmpty {
                    value = FeedbackGuard.mean(rows)
                    if name == .recommend {
                        let scores = rows.compactMap(\.score)
                        let promoters = scores.filter { $0 >= 9 }.count, detractors = scores.filter { $0 <= 6 }.count
                        nps = scores.isEmpty ? nil : Int((Double(promoters - detractors) * 100 / Double(scores.count)).rounded())
                    }
                } else {
                    let total = Double(max(1, surveys ?? rows.count))
                    shares = categories.map { key, label in
                        let count = rows.filter { $0.category == key }.count
                        return FeedbackMeasure.Share(key: key, label: label, count: count, fraction: Double(count) / total)
                    }
                }
            }
            return FeedbackMeasure(
                name: name, respondents: FeedbackGuard.respondents(rows), answers: surveys ?? rows.count, k: k, value: value, nps: nps,
                shares: shares, needed: heldBack == nil ? FeedbackGuard.needed(rows + waiting, k: k) : 0, heldBack: heldBack)
        }

        let usefulness = rows(.checkIn)
        let goalRatingRows = try goalRows.filter { publishedIDs.contains(try $0.decode(column: "response", as: String.self)) }.map { row in
            Row(
                person: try row.decode(column: "person_id", as: UUID.self), programme: try row.decode(column: "programme_id", as: UUID.self),
                month: UTCDay(try row.decode(column: "answered_at", as: Date.self)).monthLabel,
                score: Double(try row.decode(column: "rating", as: Int.self)), category: nil, shared: try row.decode(column: "shared", as: Bool.self))
        }
        let surveys = list.filter { $0.kind == .closeSurvey }
        let reasonRows = surveys.flatMap { answer in
            answer.reasons.map { Row(person: answer.person, programme: answer.programme, month: answer.month, score: nil, category: $0, shared: answer.shared) }
        }
        var measures = [
            measure(.meetingUsefulness, usefulness, waiting: waiting(.checkIn)),
            measure(.pulse, rows(.pulse), waiting: waiting(.pulse)),
            measure(.fitCheck, rows(.fitCheck), waiting: waiting(.fitCheck), categories: FitAnswer.allCases.map { ($0.rawValue, $0.label) }),
            measure(.recommend, rows(.review), waiting: waiting(.review)),
            measure(.goalRerating, goalRatingRows, waiting: waiting(.review)),
        ]
        // Reasons are counted per survey (several may be ticked); respondents are the surveys' people.
        let reasonsMeasure = measure(.closeReasons, reasonRows, waiting: [], categories: CloseReason.allCases.map { ($0.rawValue, $0.label) }, surveys: surveys.count)
        let surveyPeople = surveys.map { Row(person: $0.person, programme: $0.programme, month: $0.month, score: nil, category: nil, shared: $0.shared) }
        let surveysShown = isShown(surveyPeople)
        measures.append(
            FeedbackMeasure(
                name: .closeReasons, respondents: FeedbackGuard.respondents(surveyPeople), answers: surveys.count, k: k, value: nil, nps: nil,
                shares: surveysShown.shown ? reasonsMeasure.shares : [], needed: surveysShown.heldBack == nil ? FeedbackGuard.needed(surveyPeople + waiting(.closeSurvey), k: k) : 0,
                heldBack: surveysShown.heldBack))

        // The trend: months of the programme (or, for the organisation, months that would not
        // expose a programme's held-back month), none exposing the others by difference with the total.
        var monthsShown: Set<String> = []
        if measures[0].value != nil {
            if let programmeID {
                monthsShown = FeedbackGuard.showableGroups(usefulness, k: kScores(programmeID), key: \.month)
            } else {
                var hiddenCells: [Row] = []
                for (programme, rows) in Dictionary(grouping: usefulness, by: \.programme) {
                    let own = FeedbackGuard.isShowable(rows, k: kScores(programme))
                        ? FeedbackGuard.showableGroups(rows, k: kScores(programme), key: \.month) : []
                    hiddenCells += rows.filter { !own.contains($0.month) }
                }
                let hiddenByMonth = Dictionary(grouping: hiddenCells, by: \.month)
                let candidates = Set(Set(usefulness.map(\.month)).filter { FeedbackGuard.isSafeRemainder(hiddenByMonth[$0] ?? [], k: k) })
                monthsShown = FeedbackGuard.showableGroups(usefulness, k: k, candidates: candidates, key: \.month)
            }
        }
        let series = Dictionary(grouping: usefulness, by: \.month).sorted { $0.key < $1.key }.map { month, rows in
            FeedbackMonth(month: month, respondents: FeedbackGuard.respondents(rows), value: monthsShown.contains(month) ? FeedbackGuard.mean(rows) : nil)
        }

        // Comments and stories: unattributed, only from programmes where k_comments people wrote one.
        let written = list.filter { !$0.shared && (!$0.comment.isEmpty || !$0.story.isEmpty) }
        var comments: [String] = []
        for (programme, answers) in Dictionary(grouping: written, by: \.programme) where Set(answers.map(\.person)).count >= kComments(programme) {
            comments += answers.flatMap { [$0.comment, $0.story].filter { !$0.isEmpty } }
        }
        let commenters = Set(written.map(\.person)).count
        if commenters < kText { comments = [] }

        // Shared by name.
        let sharedAnswers = scoresOnly ? [] : received.filter(\.shared).sorted { $0.answeredAt > $1.answeredAt }
        let names = try await self.names(ofPeople: Set(sharedAnswers.map(\.person)), on: database)
        let shared = sharedAnswers.map { answer in
            SharedFeedback(
                personID: answer.person, name: names[answer.person] ?? "A former member", kind: answer.kind ?? .checkIn, answeredAt: answer.answeredAt,
                answer: Self.answerWords(kind: answer.kind, score: answer.score, fit: answer.fit, reasons: answer.reasons),
                comment: [answer.comment, answer.story].filter { !$0.isEmpty }.joined(separator: "\n\n"))
        }
        return FeedbackSummary(
            programmeID: programmeID, kScores: k, kComments: kText, measures: measures, usefulnessByMonth: series, comments: comments.sorted(),
            commentRespondents: commenters, shared: shared, waitingAnswers: received.count - list.count)
    }

    /// An answer in words, for the answers shared by name.
    static func answerWords(kind: FeedbackKind?, score: Int?, fit: String, reasons: [String]) -> String {
        switch kind {
        case .checkIn: "Meeting usefulness \(score ?? 0) of 5"
        case .pulse: "Relationship health \(score ?? 0) of 5"
        case .fitCheck: FitAnswer(rawValue: fit)?.label ?? fit
        case .review: "Would recommend the programme: \(score ?? 0) of 10"
        case .closeSurvey: "Ended early: " + reasons.compactMap { CloseReason(rawValue: $0)?.label }.joined(separator: "; ")
        case nil: ""
        }
    }
}
