import Benchmark
import Foundation
import MutualStore
import StoreWorkloads

/// The programme dashboard of a 5,000-person programme (issue 15: p99 under 200 ms on SQLite
/// and on PostgreSQL). SQLite by default; set MUTUAL_BENCH_POSTGRES to a PostgreSQL URL to run
/// it there (a schema of its own, dropped afterwards).
let benchmarks: @Sendable () -> Void = {
    let bench = Box<DashboardWorkbench>()
    let backend = JobWorkbench.postgresURL == nil ? "SQLite" : "PostgreSQL"
    Benchmark(
        "Dashboard: a 5,000-person programme's KPIs, funnel, meetings, measures and skills growth (\(backend))",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident], timeUnits: .milliseconds, warmupIterations: 2,
            maxDuration: .seconds(20), maxIterations: 200,
            setup: { bench.value = try await DashboardWorkbench.make(people: 5_000) },
            teardown: {
                await bench.value?.close()
                bench.value = nil
            })
    ) { benchmark in
        guard let workbench = bench.value else { throw WorkloadError("the dashboard was not set up") }
        for _ in benchmark.scaledIterations {
            blackHole(try await workbench.dashboard())
        }
    }
}

final class Box<Value>: @unchecked Sendable {
    var value: Value?
}
