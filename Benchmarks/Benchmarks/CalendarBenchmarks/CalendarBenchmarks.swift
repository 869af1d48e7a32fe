import Benchmark
import Foundation
import MutualStore
import StoreWorkloads

/// A person's calendar feed with 500 meetings (issue 14: target under 20 ms).
let benchmarks: @Sendable () -> Void = {
    let meetings = CalendarWorkloads.meetings(count: 500)
    let calendar = MeetingCalendar(baseURL: "https://mutual.example.org")
    Benchmark(
        "Calendar feed: render 500 meetings as iCalendar",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .throughput], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(10), maxIterations: 500)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(calendar.feed(meetings).rendered())
        }
    }

    // The whole request on SQLite, as GET /calendar/<secret>.ics does it (less HTTP): one
    // database, filled once in setup; each iteration looks the secret up, checks the
    // membership, reads the 500 meetings and their members, and renders.
    let feed = Box<CalendarFeedWorkbench>()
    Benchmark(
        "Calendar feed: a person with 500 meetings, from the secret to the iCalendar text (SQLite)",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .throughput], timeUnits: .milliseconds, warmupIterations: 3,
            maxDuration: .seconds(15), maxIterations: 300,
            setup: { feed.value = try await CalendarFeedWorkbench.make(meetings: 500) },
            teardown: {
                await feed.value?.close()
                feed.value = nil
            })
    ) { benchmark in
        guard let workbench = feed.value else { throw WorkloadError("the feed was not set up") }
        for _ in benchmark.scaledIterations {
            blackHole(try await workbench.feed())
        }
    }
}

final class Box<Value>: @unchecked Sendable {
    var value: Value?
}
