import Benchmark
import Foundation
import StoreWorkloads

/// The durable job queue and the event append (issue 12): claim-and-complete throughput with
/// two workers (target ≥ 500 jobs/s on PostgreSQL) and the cost an event adds to a write
/// (target under 1 ms at p50). PostgreSQL runs when `MUTUAL_BENCH_POSTGRES` is set.
let benchmarks: @Sendable () -> Void = {
    let jobs = 5000
    var backends: [(String, @Sendable () async throws -> JobWorkbench)] = [("SQLite", { try await JobWorkbench.sqlite() })]
    if let url = JobWorkbench.postgresURL { backends.append(("PostgreSQL", { try await JobWorkbench.postgres(url: url) })) }

    for (name, make) in backends {
        Benchmark(
            "Jobs: \(jobs) claimed and completed by two workers, \(name)",
            configuration: .init(
                metrics: [.wallClock, .throughput], timeUnits: .milliseconds, warmupIterations: 0,
                maxDuration: .seconds(60), maxIterations: 5)
        ) { benchmark in
            let bench = try await make()
            try await bench.enqueue(jobs)
            benchmark.startMeasurement()
            let ran = try await bench.drain(workers: 2)
            benchmark.stopMeasurement()
            precondition(ran == jobs, "ran \(ran) of \(jobs) jobs")
            await bench.close()
        }

        let writes = Box<(JobWorkbench, UUID)>()
        for withEvent in [false, true] {
            Benchmark(
                "Write: one-row transaction\(withEvent ? " with its event" : ""), \(name)",
                configuration: .init(
                    metrics: [.wallClock], timeUnits: .microseconds, warmupIterations: 20, maxDuration: .seconds(10), maxIterations: 2000,
                    setup: {
                        let bench = try await make()
                        writes.value = (bench, try await bench.organisation())
                    },
                    teardown: {
                        await writes.value?.0.close()
                        writes.value = nil
                    })
            ) { benchmark in
                guard let (bench, organisation) = writes.value else { return }
                try await bench.write(withEvent: withEvent, organisationID: organisation)
            }
        }
    }
}

/// Holds a benchmark's set-up state between its setup, iterations and teardown.
final class Box<Value>: @unchecked Sendable {
    var value: Value?
}
