import MutualStore
import Foundation
import StoreWorkloads

// Plain timing of the store workloads, for when package-benchmark is not at hand:
//   swift run -c release store-bench [people]     (default 100000)
let count = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-people-\(count).csv").path
let bytes = try PeopleFileGenerator.write(count: count, to: file)
print("generated \(count) people, \(bytes / 1024) KiB")

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let clock = ContinuousClock()
var importTimes: [Double] = []
var bench: StoreWorkbench?
for run in 1...3 {
    let workbench = try await StoreWorkbench.make()
    var report: PeopleImportReport?
    let elapsed = try await clock.measure { report = try await workbench.importFile(file) }
    importTimes.append(seconds(elapsed))
    print("import run \(run): \(String(format: "%.2f", seconds(elapsed))) s, \(report?.summary ?? "")")
    // A figure from an import that wrote nothing (a rejected row, all-or-nothing) means nothing.
    guard let report, report.created == count else {
        print("the import did not create all \(count) people; the figures do not count")
        exit(1)
    }
    if run == 3 { bench = workbench } else { await workbench.close() }
}
print("import: best \(String(format: "%.2f", importTimes.min()!)) s, median \(String(format: "%.2f", importTimes.sorted()[1])) s")

if let bench {
    var times: [Double] = []
    var page = try await bench.searchFirstPage()
    for _ in 0..<50 {
        let elapsed = try await clock.measure { page = try await bench.searchFirstPage() }
        times.append(seconds(elapsed) * 1000)
    }
    times.sort()
    print("directory first page (\(page.entries.count) of \(page.total) matches): median \(String(format: "%.1f", times[times.count / 2])) ms, p90 \(String(format: "%.1f", times[times.count * 9 / 10])) ms, best \(String(format: "%.1f", times[0])) ms")
    await bench.close()
}
try? FileManager.default.removeItem(atPath: file)
