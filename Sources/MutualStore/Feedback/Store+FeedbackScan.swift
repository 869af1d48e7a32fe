import FluentKit
import Foundation
import SQLKit

/// What one run of the feedback scan did (for tests and the job's log).
public struct FeedbackScanResult: Sendable, Equatable {
    /// New requests written (each emailed, unless the person turned feedback emails off).
    public var requested: Int
    /// Requests reminded this run.
    public var reminded: Int

    public init(requested: Int, reminded: Int) {
        self.requested = requested
        self.reminded = reminded
    }
}

extension Store {
    /// Meetings that ended within this many days are asked about (a scan that was down for a
    /// while catches up, and an old meeting is not asked about weeks later).
    public static let feedbackLookbackDays = 14
    /// An unanswered request is reminded once, this many days after it was sent.
    public static let feedbackReminderDays = 3
    /// The end-of-cycle review is asked for within this many days of the cycle's end.
    public static let feedbackReviewDays = 30

    /// The hourly `feedback.scan` job.
    func feedbackScan(_ job: ClaimedJob) async throws -> JobOutcome {
        let result = try await runFeedbackScan()
        logger.info("Feedback scan finished", metadata: ["requested": "\(result.requested)", "reminded": "\(result.reminded)"])
        return .finished
    }

    /// A request just written (or to remind), for its email.
    struct AskedFeedback: Sendable {
        var id: UUID, personID: UUID, programmeID: UUID, organisationID: UUID, kind: FeedbackKind
    }

    /// One occasion to ask one person about.
    struct FeedbackOccasion: Sendable {
        var organisationID: UUID, programmeID: UUID, relationshipID: UUID, personID: UUID
        var kind: FeedbackKind
        var meetingID: UUID?
        /// What makes the occasion unique (the meeting, the pulse's number, the cycle).
        var occasion: String
        var key: String { "\(kind.rawValue):\(relationshipID.uuidString.lowercased()):\(personID.uuidString.lowercased()):\(occasion)" }
    }

    /// One scan at the clock's time. Asks each member of each relationship:
    /// - a **check-in** for every meeting (scheduled, not cancelled) that ended in the last
    ///   ``feedbackLookbackDays`` days — the meeting's end, not its log, is the trigger: logging
    ///   is optional, and asking only those who logged would hear only from the engaged;
    /// - a **fit check** after the relationship's first such meeting;
    /// - a **pulse** at the programme's first-pulse day and then every so many days (active ones);
    /// - the **review** once the programme's cycle ended (within ``feedbackReviewDays``);
    /// - the **close survey** when it was dissolved (in the last ``feedbackLookbackDays`` days).
    /// Each request is inserted with `ON CONFLICT (request_key) DO NOTHING`, and only the rows
    /// this run inserted are emailed (in the same transaction), so two scans at once, or a
    /// retried job, ask once. Then it reminds, once, requests unanswered after
    /// ``feedbackReminderDays`` days (a conditional update: one reminder however many scans run).
    @discardableResult
    public func runFeedbackScan() async throws -> FeedbackScanResult {
        let now = clock.now
        let database = try db()
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        let since = now.addingTimeInterval(-Double(Self.feedbackLookbackDays) * 86_400)
        var occasions: [FeedbackOccasion] = []

        // Meetings that ended: a check-in each, and a fit check after a relationship's first.
        let meetingRows = try await sql.raw(
            "SELECT m.id, m.relationship_id, m.starts_at, m.duration_minutes, r.organisation_id, r.programme_id, rm.person_id "
                + "FROM \(ident: Meeting.schema) m JOIN \(ident: Relationship.schema) r ON r.id = m.relationship_id "
                + "JOIN \(ident: RelationshipMember.schema) rm ON rm.relationship_id = r.id "
                + "WHERE m.status = \(bind: Meeting.Status.scheduled.rawValue) AND m.starts_at <= \(bind: now) AND m.starts_at >= \(bind: since) "
                + "AND r.status <> \(bind: Relationship.Status.dissolved.rawValue)"
        ).all()
        struct Ended { let meetingID: UUID, relationshipID: UUID, startsAt: Date, organisationID: UUID, programmeID: UUID, personID: UUID }
        var ended: [Ended] = []
        for row in meetingRows {
            let startsAt = try row.decode(column: "starts_at", as: Date.self)
            let minutes = try row.decode(column: "duration_minutes", as: Int.self)
            guard startsAt.addingTimeInterval(Double(minutes) * 60) <= now else { continue }
            ended.append(
                Ended(
                    meetingID: try row.decode(column: "id", as: UUID.self), relationshipID: try row.decode(column: "relationship_id", as: UUID.self),
                    startsAt: startsAt, organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    programmeID: try row.decode(column: "programme_id", as: UUID.self), personID: try row.decode(column: "person_id", as: UUID.self)))
        }
        var firstMeeting: [UUID: UUID] = [:]
        for slice in Array(Set(ended.map(\.relationshipID))).queryBatches() {
            // The earliest meeting that was not cancelled, whenever it was.
            let rows = try await sql.raw(
                "SELECT m.relationship_id, m.id FROM \(ident: Meeting.schema) m WHERE m.status = \(bind: Meeting.Status.scheduled.rawValue) "
                    + "AND m.relationship_id IN \(NudgeQueryContext.list(Array(slice))) AND NOT EXISTS (SELECT 1 FROM \(ident: Meeting.schema) e "
                    + "WHERE e.relationship_id = m.relationship_id AND e.status = \(bind: Meeting.Status.scheduled.rawValue) "
                    + "AND (e.starts_at < m.starts_at OR (e.starts_at = m.starts_at AND e.id < m.id)))"
            ).all()
            for row in rows { firstMeeting[try row.decode(column: "relationship_id", as: UUID.self)] = try row.decode(column: "id", as: UUID.self) }
        }
        for meeting in ended {
            let base = FeedbackOccasion(
                organisationID: meeting.organisationID, programmeID: meeting.programmeID, relationshipID: meeting.relationshipID,
                personID: meeting.personID, kind: .checkIn, meetingID: meeting.meetingID, occasion: meeting.meetingID.uuidString.lowercased())
            occasions.append(base)
            if firstMeeting[meeting.relationshipID] == meeting.meetingID {
                var fit = base
                fit.kind = .fitCheck
                fit.occasion = "first"
                occasions.append(fit)
            }
        }

        // Pulses: the current one of each active relationship (a missed one is not asked late).
        let pulseRows = try await sql.raw(
            "SELECT r.id, r.organisation_id, r.programme_id, r.started_at, rm.person_id, p.pulse_first_days, p.pulse_every_days "
                + "FROM \(ident: Relationship.schema) r JOIN \(ident: RelationshipMember.schema) rm ON rm.relationship_id = r.id "
                + "JOIN \(ident: Programme.schema) p ON p.id = r.programme_id WHERE r.status = \(bind: Relationship.Status.active.rawValue)"
        ).all()
        for row in pulseRows {
            let started = try row.decode(column: "started_at", as: Date.self)
            let first = try row.decode(column: "pulse_first_days", as: Int.self)
            let every = max(1, try row.decode(column: "pulse_every_days", as: Int.self))
            let days = Int(now.timeIntervalSince(started) / 86_400)
            guard days >= first else { continue }
            let number = (days - first) / every
            // Only within the lookback of the pulse's day, so a programme that changes its
            // schedule does not set off a pulse at once for every relationship.
            guard days - (first + number * every) < Self.feedbackLookbackDays else { continue }
            occasions.append(
                FeedbackOccasion(
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    programmeID: try row.decode(column: "programme_id", as: UUID.self), relationshipID: try row.decode(column: "id", as: UUID.self),
                    personID: try row.decode(column: "person_id", as: UUID.self), kind: .pulse, meetingID: nil, occasion: String(number)))
        }

        // Reviews: the programme's cycle ended lately; close surveys: dissolved lately.
        let today = Self.utcDay(now)
        let reviewFrom = Self.utcDay(now.addingTimeInterval(-Double(Self.feedbackReviewDays) * 86_400))
        let endRows = try await sql.raw(
            "SELECT r.id, r.organisation_id, r.programme_id, r.status, rm.person_id, p.cycle_end "
                + "FROM \(ident: Relationship.schema) r JOIN \(ident: RelationshipMember.schema) rm ON rm.relationship_id = r.id "
                + "JOIN \(ident: Programme.schema) p ON p.id = r.programme_id "
                + "WHERE (r.status IN (\(bind: Relationship.Status.active.rawValue), \(bind: Relationship.Status.completed.rawValue)) "
                + "AND p.cycle_end <> '' AND p.cycle_end <= \(bind: today) AND p.cycle_end >= \(bind: reviewFrom)) "
                + "OR (r.status = \(bind: Relationship.Status.dissolved.rawValue) AND r.ended_at >= \(bind: since))"
        ).all()
        for row in endRows {
            let dissolved = try row.decode(column: "status", as: String.self) == Relationship.Status.dissolved.rawValue
            occasions.append(
                FeedbackOccasion(
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    programmeID: try row.decode(column: "programme_id", as: UUID.self), relationshipID: try row.decode(column: "id", as: UUID.self),
                    personID: try row.decode(column: "person_id", as: UUID.self), kind: dissolved ? .closeSurvey : .review, meetingID: nil,
                    occasion: dissolved ? "closed" : try row.decode(column: "cycle_end", as: String.self)))
        }

        var result = FeedbackScanResult(requested: 0, reminded: 0)
        for chunk in occasions.queryBatches(200) {
            result.requested += try await askFor(Array(chunk), now: now)
        }
        result.reminded = try await remindFeedback(now: now)
        return result
    }

    /// Inserts the requests that do not exist yet and emails those this call inserted, in one transaction.
    private func askFor(_ occasions: [FeedbackOccasion], now: Date) async throws -> Int {
        guard !occasions.isEmpty else { return 0 }
        let planned = occasions.map { (UUID(), $0) }
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            let values = planned.map { id, occasion -> SQLQueryString in
                "(\(bind: id), \(bind: occasion.organisationID), \(bind: occasion.programmeID), \(bind: occasion.relationshipID), "
                    + "\(bind: occasion.personID), \(bind: occasion.kind.rawValue), \(bind: occasion.meetingID), \(bind: occasion.key), \(bind: now))"
            }
            let inserted = try await sql.raw(
                "INSERT INTO \(ident: FeedbackRequest.schema) (id, organisation_id, programme_id, relationship_id, person_id, kind, meeting_id, "
                    + "request_key, created_at) VALUES " + values.joined(separator: ", ") + " ON CONFLICT (request_key) DO NOTHING RETURNING id"
            ).all().map { try $0.decode(column: "id", as: UUID.self) }
            let insertedIDs = Set(inserted)
            let asked = planned.filter { insertedIDs.contains($0.0) }
            try await self.emailFeedbackRequests(
                asked.map { AskedFeedback(id: $0.0, personID: $0.1.personID, programmeID: $0.1.programmeID, organisationID: $0.1.organisationID, kind: $0.1.kind) },
                reminder: false, on: database)
            return asked.count
        }
    }

    /// Reminds, once, the requests unanswered after ``feedbackReminderDays`` days and still open.
    private func remindFeedback(now: Date) async throws -> Int {
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            let rows = try await sql.raw(
                "UPDATE \(ident: FeedbackRequest.schema) SET reminded_at = \(bind: now) WHERE answered_at IS NULL AND reminded_at IS NULL "
                    + "AND created_at <= \(bind: now.addingTimeInterval(-Double(Self.feedbackReminderDays) * 86_400)) "
                    + "AND created_at >= \(bind: now.addingTimeInterval(-Double(Self.feedbackOpenDays) * 86_400)) "
                    + "RETURNING id, person_id, programme_id, organisation_id, kind"
            ).all()
            let reminders = try rows.map { row in
                AskedFeedback(
                    id: try row.decode(column: "id", as: UUID.self), personID: try row.decode(column: "person_id", as: UUID.self),
                    programmeID: try row.decode(column: "programme_id", as: UUID.self),
                    organisationID: try row.decode(column: "organisation_id", as: UUID.self),
                    kind: FeedbackKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .checkIn)
            }
            try await self.emailFeedbackRequests(reminders, reminder: true, on: database)
            return reminders.count
        }
    }

    /// Queues the emails of requests (the people and programmes read once), each with a unique
    /// key, so a request is emailed once and reminded once.
    private func emailFeedbackRequests(
        _ requests: [AskedFeedback], reminder: Bool, on database: any Database
    ) async throws {
        guard !requests.isEmpty else { return }
        var people: [UUID: Person] = [:]
        for person in try await Person.query(on: database).filter(\.$id ~~ Array(Set(requests.map(\.personID)))).all() {
            people[try person.requireID()] = person
        }
        var programmes: [UUID: String] = [:]
        for programme in try await Programme.query(on: database).filter(\.$id ~~ Array(Set(requests.map(\.programmeID)))).all() {
            programmes[try programme.requireID()] = programme.name
        }
        let emails = requests.compactMap { request -> PendingEmail? in
            guard let person = people[request.personID], let email = person.email, !email.isEmpty else { return nil }
            let programme = programmes[request.programmeID] ?? "your programme"
            return PendingEmail(
                template: "feedback-request", category: .feedback,
                to: EmailRecipient(personID: request.personID, email: email, name: person.name), organisationID: request.organisationID,
                values: [
                    "name": person.name, "title": request.kind.title, "question": Self.feedbackQuestion(request.kind, programme: programme),
                    "programme": programme, "reminder": reminder, "link": "\(mailSettings.baseURL)/feedback/\(request.id.uuidString.lowercased())",
                    "action": "Answer (under a minute)",
                ],
                uniqueKey: "feedback-\(reminder ? "reminder" : "request"):\(request.id.uuidString.lowercased())")
        }
        try await queueEmails(emails, on: database)
    }

    /// The email's sentence for each kind.
    static func feedbackQuestion(_ kind: FeedbackKind, programme: String) -> String {
        switch kind {
        case .checkIn: "You had a meeting in \(programme). How useful was it?"
        case .fitCheck: "You had your first meeting in \(programme). How is the fit?"
        case .pulse: "How is your relationship in \(programme) going?"
        case .review: "The cycle of \(programme) has ended. How far did you get with your goals and skills?"
        case .closeSurvey: "Your relationship in \(programme) ended early. What happened?"
        }
    }
}
