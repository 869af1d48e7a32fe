import Foundation
import MutualMatching
import MutualStore
import Testing

/// `SlotFinder` against a brute-force enumeration (every half hour, every minute of every
/// member's week marked on a bitmap straight from `Calendar`), and on hand-worked cases: daylight
/// saving, +05:30 and +05:45 zones, the default week, meetings, the limit.
@Suite struct SlotFinderTests {
    static let zones = [
        "UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/St_Johns", "America/Sao_Paulo", "America/Santiago",
        "Asia/Kolkata", "Asia/Kathmandu", "Asia/Tokyo", "Australia/Adelaide", "Australia/Lord_Howe", "Pacific/Auckland",
        "Pacific/Chatham",
    ]

    /// Instants near the daylight-saving changes of 2027 (Europe 28 March and 31 October, the
    /// United States 14 March, the southern hemisphere 4 April and 26 September / 3 October).
    static let anchors = [
        "2027-03-26T00:00:00Z", "2027-10-29T00:00:00Z", "2027-03-12T00:00:00Z", "2027-04-02T00:00:00Z", "2027-09-24T00:00:00Z",
        "2027-10-01T00:00:00Z", "2026-12-10T00:00:00Z",
    ].map(date)

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else { fatalError("bad test date \(text)") }
        return date
    }

    static func zone(_ name: String) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else { fatalError("no zone \(name)") }
        return zone
    }

    static func everyDay(_ start: Int, _ end: Int) -> [AvailabilityWindow] {
        (1...7).map { AvailabilityWindow(weekday: $0, startMinute: start, endMinute: end) }
    }

    static func utcText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    // MARK: Against brute force

    @Test func randomInputsGiveTheSameSlotsInTheSameOrderAsBruteForce() {
        var generator = SeededGenerator(seed: 14_2027)
        var nonEmpty = 0
        for round in 0..<400 {
            let memberCount = Int.random(in: 1...3, using: &generator) + (round % 5 == 0 ? 2 : 0)
            let members = (0..<memberCount).map { _ in
                SlotFinder.Member(
                    timeZone: Self.zone(Self.zones.randomElement(using: &generator)!), windows: Self.randomWindows(using: &generator))
            }
            let now = Self.anchors.randomElement(using: &generator)!
                + TimeInterval(Int.random(in: 0..<(3 * 86_400), using: &generator))
            let horizon = round % 10 == 0 ? 14 : Int.random(in: 1...4, using: &generator)
            let busy = (0..<Int.random(in: 0...5, using: &generator)).map { _ in
                let startMinute = Int.random(in: -24 * 60...(horizon * 24 * 60), using: &generator)
                let aligned = Bool.random(using: &generator) ? startMinute / 30 * 30 : startMinute
                let start = now.addingTimeInterval(TimeInterval(aligned * 60)).timeIntervalSince1970.rounded(.down)
                return DateInterval(
                    start: Date(timeIntervalSince1970: start), duration: TimeInterval(Int.random(in: 15...180, using: &generator) * 60))
            }
            let duration = [15, 30, 45, 60, 90, 120, 240, Int.random(in: 1...300, using: &generator)].randomElement(using: &generator)!
            let limit = Bool.random(using: &generator) ? 20 : Int.random(in: 1...25, using: &generator)

            let fast = SlotFinder.find(members: members, busy: busy, durationMinutes: duration, now: now, horizonDays: horizon, limit: limit)
            let brute = BruteForceSlots(members: members, now: now, horizonDays: horizon)
            let expected = brute.slots(busy: busy, durationMinutes: duration, limit: limit)
            #expect(fast == expected, "round \(round): \(members.map(\.timeZone.identifier)) \(members.map(\.windows)) now \(now) horizon \(horizon) duration \(duration) busy \(busy)")
            if fast != expected { return }
            if !fast.isEmpty { nonEmpty += 1 }

            // And the promises, checked on their own.
            #expect(fast.count <= limit)
            for slot in fast {
                let start = Int(slot.startsAt.timeIntervalSince1970)
                #expect(start % 1800 == 0, "starts on a half hour of UTC")
                #expect(slot.endsAt.timeIntervalSince(slot.startsAt) == TimeInterval(duration * 60))
                #expect(slot.startsAt >= now && slot.endsAt <= now + TimeInterval(horizon * 86_400))
                #expect(brute.everyoneFree(from: slot.startsAt, to: slot.endsAt), "inside everyone's availability")
                #expect(!busy.contains { $0.start < slot.endsAt && slot.startsAt < $0.end }, "overlaps no meeting")
            }
        }
        #expect(nonEmpty > 150, "most random cases have slots to compare")
    }

    static func randomWindows(using generator: inout SeededGenerator) -> [AvailabilityWindow] {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0, 1: return []  // the default week
        case 2: return everyDay(0, 1440)
        default:
            return (0..<Int.random(in: 2...10, using: &generator)).map { _ in
                let start = Int.random(in: 0..<1440, using: &generator)
                let end = Bool.random(using: &generator) ? 1440 : Int.random(in: (start + 1)...1440, using: &generator)
                return AvailabilityWindow(weekday: Int.random(in: 1...7, using: &generator), startMinute: start, endMinute: end)
            }
        }
    }

    // MARK: Daylight saving and odd offsets

    @Test func aLondonWindowFollowsTheClockAcrossTheEndOfMarch() {
        // Every day 09:00–10:00 in London; the other member is free all day in UTC. British Summer
        // Time starts on Sunday 28 March 2027 at 01:00 UTC.
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Europe/London"), windows: Self.everyDay(9 * 60, 10 * 60)),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let slots = SlotFinder.find(
            members: members, busy: [], durationMinutes: 60, now: Self.date("2027-03-26T00:00:00Z"), horizonDays: 4)
        #expect(
            slots.map { Self.utcText($0.startsAt) } == [
                "2027-03-26T09:00:00Z", "2027-03-27T09:00:00Z", "2027-03-28T08:00:00Z", "2027-03-29T08:00:00Z",
            ])
        #expect(slots.allSatisfy { $0.comfortMinutes == 0 })
    }

    @Test func theSkippedHourOfTheSpringChangeIsNotAvailable() {
        // 00:00–03:00 in London on the night the clocks go forward is two hours long (00:00 GMT to
        // 03:00 BST = 00:00–02:00 UTC): a three-hour slot does not fit, a two-hour one does.
        let night = [AvailabilityWindow(weekday: 7, startMinute: 0, endMinute: 180)]
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Europe/London"), windows: night),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let now = Self.date("2027-03-27T12:00:00Z")
        #expect(SlotFinder.find(members: members, busy: [], durationMinutes: 180, now: now, horizonDays: 1).isEmpty)
        let twoHours = SlotFinder.find(members: members, busy: [], durationMinutes: 120, now: now, horizonDays: 1)
        #expect(twoHours.map { Self.utcText($0.startsAt) } == ["2027-03-28T00:00:00Z"])
    }

    @Test func theRepeatedHourOfTheAutumnChangeCountsOnce() {
        // 00:00–03:00 in London on 31 October 2027 is four hours (00:00 BST = 23:00 UTC to 03:00 GMT).
        let night = [AvailabilityWindow(weekday: 7, startMinute: 0, endMinute: 180)]
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Europe/London"), windows: night),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let slots = SlotFinder.find(members: members, busy: [], durationMinutes: 240, now: Self.date("2027-10-30T12:00:00Z"), horizonDays: 1)
        #expect(slots.map { Self.utcText($0.startsAt) } == ["2027-10-30T23:00:00Z"])
    }

    @Test func aKolkataDayIsOnTheHalfHoursOfUTCAndItsMiddleComesFirst() {
        // 09:00–17:00 in Kolkata (+05:30) is 03:30–11:30 UTC; UTC half hours are its half hours.
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Asia/Kolkata"), windows: [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 1020)]),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let slots = SlotFinder.find(members: members, busy: [], durationMinutes: 60, now: Self.date("2027-01-04T00:00:00Z"), horizonDays: 1)
        #expect(slots.count == 15)  // 03:30 … 10:30 UTC
        #expect(Self.utcText(slots[0].startsAt) == "2027-01-04T07:00:00Z")  // 12:30 in Kolkata, 210 minutes from either end
        #expect(slots[0].comfortMinutes == 210)
        #expect(slots.map { $0.startsAt }.min() == Self.date("2027-01-04T03:30:00Z"))
        #expect(slots.map { $0.endsAt }.max() == Self.date("2027-01-04T11:30:00Z"))
    }

    @Test func aKathmanduHourHoldsOneHalfHourOfUTC() {
        // 09:00–10:00 in Kathmandu (+05:45) is 03:15–04:15 UTC: one 30-minute slot, 03:30 UTC.
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Asia/Kathmandu"), windows: [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600)]),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let slots = SlotFinder.find(members: members, busy: [], durationMinutes: 30, now: Self.date("2027-01-04T00:00:00Z"), horizonDays: 1)
        #expect(slots == [SlotFinder.Slot(startsAt: Self.date("2027-01-04T03:30:00Z"), endsAt: Self.date("2027-01-04T04:00:00Z"), comfortMinutes: 15)])
    }

    // MARK: The default week, meetings, the limit

    @Test func peopleWithoutAvailabilityGetTwentyWeekdayMiddlesOverTwoWeeks() {
        let members = [SlotFinder.Member(timeZone: Self.zone("UTC"), windows: []), SlotFinder.Member(timeZone: Self.zone("UTC"), windows: [])]
        // Monday 4 January 2027: ten weekdays in the next 14 days.
        let slots = SlotFinder.find(members: members, busy: [], durationMinutes: 45, now: Self.date("2027-01-04T00:00:00Z"))
        #expect(slots.count == SlotFinder.limit)
        let weekdays = ["04", "05", "06", "07", "08", "11", "12", "13", "14", "15"]
        // 12:30–13:15 is 210 minutes from 09:00 and 225 from 17:00; 13:00–13:45 is 195 from 17:00.
        #expect(slots.map { Self.utcText($0.startsAt) } == weekdays.map { "2027-01-\($0)T12:30:00Z" } + weekdays.map { "2027-01-\($0)T13:00:00Z" })
        #expect(slots.map(\.comfortMinutes) == Array(repeating: 210, count: 10) + Array(repeating: 195, count: 10))
    }

    @Test func aMeetingTakesItsSlotAndTheNextBestMovesUp() {
        let members = [SlotFinder.Member(timeZone: Self.zone("UTC"), windows: []), SlotFinder.Member(timeZone: Self.zone("UTC"), windows: [])]
        let meeting = DateInterval(start: Self.date("2027-01-04T12:00:00Z"), duration: 3600)
        let slots = SlotFinder.find(
            members: members, busy: [meeting], durationMinutes: 45, now: Self.date("2027-01-04T00:00:00Z"), horizonDays: 1)
        // 12:00–13:00 is taken: 11:00–11:45 overlaps nothing, 13:00–13:45 starts as it ends.
        #expect(!slots.contains { $0.startsAt < meeting.end && meeting.start < $0.endsAt })
        #expect(Self.utcText(slots[0].startsAt) == "2027-01-04T13:00:00Z")
        #expect(slots.contains { Self.utcText($0.startsAt) == "2027-01-04T11:00:00Z" })
        #expect(!slots.contains { Self.utcText($0.startsAt) == "2027-01-04T11:30:00Z" })
    }

    @Test func windowsThatTouchAcrossMidnightAreOneEvening() {
        let owl = [AvailabilityWindow(weekday: 1, startMinute: 22 * 60, endMinute: 1440), AvailabilityWindow(weekday: 2, startMinute: 0, endMinute: 120)]
        let members = [
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: owl),
            SlotFinder.Member(timeZone: Self.zone("UTC"), windows: Self.everyDay(0, 1440)),
        ]
        let slots = SlotFinder.find(members: members, busy: [], durationMinutes: 120, now: Self.date("2027-01-04T00:00:00Z"), horizonDays: 2)
        #expect(slots.first == SlotFinder.Slot(startsAt: Self.date("2027-01-04T23:00:00Z"), endsAt: Self.date("2027-01-05T01:00:00Z"), comfortMinutes: 60))
    }

    @Test func slotsNeverStartBeforeNowAndNoOverlapMeansNone() {
        let members = [
            SlotFinder.Member(timeZone: Self.zone("Asia/Tokyo"), windows: [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600)]),
            SlotFinder.Member(timeZone: Self.zone("Europe/London"), windows: [AvailabilityWindow(weekday: 1, startMinute: 540, endMinute: 600)]),
        ]
        #expect(SlotFinder.find(members: members, busy: [], durationMinutes: 30, now: Self.date("2027-01-04T00:00:00Z")).isEmpty)
        let alone = SlotFinder.find(members: [members[1]], busy: [], durationMinutes: 30, now: Self.date("2027-01-04T09:10:00Z"), horizonDays: 1)
        #expect(alone.map { Self.utcText($0.startsAt) } == ["2027-01-04T09:30:00Z"])
    }
}

/// The obvious way, slowly: mark every minute each member is free (each window's edges straight
/// from `Calendar`), then try every half hour of UTC.
struct BruteForceSlots {
    let from: Int
    let to: Int
    /// Minute number (Unix minutes) of index 0 of each bitmap.
    let base: Int
    let free: [[Bool]]

    init(members: [SlotFinder.Member], now: Date, horizonDays: Int) {
        from = Int(now.timeIntervalSince1970.rounded(.down))
        to = from + horizonDays * 86_400
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let firstDay = utc.startOfDay(for: now).addingTimeInterval(-3 * 86_400)
        let dayCount = horizonDays + 8
        base = Int(firstDay.timeIntervalSince1970) / 60
        let base = base
        free = members.map { member in
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = member.timeZone
            var bitmap = [Bool](repeating: false, count: (dayCount + 1) * 1440)
            let windows = member.windows.isEmpty ? SlotFinder.defaultWindows : member.windows
            for offset in 0..<dayCount {
                let day = utc.date(byAdding: .day, value: offset, to: firstDay)!
                let parts = utc.dateComponents([.year, .month, .day, .weekday], from: day)
                let isoWeekday = (parts.weekday! + 5) % 7 + 1  // Foundation: 1 = Sunday
                let nextParts = utc.dateComponents([.year, .month, .day], from: utc.date(byAdding: .day, value: 1, to: day)!)
                for window in windows where window.weekday == isoWeekday {
                    func instant(_ minute: Int) -> Int {
                        let components =
                            minute == 1440
                            ? DateComponents(year: nextParts.year, month: nextParts.month, day: nextParts.day, hour: 0, minute: 0)
                            : DateComponents(year: parts.year, month: parts.month, day: parts.day, hour: minute / 60, minute: minute % 60)
                        return Int(calendar.date(from: components)!.timeIntervalSince1970) / 60
                    }
                    let start = instant(window.startMinute)
                    let end = instant(window.endMinute)
                    guard end > start else { continue }
                    let (low, high) = (max(start, base), min(end, base + bitmap.count))
                    if low < high { for minute in low..<high { bitmap[minute - base] = true } }
                }
            }
            return bitmap
        }
    }

    func everyoneFree(from start: Date, to end: Date) -> Bool {
        let first = Int(start.timeIntervalSince1970) / 60 - base
        let last = Int(end.timeIntervalSince1970) / 60 - base
        return free.allSatisfy { bitmap in (first..<last).allSatisfy { bitmap[$0] } }
    }

    func slots(busy: [DateInterval], durationMinutes: Int, limit: Int) -> [SlotFinder.Slot] {
        var found: [SlotFinder.Slot] = []
        var start = (from + 1799) / 1800 * 1800
        while start + durationMinutes * 60 <= to {
            defer { start += 1800 }
            let startsAt = Date(timeIntervalSince1970: TimeInterval(start))
            let endsAt = startsAt.addingTimeInterval(TimeInterval(durationMinutes * 60))
            guard everyoneFree(from: startsAt, to: endsAt) else { continue }
            guard !busy.contains(where: { $0.start < endsAt && startsAt < $0.end }) else { continue }
            let first = start / 60 - base
            let last = first + durationMinutes
            var comfort = SlotFinder.comfortCapMinutes
            for bitmap in free {
                var before = 0
                while before < SlotFinder.comfortCapMinutes, bitmap[first - 1 - before] { before += 1 }
                var after = 0
                while after < SlotFinder.comfortCapMinutes, bitmap[last + after] { after += 1 }
                comfort = min(comfort, before, after)
            }
            found.append(SlotFinder.Slot(startsAt: startsAt, endsAt: endsAt, comfortMinutes: comfort))
        }
        found.sort { $0.comfortMinutes != $1.comfortMinutes ? $0.comfortMinutes > $1.comfortMinutes : $0.startsAt < $1.startsAt }
        return Array(found.prefix(limit))
    }
}
