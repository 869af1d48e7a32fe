import Foundation
import MutualStore
import StoreWorkloads

// The dashboard of a 5,000-person programme, timed as a plain release executable (for perf and
// for a second opinion beside package-benchmark): builds the workbench, then computes the
// dashboard `runs` times and prints each time and the median. SQLite unless
// MUTUAL_BENCH_POSTGRES is set.
let runs = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 30
let workbench = try await DashboardWorkbench.make(people: 5_000)
print("built \(workbench.backend) workbench")
var times: [Double] = []
for _ in 0..<runs {
    let start = ContinuousClock.now
    let dashboard = try await workbench.dashboard()
    let elapsed = ContinuousClock.now - start
    times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
    precondition(!dashboard.kpis.isEmpty)
}
times.sort()
print(String(format: "dashboard: median %.1f ms, p90 %.1f ms, max %.1f ms over %d runs", times[times.count / 2], times[times.count * 9 / 10], times.last!, runs))
await workbench.close()
