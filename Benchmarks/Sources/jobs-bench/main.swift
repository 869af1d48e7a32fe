import Foundation
import MutualStore
import StoreWorkloads

// Plain timing of the job queue and of the event append, on all cores (package-benchmark gives
// parallel work one core here, and two workers are the point of the throughput figure):
//   swift run -c release jobs-bench [jobs]        (default 20000)
// With MUTUAL_BENCH_POSTGRES=postgres://… it also runs on PostgreSQL, in a schema of its own.
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 20_000

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
var workbenches: [@Sendable () async throws -> JobWorkbench] = [{ try await JobWorkbench.sqlite() }]
if let url = JobWorkbench.postgresURL { workbenches.append({ try await JobWorkbench.postgres(url: url) }) }
else { print("MUTUAL_BENCH_POSTGRES is not set: SQLite only") }

for make in workbenches {
    for workers in [1, 2] {
        let bench = try await make()
        try await bench.enqueue(count)
        var ran = 0
        let elapsed = try await clock.measure { ran = try await bench.drain(workers: workers) }
        guard ran == count else {
            print("\(bench.backend): ran \(ran) of \(count) jobs; the figure does not count")
            exit(1)
        }
        let health = try await bench.store.jobQueueHealth()
        guard health.finished == count, health.queued == 0, health.running == 0 else {
            print("\(bench.backend): the queue did not end with every job finished (\(health)); the figure does not count")
            exit(1)
        }
        print("\(bench.backend), \(workers) worker(s) × 4: \(count) jobs claimed and completed in \(String(format: "%.2f", seconds(elapsed))) s = \(Int(Double(count) / seconds(elapsed))) jobs/s")
        await bench.close()
    }

    // The event append: the same one-row write with and without its event, interleaved.
    let bench = try await make()
    let organisation = try await bench.organisation()
    var plain: [Double] = [], withEvent: [Double] = []
    for _ in 0..<50 { try await bench.write(withEvent: true, organisationID: organisation) }  // warm up
    for _ in 0..<1000 {
        plain.append(seconds(try await clock.measure { try await bench.write(withEvent: false, organisationID: organisation) }) * 1000)
        withEvent.append(seconds(try await clock.measure { try await bench.write(withEvent: true, organisationID: organisation) }) * 1000)
    }
    plain.sort()
    withEvent.sort()
    func p(_ values: [Double], _ q: Double) -> String { String(format: "%.3f", values[Int(Double(values.count - 1) * q)]) }
    print("\(bench.backend) write: p50 \(p(plain, 0.5)) ms, p90 \(p(plain, 0.9)) ms; with its event: p50 \(p(withEvent, 0.5)) ms, p90 \(p(withEvent, 0.9)) ms; the event adds \(String(format: "%.3f", withEvent[withEvent.count / 2] - plain[plain.count / 2])) ms at p50")
    await bench.close()
}
