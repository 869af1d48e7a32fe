import FluentKit
import Foundation
import Logging
import MutualTestSupport
import Synchronization
import Testing

@testable import MutualStore

/// The durable job queue on each backend: leases, retries with backoff, schedules, and claims
/// that never hand one job to two workers.
@Suite("Durable jobs")
struct JobQueueTests {
    static let kind = "test.job"
    static let logger = Logger(label: "job-test")

    static func store(_ database: MutualDatabase, clock: TestClock) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: logger)
    }

    static func job(_ number: Int, policy: RetryPolicy = .standard, runAt: Date? = nil, uniqueKey: String? = nil) -> NewJob {
        NewJob(kind: kind, payload: "{\"n\":\(number)}", subject: "test:\(number)", organisationID: nil, runAt: runAt, uniqueKey: uniqueKey, policy: policy)
    }

    static func row(_ id: UUID, in store: Store) async throws -> Job {
        try #require(try await Job.find(id, on: try store.db()))
    }

    static func worker(_ store: Store, id: String, lease: TimeInterval = 60, handler: JobHandler) -> JobWorker {
        var configuration = JobWorkerConfiguration()
        configuration.workerID = id
        configuration.lease = lease
        return JobWorker(store: store, handlers: [handler], configuration: configuration, logger: logger)
    }

    @Test("A job whose worker stops renewing is claimed again once the lease lapses, and the first worker's late word changes nothing", arguments: TestBackend.all)
    func leaseLapse(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            try await store.enqueue(Self.job(1))
            let first = try await store.claimJobs(kinds: [Self.kind], limit: 10, owner: "a", lease: 30)
            try #require(first.count == 1)
            #expect(first[0].attempt == 1)

            // While the lease holds, nobody else gets the job.
            clock.advance(by: 29)
            #expect(try await store.claimJobs(kinds: [Self.kind], limit: 10, owner: "b", lease: 30).isEmpty)

            // Worker a went silent; after the lease, b takes the job over as a second attempt.
            clock.advance(by: 2)
            let second = try await store.claimJobs(kinds: [Self.kind], limit: 10, owner: "b", lease: 30)
            try #require(second.count == 1)
            #expect(second[0].id == first[0].id)
            #expect(second[0].attempt == 2)

            // a comes back and reports success: it no longer holds the lease, so nothing changes.
            #expect(try await store.renewLease(of: first[0].id, owner: "a", lease: 30) == false)
            try await store.settleJob(first[0], owner: "a", result: .success(.finished), policy: .standard)
            var row = try await Self.row(first[0].id, in: store)
            #expect(row.status == .running)
            #expect(row.leaseOwner == "b")

            try await store.settleJob(second[0], owner: "b", result: .success(.finished), policy: .standard)
            row = try await Self.row(first[0].id, in: store)
            #expect(row.status == .finished)
            #expect(row.leaseOwner == nil)
            #expect(try await store.claimJobs(kinds: [Self.kind], limit: 10, owner: "c", lease: 30).isEmpty)
        }
    }

    @Test("A failing job is retried after a doubling wait, keeps its last error, and is given up after its last attempt", arguments: TestBackend.all)
    func retryWithBackoff(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let policy = RetryPolicy(maxAttempts: 3, baseDelay: 10, maximumDelay: 15)
            let tries = Mutex(0)
            let givenUp = Mutex<[String]>([])
            struct Refused: Error, CustomStringConvertible { let n: Int; var description: String { "the peer refused (try \(n))" } }
            let handler = JobHandler(
                kind: Self.kind, policy: policy,
                run: { _ in
                    let n = tries.withLock { $0 += 1; return $0 }
                    throw Refused(n: n)
                },
                giveUp: { _, reason in givenUp.withLock { $0.append(reason) } })
            let worker = Self.worker(store, id: "w", handler: handler)
            try await store.enqueue(Self.job(1, policy: policy))
            let start = clock.now

            #expect(try await worker.drain() == 1)
            let id = try #require(try await Job.query(on: try store.db()).first()?.id)
            var row = try await Self.row(id, in: store)
            #expect(row.status == .queued)
            #expect(row.attempts == 1)
            #expect(row.lastError == "the peer refused (try 1)")
            #expect(row.runAt == start.addingTimeInterval(10))
            // Not yet due: draining now runs nothing.
            #expect(try await worker.drain() == 0)

            clock.advance(by: 10)
            #expect(try await worker.drain() == 1)
            row = try await Self.row(id, in: store)
            #expect(row.attempts == 2)
            // 10 s doubled is 20 s, capped at the policy's 15 s.
            #expect(row.runAt == start.addingTimeInterval(25))
            #expect(row.lastError == "the peer refused (try 2)")
            #expect(givenUp.withLock { $0 }.isEmpty)

            clock.advance(by: 15)
            #expect(try await worker.drain() == 1)
            row = try await Self.row(id, in: store)
            #expect(row.status == .failed)
            #expect(row.attempts == 3)
            #expect(row.lastError == "the peer refused (try 3)")
            #expect(givenUp.withLock { $0 } == ["the peer refused (try 3)"])

            clock.advance(by: 3600)
            #expect(try await worker.drain() == 0, "a failed job is not tried again by itself")
            #expect(tries.withLock { $0 } == 3)
        }
    }

    @Test("A job that asks to run later is not charged an attempt", arguments: TestBackend.all)
    func laterIsNotAnAttempt(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let calls = Mutex(0)
            let handler = JobHandler(kind: Self.kind) { _ in
                let n = calls.withLock { $0 += 1; return $0 }
                return n < 3 ? .later(clock.now.addingTimeInterval(5), reason: "waiting for the rate limit") : .finished
            }
            let worker = Self.worker(store, id: "w", handler: handler)
            try await store.enqueue(Self.job(1, policy: RetryPolicy(maxAttempts: 1, baseDelay: 1, maximumDelay: 1)))
            for _ in 0..<3 {
                #expect(try await worker.drain() == 1)
                clock.advance(by: 5)
            }
            let row = try #require(try await Job.query(on: try store.db()).first())
            #expect(row.status == .finished, "two waits did not use up the job's single attempt")
            #expect(row.attempts == 1)
        }
    }

    @Test("A schedule's job is written once per slot, however many replicas enqueue it", arguments: TestBackend.all)
    func oncePerSlot(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))  // 08:00 UTC, the start of an hour
            let store = Self.store(database, clock: clock)
            let schedule = JobSchedule(name: "chores", kind: Self.kind, period: .hourly)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 { group.addTask { try await store.enqueue(schedule.job(forSlotContaining: clock.now)) } }
                try await group.waitForAll()
            }
            #expect(try await Job.query(on: try store.db()).count() == 1)
            clock.advance(by: 1800)  // the same hour
            try await store.enqueue(schedule.job(forSlotContaining: clock.now))
            #expect(try await Job.query(on: try store.db()).count() == 1)
            clock.advance(by: 1800)  // the next hour
            try await store.enqueue(schedule.job(forSlotContaining: clock.now))
            let jobs = try await Job.query(on: try store.db()).sort(\.$runAt).all()
            #expect(jobs.count == 2)
            #expect(jobs.map(\.runAt) == [Date(timeIntervalSince1970: 1_800_000_000), Date(timeIntervalSince1970: 1_800_003_600)])
        }
    }

    @Test("50 workers claiming at once never get the same job, and every job runs exactly once", arguments: TestBackend.all)
    func parallelClaims(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let clock = TestClock()
            let store = Self.store(database, clock: clock)
            let count = 300
            try await store.transaction { database in
                for n in 0..<count { try await store.enqueue(Self.job(n), on: database) }
            }
            let runs = Mutex<[UUID: Int]>([:])
            let handler = JobHandler(kind: Self.kind) { job in
                runs.withLock { $0[job.id, default: 0] += 1 }
                return .finished
            }
            let drained = try await withThrowingTaskGroup(of: Int.self) { group in
                for worker in 0..<50 {
                    group.addTask { try await Self.worker(store, id: "worker-\(worker)", handler: handler).drain() }
                }
                return try await group.reduce(0, +)
            }
            let counts = runs.withLock { $0 }
            #expect(drained == count)
            #expect(counts.count == count)
            #expect(counts.values.allSatisfy { $0 == 1 })
            #expect(try await Job.query(on: try store.db()).filter(\.$status == .finished).count() == count)
        }
    }

    @Test("The worker service runs a queued job without being asked, and hands a running job back when it stops", arguments: TestBackend.all)
    func serviceRunsAndReleases(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: Self.logger)
            let started = AsyncStream<UUID>.makeStream()
            let handler = JobHandler(kind: Self.kind) { job in
                if job.payload.contains("\"n\":2") {
                    started.continuation.yield(job.id)
                    try await Task.sleep(for: .seconds(600))  // until the worker stops
                }
                return .finished
            }
            let worker = Self.worker(store, id: "service", handler: handler)
            let service = Task { try await worker.run() }
            try await store.enqueue(Self.job(1))
            try await store.enqueue(Self.job(2))
            var iterator = started.stream.makeAsyncIterator()
            let longID = try #require(await iterator.next())
            // The first job finishes on its own.
            var finished = 0
            for _ in 0..<200 where finished == 0 {
                finished = try await Job.query(on: try store.db()).filter(\.$status == .finished).count()
                if finished == 0 { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(finished == 1)
            service.cancel()
            _ = try? await service.value
            let row = try await Self.row(longID, in: store)
            #expect(row.status == .queued, "a stopping worker returns its unfinished job instead of letting the lease run out")
            #expect(row.leaseOwner == nil)
            #expect(row.attempts == 0, "the interrupted attempt is not counted")
        }
    }
}
