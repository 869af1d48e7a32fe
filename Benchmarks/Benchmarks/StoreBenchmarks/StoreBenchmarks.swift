import Benchmark
import Foundation
import StoreWorkloads

/// The people import and the directory, on SQLite at 100,000 people (targets: import under
/// 20 s, the first page of a filtered search under 50 ms).
let benchmarks: @Sendable () -> Void = {
    let people = 100_000
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("mutual-bench-people-\(people).csv").path

    Benchmark(
        "People import: 100,000 rows into a fresh SQLite file",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident], timeUnits: .seconds, warmupIterations: 0,
            maxDuration: .seconds(120), maxIterations: 3,
            setup: { try PeopleFileGenerator.write(count: people, to: file) })
    ) { benchmark in
        let workbench = try await StoreWorkbench.make()
        benchmark.startMeasurement()
        let report = try await workbench.importFile(file)
        benchmark.stopMeasurement()
        precondition(report.created == people, report.summary)
        await workbench.close()
    }

    // One database for all iterations: filled once (setup), then only the search is measured.
    let directory = WorkbenchBox()
    Benchmark(
        "Directory: first page of a filtered search, 100,000 people, 500,000 skill rows",
        configuration: .init(
            metrics: [.wallClock, .throughput], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(30), maxIterations: 200,
            setup: {
                try PeopleFileGenerator.write(count: people, to: file)
                let workbench = try await StoreWorkbench.make()
                let report = try await workbench.importFile(file)
                precondition(report.created == people, report.summary)
                directory.workbench = workbench
            },
            teardown: {
                await directory.workbench?.close()
                directory.workbench = nil
            })
    ) { benchmark in
        guard let workbench = directory.workbench else { return }
        for _ in benchmark.scaledIterations {
            blackHole(try await workbench.searchFirstPage())
        }
    }
}

/// Holds the directory benchmark's database between its setup and its iterations (the harness
/// runs them one after another, never at once).
final class WorkbenchBox: @unchecked Sendable {
    var workbench: StoreWorkbench?
}
