import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// How a replica's worker behaves.
public struct JobWorkerConfiguration: Sendable {
    /// Jobs this worker runs at once.
    public var concurrency: Int = 4
    /// How long a claim lasts without renewal; a job whose worker died is taken over this long
    /// after its last renewal (`MUTUAL_JOB_LEASE_SECONDS`).
    public var lease: TimeInterval = 60
    /// How often an idle worker looks for due jobs queued by other replicas or coming due.
    public var pollInterval: Duration = .seconds(1)
    /// Names this worker in leases: host, process and a random part, so two processes on one
    /// host never share a lease.
    public var workerID: String = JobWorkerConfiguration.defaultWorkerID()

    public init() {}

    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }
}

/// Runs due jobs in this process: one per replica, started by `mutual serve`. It claims jobs with
/// a lease, renews the lease while each job works, records the outcome (retrying failures with
/// backoff), and enqueues each schedule's job once per slot. On shutdown it stops claiming and
/// gives its unfinished jobs back to the queue.
public struct JobWorker: Service {
    public let store: Store
    public let handlers: [String: JobHandler]
    public let schedules: [JobSchedule]
    public let configuration: JobWorkerConfiguration
    let logger: Logger

    public init(
        store: Store, handlers: [JobHandler], schedules: [JobSchedule] = [], configuration: JobWorkerConfiguration = JobWorkerConfiguration(),
        logger: Logger
    ) {
        self.store = store
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { _, last in last })
        self.schedules = schedules
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerID)"
        self.logger = logger
    }

    public func run() async throws {
        let kinds = handlers.keys.sorted()
        let running = RunningJobs()
        var scheduledSlots: [String: Date] = [:]
        logger.info("Job worker started", metadata: ["kinds": "\(kinds.joined(separator: ","))"])
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                scheduledSlots = await enqueueScheduled(after: scheduledSlots)
                let free = configuration.concurrency - running.count
                var claimed: [ClaimedJob] = []
                if free > 0 {
                    do {
                        if try await store.hasDueJobs(kinds: kinds, at: store.clock.now) {
                            claimed = try await store.claimJobs(
                                kinds: kinds, limit: free, owner: configuration.workerID, lease: configuration.lease)
                        }
                    } catch {
                        logger.warning("Could not claim jobs; trying again shortly", metadata: ["error": "\(error)"])
                    }
                }
                for job in claimed {
                    running.insert(job.id)
                    group.addTask {
                        await execute(job)
                        running.remove(job.id)
                        store.jobSignal.notify()
                    }
                }
                // A full batch means more may be waiting: look again at once.
                if claimed.isEmpty || claimed.count < free {
                    await withGracefulShutdownHandler {
                        await store.jobSignal.wait(timeout: configuration.pollInterval)
                    } onGracefulShutdown: {
                        store.jobSignal.notify()
                    }
                }
            }
            // Stopping: whatever is still running goes back to the queue for another worker (or
            // this one after a restart) instead of waiting out its lease.
            let unfinished = running.all
            if !unfinished.isEmpty {
                logger.info("Job worker stopping; returning unfinished jobs to the queue", metadata: ["jobs": "\(unfinished.count)"])
                try? await store.releaseJobs(unfinished, owner: configuration.workerID)
            }
            group.cancelAll()
        }
        logger.info("Job worker stopped")
    }

    /// Runs due jobs in this task, a batch at a time, until none is due; returns how many ran.
    /// For tests, benchmarks and commands that do their work without a server.
    @discardableResult
    public func drain(limit: Int = 100_000) async throws -> Int {
        let kinds = handlers.keys.sorted()
        var done = 0
        while done < limit {
            let claimed = try await store.claimJobs(
                kinds: kinds, limit: max(1, configuration.concurrency), owner: configuration.workerID, lease: configuration.lease)
            if claimed.isEmpty { break }
            await withTaskGroup(of: Void.self) { group in
                for job in claimed { group.addTask { await execute(job) } }
            }
            done += claimed.count
        }
        return done
    }

    /// Runs one claimed job while renewing its lease, then records the outcome.
    func execute(_ job: ClaimedJob) async {
        guard let handler = handlers[job.kind] else { return }
        var jobLogger = logger
        jobLogger[metadataKey: "job"] = "\(job.id)"
        jobLogger[metadataKey: "kind"] = "\(job.kind)"
        let result: Result<JobOutcome, any Error>
        if job.attempt > job.maxAttempts {
            result = .failure(AbandonedJob(attempts: job.attempt - 1))
        } else {
            result = await withTaskGroup(of: Result<JobOutcome, any Error>?.self) { group in
                group.addTask {
                    do { return .success(try await handler.run(job)) } catch { return .failure(error) }
                }
                group.addTask {
                    await renewWhileRunning(job)
                    return nil
                }
                var outcome: Result<JobOutcome, any Error> = .failure(CancellationError())
                for await value in group {
                    if let value {
                        outcome = value
                        group.cancelAll()
                    }
                }
                return outcome
            }
        }
        if case .failure(let error) = result, error is CancellationError, Task.isCancelled {
            // The worker is stopping, not the job failing: hand it back uncounted.
            try? await store.releaseJobs([job.id], owner: configuration.workerID)
            return
        }
        if case .failure(let error) = result {
            jobLogger.warning("Job attempt failed", metadata: ["attempt": "\(job.attempt)", "error": "\(Store.describe(error))"])
        }
        do {
            let gaveUp = try await store.settleJob(job, owner: configuration.workerID, result: result, policy: handler.policy)
            if gaveUp, case .failure(let error) = result { await handler.giveUp(job, Store.describe(error)) }
        } catch {
            jobLogger.error("Could not record a job's outcome; its lease will lapse and it will run again", metadata: ["error": "\(error)"])
        }
    }

    private func renewWhileRunning(_ job: ClaimedJob) async {
        let interval = max(0.05, configuration.lease / 3)
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                if try await !store.renewLease(of: job.id, owner: configuration.workerID, lease: configuration.lease) {
                    logger.warning("Lost the lease of a running job; another worker has it now", metadata: ["job": "\(job.id)"])
                    return
                }
            } catch is CancellationError {
                return
            } catch {
                logger.warning("Could not renew a job's lease", metadata: ["job": "\(job.id)", "error": "\(error)"])
            }
        }
    }

    /// Enqueues each schedule's job for the current slot once per slot change in this process
    /// (the unique key makes it once across replicas).
    private func enqueueScheduled(after done: [String: Date]) async -> [String: Date] {
        var done = done
        let now = store.clock.now
        for schedule in schedules {
            let slot = schedule.slot(containing: now)
            guard done[schedule.name] != slot else { continue }
            do {
                try await store.enqueue(schedule.job(forSlotContaining: now))
                done[schedule.name] = slot
            } catch {
                logger.warning("Could not enqueue a scheduled job", metadata: ["schedule": "\(schedule.name)", "error": "\(error)"])
            }
        }
        return done
    }
}

/// The ids of the jobs this worker is running.
final class RunningJobs: Sendable {
    private let ids = Mutex<Set<UUID>>([])

    var count: Int { ids.withLock { $0.count } }
    var all: [UUID] { ids.withLock { Array($0) } }
    func insert(_ id: UUID) { _ = ids.withLock { $0.insert(id) } }
    func remove(_ id: UUID) { _ = ids.withLock { $0.remove(id) } }
}

/// A job claimed again after its workers stopped more times than it may be tried.
struct AbandonedJob: Error, LocalizedError, PermanentJobError {
    let attempts: Int
    var errorDescription: String? { JobError.abandoned(attempts: attempts).errorDescription }
}
