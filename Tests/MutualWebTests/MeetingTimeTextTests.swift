import Foundation
import Testing

@testable import MutualWeb

@Suite("Meeting times in words")
struct MeetingTimeTextTests {
    /// What `MeetingTimeText` wrote before it kept its formatters: a new formatter per call.
    static func fresh(_ date: Date, _ zone: TimeZone, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = zone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }

    static let zones = ["Europe/Lisbon", "Asia/Kolkata", "Asia/Kathmandu", "America/Santiago", "UTC+05:30", "Pacific/Chatham"]
        .compactMap(TimeZone.init(identifier:))

    @Test("50 parallel callers across zones get what a new formatter writes, and the formatters are kept, one per zone and pattern")
    func parallelFormattingMatchesFreshFormatters() async throws {
        // 2027-03-28 00:30 UTC, the night Lisbon's clocks go forward, then every 7 hours 13 minutes.
        let start = Date(timeIntervalSince1970: 1_806_193_800)
        let results = await withTaskGroup(of: [(String, String)].self) { group in
            for task in 0..<50 {
                group.addTask {
                    (0..<40).map { step in
                        let zone = Self.zones[(task + step) % Self.zones.count]
                        let date = start.addingTimeInterval(Double(task * 40 + step) * 26_000)
                        let end = date.addingTimeInterval(45 * 60)
                        let endsSameDay = Self.fresh(date, zone, "yyyy-MM-dd") == Self.fresh(end, zone, "yyyy-MM-dd")
                        let endText = endsSameDay ? Self.fresh(end, zone, "HH:mm") : "\(Self.fresh(end, zone, "EEEE d MMMM yyyy")) \(Self.fresh(end, zone, "HH:mm"))"
                        let expected = "\(Self.fresh(date, zone, "EEEE d MMMM yyyy")), \(Self.fresh(date, zone, "HH:mm"))–\(endText) (\(zone.identifier))"
                        return (MeetingTimeText.describe(date, durationMinutes: 45, in: zone), expected)
                    }
                }
            }
            var all: [(String, String)] = []
            for await batch in group { all += batch }
            return all
        }
        #expect(results.count == 2000)
        for (written, expected) in results where written != expected { Issue.record("\(written) ≠ \(expected)") }

        // Other tests may share the cache; what matters is that calling again builds nothing new.
        let kept = DateFormatterCache.shared.count
        #expect(kept >= Self.zones.count * 2 && kept <= DateFormatterCache.limit)
        for zone in Self.zones {
            _ = MeetingTimeText.describe(start, durationMinutes: 45, in: zone)
            _ = MeetingTimeText.localInputValue(start, zone)
        }
        let afterInputs = DateFormatterCache.shared.count
        for zone in Self.zones { _ = MeetingTimeText.localInputValue(start, zone) }
        #expect(DateFormatterCache.shared.count == afterInputs, "a second round reuses the formatters")
    }

    @Test("A form's local start reads strictly in the person's zone, through the kept formatters")
    func parseStartStaysStrict() throws {
        let lisbon = try #require(TimeZone(identifier: "Europe/Lisbon"))
        #expect(MeetingTimeText.parseStart("2027-03-15T10:00", in: lisbon) == Date(timeIntervalSince1970: 1_805_104_800))
        #expect(MeetingTimeText.parseStart("2027-03-15T10:00:00", in: lisbon) == Date(timeIntervalSince1970: 1_805_104_800))
        #expect(MeetingTimeText.parseStart("2027-02-30T10:00", in: lisbon) == nil, "no 30 February")
        #expect(MeetingTimeText.parseStart("2027-03-28T01:30", in: lisbon) == nil, "the clocks skip 01:00–02:00")
        #expect(MeetingTimeText.parseStart("2027-03-15T10:00:00Z", in: lisbon) == Date(timeIntervalSince1970: 1_805_104_800))
        for _ in 0..<3 { _ = MeetingTimeText.parseStart("2027-03-15T10:00", in: lisbon) }
        #expect(MeetingTimeText.localInputValue(Date(timeIntervalSince1970: 1_805_104_800), lisbon) == "2027-03-15T10:00")
    }
}
