import FluentKit
import Foundation
import SQLKit

/// An organisation's retention periods; nil keeps that data until someone deletes it.
public struct RetentionSettings: Sendable, Equatable {
    /// Feedback comments (and stories) are emptied this many months after the answer; the
    /// scores stay, so the programme's figures do not change.
    public var feedbackCommentMonths: Int?
    /// Sent-mail bodies (the outbox's copies) are emptied this many days after sending; the
    /// record of who was sent what, when, stays.
    public var sentMailDays: Int?

    public init(feedbackCommentMonths: Int? = nil, sentMailDays: Int? = nil) {
        self.feedbackCommentMonths = feedbackCommentMonths
        self.sentMailDays = sentMailDays
    }

    /// The bounds a setting must be within.
    public static let monthsRange = 1...120
    public static let daysRange = 1...3650
}

/// What one retention pass removed.
public struct RetentionReport: Sendable, Equatable {
    public var feedbackComments = 0
    public var mailBodies = 0
}

extension Store {
    /// The organisation's retention settings.
    public func retentionSettings(organisationID: UUID) async throws -> RetentionSettings {
        let rows = try await database.sql().raw("""
            SELECT feedback_comment_retention_months AS m, sent_mail_retention_days AS d FROM organisations WHERE id = \(bind: organisationID)
            """).all()
        guard let row = rows.first else { throw StoreError.notFound(what: "organisation") }
        return RetentionSettings(
            feedbackCommentMonths: try row.decode(column: "m", as: Int?.self), sentMailDays: try row.decode(column: "d", as: Int?.self))
    }

    /// An admin changes the retention settings; records `privacy_settings.changed`.
    public func setRetentionSettings(_ settings: RetentionSettings, by admin: Identity) async throws {
        try requireRole(.admin, admin)
        if let months = settings.feedbackCommentMonths, !RetentionSettings.monthsRange.contains(months) {
            throw StoreError.invalid(
                field: "feedback_comment_months", message: "Give the months to keep feedback comments as a whole number from 1 to 120, or leave it empty to keep them.")
        }
        if let days = settings.sentMailDays, !RetentionSettings.daysRange.contains(days) {
            throw StoreError.invalid(
                field: "sent_mail_days", message: "Give the days to keep sent-mail bodies as a whole number from 1 to 3650, or leave it empty to keep them.")
        }
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            try await sql.raw("""
                UPDATE organisations SET feedback_comment_retention_months = \(bind: settings.feedbackCommentMonths), \
                sent_mail_retention_days = \(bind: settings.sentMailDays) WHERE id = \(bind: admin.organisationID)
                """).run()
            var payload: [String: EventValue] = [:]
            payload["feedback_comment_months"] = settings.feedbackCommentMonths.map { .int($0) } ?? .string("keep")
            payload["sent_mail_days"] = settings.sentMailDays.map { .int($0) } ?? .string("keep")
            try await self.record(
                NewEvent(.privacySettingsChanged, organisationID: admin.organisationID, actor: admin.personID, subject: admin.organisationID, payload: payload),
                on: database)
        }
    }

    /// The nightly `privacy.retention` job: applies every organisation's settings.
    func applyRetention(_ job: ClaimedJob) async throws -> JobOutcome {
        _ = try await applyRetention()
        return .finished
    }

    /// Applies every organisation's retention settings at the store's clock; one transaction per
    /// organisation, recording `privacy.retention_applied` (counts only) where anything went.
    @discardableResult
    public func applyRetention() async throws -> [UUID: RetentionReport] {
        let rows = try await database.sql().raw("""
            SELECT id, feedback_comment_retention_months AS m, sent_mail_retention_days AS d FROM organisations \
            WHERE feedback_comment_retention_months IS NOT NULL OR sent_mail_retention_days IS NOT NULL
            """).all()
        let now = clock.now
        let utc: Calendar = {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "UTC")!
            return calendar
        }()
        var reports: [UUID: RetentionReport] = [:]
        for row in rows {
            let organisationID = try row.decode(column: "id", as: UUID.self)
            let months = try row.decode(column: "m", as: Int?.self)
            let days = try row.decode(column: "d", as: Int?.self)
            let report = try await transaction { database -> RetentionReport in
                guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
                var report = RetentionReport()
                if let months, let cutoff = utc.date(byAdding: .month, value: -months, to: now) {
                    report.feedbackComments = try await sql.raw("""
                        UPDATE feedback_responses SET comment = '', story = '' WHERE organisation_id = \(bind: organisationID) \
                        AND answered_at < \(bind: cutoff) AND (comment <> '' OR story <> '') RETURNING id
                        """).all().count
                }
                if let days {
                    let cutoff = now.addingTimeInterval(-Double(days) * 86_400)
                    report.mailBodies = try await sql.raw("""
                        UPDATE outbox_messages SET body = '', attachments = '[]' WHERE organisation_id = \(bind: organisationID) \
                        AND created_at < \(bind: cutoff) AND (body <> '' OR attachments <> '[]') RETURNING id
                        """).all().count
                }
                if report.feedbackComments + report.mailBodies > 0 {
                    try await self.record(
                        NewEvent(
                            .retentionApplied, organisationID: organisationID, actor: nil, subject: organisationID,
                            payload: ["feedback_comments": .int(report.feedbackComments), "mail_bodies": .int(report.mailBodies)]),
                        on: database)
                }
                return report
            }
            reports[organisationID] = report
        }
        return reports
    }
}
