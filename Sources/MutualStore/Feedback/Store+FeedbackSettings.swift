import FluentKit
import Foundation
import SQLKit

extension Store {
    /// A programme's feedback settings, for a programme manager of its organisation.
    public func feedbackSettings(programmeID: UUID, of identity: Identity) async throws -> FeedbackSettings {
        _ = try await managedProgramme(id: programmeID, of: identity)
        return try await feedbackSettings(programmeIDs: [programmeID], on: try db())[programmeID] ?? .defaults
    }

    /// The settings of several programmes, read in one statement.
    func feedbackSettings(programmeIDs: [UUID], on database: any Database) async throws -> [UUID: FeedbackSettings] {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        var settings: [UUID: FeedbackSettings] = [:]
        for slice in programmeIDs.queryBatches() {
            let rows = try await sql.raw(
                "SELECT id, feedback_k_scores, feedback_k_comments, pulse_first_days, pulse_every_days FROM \(ident: Programme.schema) "
                    + "WHERE id IN \(NudgeQueryContext.list(Array(slice)))"
            ).all()
            for row in rows {
                settings[try row.decode(column: "id", as: UUID.self)] = FeedbackSettings(
                    kScores: try row.decode(column: "feedback_k_scores", as: Int.self),
                    kComments: try row.decode(column: "feedback_k_comments", as: Int.self),
                    pulseFirstDays: try row.decode(column: "pulse_first_days", as: Int.self),
                    pulseEveryDays: try row.decode(column: "pulse_every_days", as: Int.self))
            }
        }
        return settings
    }

    /// Changes a programme's feedback settings. The thresholds go from 3 to 10; they may be set
    /// freely until the cycle starts, and after that only raised: lowering k once answers were
    /// given under a promise of k would show them to the manager in smaller groups than promised.
    public func setFeedbackSettings(_ new: FeedbackSettings, programmeID: UUID, by identity: Identity) async throws {
        _ = try await managedProgramme(id: programmeID, of: identity)
        for (field, label, value) in [("k_scores", "scores", new.kScores), ("k_comments", "comments", new.kComments)]
        where !FeedbackSettings.kRange.contains(value) {
            throw StoreError.invalid(
                field: field,
                message: "The threshold for \(label) must be from \(FeedbackSettings.kRange.lowerBound) to \(FeedbackSettings.kRange.upperBound) respondents, not \(value).")
        }
        for (field, label, value) in [("pulse_first_days", "first pulse", new.pulseFirstDays), ("pulse_every_days", "pulse interval", new.pulseEveryDays)]
        where !FeedbackSettings.pulseDaysRange.contains(value) {
            throw StoreError.invalid(
                field: field,
                message: "The \(label) must be from \(FeedbackSettings.pulseDaysRange.lowerBound) to \(FeedbackSettings.pulseDaysRange.upperBound) days, not \(value).")
        }
        let today = Self.utcDay(clock.now)
        let organisationID = identity.organisationID
        let actor = identity.personID
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            try await Self.lockRows(Programme.schema, where: "id", equals: programmeID, on: database)
            guard let programme = try await Programme.find(programmeID, on: database) else { throw StoreError.notFound(what: "programme") }
            let old = try await self.feedbackSettings(programmeIDs: [programmeID], on: database)[programmeID] ?? .defaults
            // An empty start date is a cycle not yet planned: it has not started.
            let started = !programme.cycleStart.isEmpty && programme.cycleStart <= today
            if started {
                for (field, label, before, after) in [
                    ("k_scores", "scores", old.kScores, new.kScores), ("k_comments", "comments", old.kComments, new.kComments),
                ] where after < before {
                    throw StoreError.conflict(
                        field: field,
                        message: "The threshold for \(label) cannot be lowered from \(before) to \(after): the cycle started on \(programme.cycleStart), and people answered on the promise that nobody sees \(label) from fewer than \(before) of them. You can keep it or raise it.")
                }
            }
            try await sql.raw(
                "UPDATE \(ident: Programme.schema) SET feedback_k_scores = \(bind: new.kScores), feedback_k_comments = \(bind: new.kComments), "
                    + "pulse_first_days = \(bind: new.pulseFirstDays), pulse_every_days = \(bind: new.pulseEveryDays) WHERE id = \(bind: programmeID)"
            ).run()
            try await self.record(
                NewEvent(
                    .programmeChanged, organisationID: organisationID, actor: actor, subject: programmeID,
                    payload: [
                        "feedback_k_scores": .int(new.kScores), "feedback_k_comments": .int(new.kComments),
                        "pulse_first_days": .int(new.pulseFirstDays), "pulse_every_days": .int(new.pulseEveryDays),
                    ]),
                on: database)
        }
    }

    /// `YYYY-MM-DD` in UTC, as programmes store their dates.
    static func utcDay(_ date: Date) -> String { UTCDay(date).iso }
}
