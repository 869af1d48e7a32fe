/// Runs SQLite write transactions one after another, waiting without holding a thread.
///
/// SQLite lets one writer in at a time. When two transactions contend, the second would wait
/// in SQLite's busy handler, which (as SQLiteNIO sets it) retries on a thread of the shared
/// I/O thread pool. With two such waiters on a two-thread pool, the transaction they wait for
/// gets no thread to finish on and the server hangs. Queuing the transactions here, in Swift,
/// means a waiting transaction costs a suspended task instead of a thread.
actor WriteQueue {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Runs `work` once every transaction queued before it has finished.
    func run<T: Sendable>(_ work: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await work()
    }
}
