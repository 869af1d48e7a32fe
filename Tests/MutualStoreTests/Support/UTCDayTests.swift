import Foundation
import Testing

@testable import MutualStore

@Suite("UTC day arithmetic")
struct UTCDayTests {
    static let gregorian: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// What Foundation's calendar says, the brute-force answer.
    static func expected(_ date: Date) -> (Int, Int, Int) {
        let parts = gregorian.dateComponents([.year, .month, .day], from: date)
        return (parts.year!, parts.month!, parts.day!)
    }

    @Test("agrees with Foundation's Gregorian calendar on 20,000 random moments from 1601 to 2399")
    func agreesWithCalendar() {
        var generator = SystemRandomNumberGenerator()
        let low = -11_644_473_600.0, high = 13_569_465_600.0  // 1601-01-01 and 2400-01-01
        for _ in 0..<20_000 {
            let date = Date(timeIntervalSince1970: Double.random(in: low..<high, using: &generator))
            let day = UTCDay(date)
            #expect((day.year, day.month, day.day) == Self.expected(date), "\(date.timeIntervalSince1970)")
        }
    }

    @Test("the edges: leap days, century years, the last second of a day, before 1970")
    func edges() {
        let cases: [(Double, String)] = [
            (0, "1970-01-01"), (-1, "1969-12-31"), (86_399.999, "1970-01-01"), (86_400, "1970-01-02"),
            (951_782_400, "2000-02-29"), (951_868_800, "2000-03-01"), (4_107_456_000, "2100-02-28"), (4_107_542_400, "2100-03-01"),
            (1_709_164_800, "2024-02-29"), (1_735_689_599, "2024-12-31"), (-2_208_988_800, "1900-01-01"),
        ]
        for (seconds, iso) in cases {
            let day = UTCDay(Date(timeIntervalSince1970: seconds))
            #expect(day.iso == iso, "\(seconds)")
            #expect(day.monthLabel == String(iso.prefix(7)))
        }
    }
}
