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
// Match runs (issue 6): the demo's skill-swap programme, and a programme of 10,000 people.
do {
    let (demo, programmeID) = try await DemoWorkbench.make()
    var times: [Double] = []
    var last: MatchRunSummary?
    for _ in 0..<5 {
        let elapsed = try await clock.measure { last = try await demo.runMatching(programmeID: programmeID) }
        times.append(seconds(elapsed) * 1000)
    }
    times.sort()
    print("match run, demo skill swap (\(last?.participants ?? 0) people, \(last?.matched ?? 0) matched, \(last?.optimality?.rawValue ?? "")): median \(String(format: "%.0f", times[2])) ms, best \(String(format: "%.0f", times[0])) ms")
    await demo.close()

    let runPeople = min(count, 10_000)
    let runFile = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-run-\(runPeople).csv").path
    try PeopleFileGenerator.write(count: runPeople, to: runFile)
    let workbench = try await StoreWorkbench.make()
    _ = try await workbench.importFile(runFile)
    let programmeID10k = try await workbench.enrolEveryoneInProgramme(count: runPeople)
    var runTimes: [Double] = []
    for _ in 0..<3 {
        let elapsed = try await clock.measure { last = try await workbench.runMatching(programmeID: programmeID10k) }
        runTimes.append(seconds(elapsed))
    }
    runTimes.sort()
    print("match run, \(runPeople)-person programme (\(last?.matched ?? 0) matched, \(last?.optimality?.rawValue ?? ""), certified gap \(last?.gapPercent ?? 0) %): median \(String(format: "%.2f", runTimes[1])) s, best \(String(format: "%.2f", runTimes[0])) s")
    await workbench.close()
    try? FileManager.default.removeItem(atPath: runFile)
}
try? FileManager.default.removeItem(atPath: file)
