import Foundation
import MutualStore
import StoreWorkloads

// Plain timing of the hourly nudge scan (issue 14: 100,000 relationships under 10 s):
//   swift run -c release nudge-bench [relationships]     (default 100000)
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
var bench: NudgeWorkbench!
let built = try await clock.measure { bench = try await NudgeWorkbench.make(relationships: count) }
print("built \(count) relationships (\(count * 2) people) in \(String(format: "%.1f", seconds(built))) s")
var times: [Double] = []
for run in 1...3 {
    var result: NudgeScanResult?
    let elapsed = try await clock.measure { result = try await bench.scan() }
    times.append(seconds(elapsed))
    print("scan \(run): \(String(format: "%.2f", seconds(elapsed))) s — \(result!.findings) reasons found, \(result!.nudged) people nudged")
    guard let result, result.nudged > 0 else {
        print("the scan nudged nobody; the figure does not count")
        exit(1)
    }
    try await bench.reset()
}
times.sort()
print("nudge scan over \(count) relationships: median \(String(format: "%.2f", times[1])) s, best \(String(format: "%.2f", times[0])) s")
await bench.close()
