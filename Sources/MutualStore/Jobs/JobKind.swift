/// The kinds of job Mutual runs. A kind is the name a handler is registered under; it is
/// stored with each job, so a kind is never renamed once released.
public enum JobKind {
    /// Runs a match run (``Store/matchRunner.execute(runID:)``); payload ``MatchRunJob``.
    public static let matchRun = "match_run.execute"
    /// Sends one email; payload ``EmailJob``.
    public static let email = "email.send"
    /// Writes an event into the audit log; payload ``EventJob``.
    public static let audit = "event.audit"
    /// Turns an event into the emails it causes; payload ``EventJob``.
    public static let notify = "event.notify"
    /// Daily: prunes finished jobs and expired sessions.
    public static let housekeeping = "housekeeping"
    /// Emails one person the messages of the hour (and any since their last digest); payload
    /// ``MessageDigestJob``.
    public static let messageDigest = "message.digest"
    /// Hourly: nudges the people whose local morning it is, closes requests and silent
    /// relationships (``Store/nudgeScan(_:)``).
    public static let nudgeScan = "nudges.scan"
    /// Hourly: asks for feedback (check-ins, fit checks, pulses, reviews, close surveys) and
    /// reminds once (``Store/runFeedbackScan()``).
    public static let feedbackScan = "feedback.scan"
    /// Turns an event into one webhook delivery per subscribed endpoint; payload ``EventJob``.
    /// Written with the event only when its organisation has an enabled endpoint.
    public static let webhookFanOut = "event.webhooks"
    /// Attempts one webhook delivery; payload ``WebhookDeliveryJob``.
    public static let webhookDelivery = "webhook.deliver"
    /// Reminds someone of an invitation they have not answered, 7 days on; payload
    /// ``InvitationReminderJob``. Sends nothing if the invitation is no longer pending.
    public static let invitationReminder = "invitation.remind"
    /// Reminds a programme launch's audience who have not enrolled, before enrolment closes;
    /// payload ``ProgrammeLaunchReminderJob``.
    public static let launchReminder = "programme_launch.remind"
    /// Carries out an account deletion request at its due date, unless it was cancelled;
    /// payload ``DeletionRequestJob``.
    public static let privacyErase = "privacy.erase"
    /// Daily: removes what is past each organisation's retention periods (``Store/applyRetention(_:)``).
    public static let privacyRetention = "privacy.retention"
}
