import Benchmark
import Foundation
import MutualStore

/// Finding a time (issue 14): `SlotFinder.find` for a pair and for a group of eight over the
/// next 14 days (target: under 20 ms for eight), on fixed inputs that cross a daylight-saving
/// change (Europe, 28 March 2027) and include +05:30 and −03:00 zones and existing meetings.
let benchmarks: @Sendable () -> Void = {
    for workload in SlotWorkload.all {
        Benchmark(
            "Slots: \(workload.name)",
            configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .microseconds, maxDuration: .seconds(10), maxIterations: 2000)
        ) { benchmark in
            for _ in benchmark.scaledIterations {
                let slots = SlotFinder.find(members: workload.members, busy: workload.busy, durationMinutes: workload.durationMinutes, now: workload.now)
                precondition(slots.count == workload.expectedCount, "\(workload.name): \(slots.count) slots, expected \(workload.expectedCount)")
                blackHole(slots)
            }
        }
    }
}

/// The inputs of one benchmark: members, their meetings and the moment of the search.
struct SlotWorkload: Sendable {
    let name: String
    let members: [SlotFinder.Member]
    let busy: [DateInterval]
    let durationMinutes: Int
    let now: Date
    let expectedCount: Int

    /// Monday 22 March 2027, 08:10 UTC: the 14 days cross the start of European summer time.
    static let now = Date(timeIntervalSince1970: 1_805_703_000)

    static let zones = [
        "Europe/London", "Europe/Berlin", "Asia/Kolkata", "America/Sao_Paulo", "Europe/Lisbon", "Africa/Lagos", "Europe/Helsinki", "Europe/Madrid",
    ]

    /// A working week with a lunch break (two windows a weekday, 13:00–13:45 off) and a Saturday
    /// morning, in each person's own zone, shifted by up to an hour per person; Kolkata and São
    /// Paulo keep hours that reach Europe's.
    static func week(_ index: Int) -> [AvailabilityWindow] {
        let shift = (index % 3) * 30
        let (start, end) =
            switch zones[index] {
            case "Asia/Kolkata": (12 * 60, 22 * 60)
            case "America/Sao_Paulo": (6 * 60, 15 * 60)
            default: (8 * 60, 18 * 60)
            }
        var windows: [AvailabilityWindow] = []
        for day in 1...5 {
            windows.append(AvailabilityWindow(weekday: day, startMinute: start + shift, endMinute: 13 * 60))
            windows.append(AvailabilityWindow(weekday: day, startMinute: 13 * 60 + 45, endMinute: end - shift))
        }
        windows.append(AvailabilityWindow(weekday: 6, startMinute: 9 * 60, endMinute: 12 * 60))
        return windows
    }

    /// Three meetings each over the fortnight, at different hours.
    static func meetings(_ count: Int) -> [DateInterval] {
        (0..<count * 3).map { (index: Int) -> DateInterval in
            let seconds: Int = 86_400 * (1 + index % 13) + 3600 * (index % 7) + 1800
            return DateInterval(start: now.addingTimeInterval(TimeInterval(seconds)), duration: 3600)
        }
    }

    static func group(_ count: Int, name: String, expectedCount: Int) -> SlotWorkload {
        SlotWorkload(
            name: name,
            members: (0..<count).map { SlotFinder.Member(timeZone: TimeZone(identifier: zones[$0])!, windows: week($0)) }, busy: meetings(count),
            durationMinutes: 45, now: now, expectedCount: expectedCount)
    }

    static let all: [SlotWorkload] = [
        group(2, name: "a pair over 14 days", expectedCount: 20),
        group(8, name: "a group of eight over 14 days", expectedCount: 20),
        SlotWorkload(
            name: "a group of eight free around the clock over 14 days (every half hour a candidate)",
            members: zones.map { SlotFinder.Member(timeZone: TimeZone(identifier: $0)!, windows: (1...7).map { AvailabilityWindow(weekday: $0, startMinute: 0, endMinute: 1440) }) },
            busy: meetings(8), durationMinutes: 45, now: now, expectedCount: 20),
    ]
}
