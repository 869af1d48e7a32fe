import FluentKit
import Foundation

extension Store {
    /// Every kind of job Mutual runs, with its handler: what a replica's ``JobWorker`` runs.
    public func jobHandlers() -> [JobHandler] {
        [
            JobHandler(kind: JobKind.matchRun, policy: .matchRun, run: runMatchRunJob, giveUp: giveUpMatchRun),
            JobHandler(kind: JobKind.email, policy: .email, run: sendEmailJob),
            JobHandler(kind: JobKind.audit, run: consumeForAudit),
            JobHandler(kind: JobKind.notify, run: consumeForNotifications),
            JobHandler(kind: JobKind.housekeeping, run: housekeeping),
            JobHandler(kind: JobKind.messageDigest, run: sendMessageDigest),
            JobHandler(kind: JobKind.nudgeScan, run: nudgeScan),
            JobHandler(kind: JobKind.feedbackScan, run: feedbackScan),
            JobHandler(kind: JobKind.webhookFanOut, run: fanOutWebhooks),
            JobHandler(kind: JobKind.webhookDelivery, run: deliverWebhook),
            JobHandler(kind: JobKind.invitationReminder, run: sendInvitationReminder),
            JobHandler(kind: JobKind.launchReminder, run: sendLaunchReminder),
            JobHandler(kind: JobKind.privacyErase, run: runDeletionJob),
            JobHandler(kind: JobKind.privacyRetention, run: applyRetention),
        ]
    }

    /// The recurring jobs.
    public static let jobSchedules = [
        JobSchedule(name: "housekeeping", kind: JobKind.housekeeping, period: .daily),
        JobSchedule(name: "nudges", kind: JobKind.nudgeScan, period: .hourly),
        JobSchedule(name: "feedback", kind: JobKind.feedbackScan, period: .hourly),
        JobSchedule(name: "retention", kind: JobKind.privacyRetention, period: .daily),
    ]

    /// How long finished jobs stay on the jobs page.
    public static let finishedJobRetention: TimeInterval = 14 * 86_400

    /// How long a settled webhook delivery stays in its endpoint's log.
    public static let webhookDeliveryRetention: TimeInterval = 30 * 86_400

    /// Daily: forgets finished jobs after two weeks, sessions that expired, idempotency keys
    /// older than a day and settled webhook deliveries older than a month.
    func housekeeping(_ job: ClaimedJob) async throws -> JobOutcome {
        let now = clock.now
        try await transaction { database in
            try await Job.query(on: database).filter(\.$status == .finished)
                .filter(\.$finishedAt < now.addingTimeInterval(-Self.finishedJobRetention)).delete()
            try await Session.query(on: database).filter(\.$expiresAt < now).delete()
            try await self.purgeExpiredIdempotencyKeys(on: database, now: now)
            // Webhook delivery logs keep a month of settled deliveries; pending ones stay.
            try await WebhookDelivery.query(on: database).filter(\.$status != .pending)
                .filter(\.$createdAt < now.addingTimeInterval(-Self.webhookDeliveryRetention)).delete()
        }
        return .finished
    }
}
