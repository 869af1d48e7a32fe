import Logging
import MutualStore

extension Store {
    /// Runs every due job (emails, event consumers, match runs) here and now, as a replica's
    /// worker would, and returns how many ran. Store-level tests have no server, so no worker.
    @discardableResult
    public func runDueJobs() async throws -> Int {
        try await JobWorker(store: self, handlers: jobHandlers(), logger: TestBackend.logger).drain()
    }
}
