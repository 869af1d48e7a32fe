import Logging
import MutualStore
import SQLKit

extension Store {
    /// Runs every due job (emails, event consumers, match runs) here and now, as a replica's
    /// worker would, and returns how many ran. Store-level tests have no server, so no worker.
    @discardableResult
    public func runDueJobs() async throws -> Int {
        try await JobWorker(store: self, handlers: jobHandlers(), logger: TestBackend.logger).drain()
    }
}

extension Store {
    /// ``outbox()`` after running the due jobs (so events have become emails).
    public func outboxAfterJobs() async throws -> [(recipient: String, subject: String, body: String)] {
        try await runDueJobs()
        return try await outbox()
    }

    /// Every message the outbox transport kept, oldest first (what "sent" means without SMTP).
    public func outbox() async throws -> [(recipient: String, subject: String, body: String)] {
        try await database.sql().select().columns("recipient", "subject", "body").from(OutboxMessage.schema)
            .orderBy("created_at").all()
            .map { (try $0.decode(column: "recipient", as: String.self), try $0.decode(column: "subject", as: String.self),
                    try $0.decode(column: "body", as: String.self)) }
    }

    /// Runs the due jobs, then returns the secret of the newest link under `path` (such as
    /// `/password-reset/`) emailed to `email`, or nil when none was. A test app's own worker may
    /// hold the email job at that moment, so it looks again for up to `wait` seconds.
    public func emailedSecret(under path: String, to email: String, wait: Double = 5) async throws -> String? {
        let deadline = ContinuousClock.now + .milliseconds(Int(wait * 1000))
        while true {
            try await runDueJobs()
            let secret = try await outbox().filter { $0.recipient == email }.compactMap { message -> String? in
                guard let range = message.body.range(of: path) else { return nil }
                let secret = message.body[range.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
                return secret.isEmpty ? nil : String(secret)
            }.last
            if secret != nil || ContinuousClock.now >= deadline { return secret }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}
