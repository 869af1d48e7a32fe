import Foundation

/// Finds the times over the next days when every member of a relationship is free, from each
/// member's weekly availability in their own time zone and the meetings they already have.
///
/// Pure: it takes the members' zones and windows, the busy intervals and `now`, and touches no
/// database, so it is property-tested against a brute-force enumeration and benchmarked alone
/// (see docs/architecture.md, "Finding a time").
///
/// The rules, precisely:
/// - **Availability.** A member's weekly windows are laid out on the calendar in their own zone
///   with Foundation's `Calendar` (so daylight saving moves them with the local clock: a window of
///   09:00–17:00 in Europe/London is 09:00–17:00 UTC in winter and 08:00–16:00 UTC in summer).
///   A local time the clock skips (the spring-forward hour) is read as `Calendar` reads it, one
///   hour later; a repeated local time (the fall-back hour) as its first occurrence. Windows that
///   overlap or touch form one stretch (Monday 22:00–24:00 and Tuesday 00:00–02:00 is one evening).
///   No windows at all counts as Monday to Friday 09:00–17:00 (``defaultWindows``).
/// - **A slot** is `durationMinutes` long, starts on a half hour of UTC (:00 or :30; the same as
///   the local half hours of every zone whose offset is a multiple of 30 minutes, including
///   +05:30, +09:30 and −03:30; a +05:45 zone sees :15 and :45), lies entirely inside
///   `[now, now + horizonDays)`, inside one stretch of every member, and overlaps no busy interval
///   (a meeting that ends when the slot starts does not overlap it).
/// - **Comfort** of a slot is, over all members, the smallest distance in minutes from the slot to
///   the nearer edge of that member's stretch (minutes from the stretch's start to the slot's
///   start, or from the slot's end to the stretch's end), each distance capped at
///   ``comfortCapMinutes`` (12 hours: someone free all day and night is simply comfortable).
///   Because every member's stretch contains the slot, this equals the distance to the nearer edge
///   of the common stretch where everyone is free. Meetings do not change comfort.
/// - **Order.** Most comfortable first, then earliest; at most `limit` slots.
public enum SlotFinder {
    /// One member's week: their zone and their windows (empty means ``defaultWindows``).
    public struct Member: Sendable, Equatable {
        public var timeZone: TimeZone
        public var windows: [AvailabilityWindow]

        public init(timeZone: TimeZone, windows: [AvailabilityWindow]) {
            self.timeZone = timeZone
            self.windows = windows
        }
    }

    /// A time when everyone is free.
    public struct Slot: Sendable, Equatable, CustomStringConvertible {
        public let startsAt: Date
        public let endsAt: Date
        /// Minutes from the slot to the nearest edge of anyone's availability (at most ``comfortCapMinutes``).
        public let comfortMinutes: Int

        public init(startsAt: Date, endsAt: Date, comfortMinutes: Int) {
            self.startsAt = startsAt
            self.endsAt = endsAt
            self.comfortMinutes = comfortMinutes
        }

        public var description: String { "\(startsAt)–\(endsAt) comfort \(comfortMinutes)" }
    }

    /// Monday to Friday 09:00–17:00: the week of anyone who has not set their availability.
    public static let defaultWindows: [AvailabilityWindow] = (1...5).map { AvailabilityWindow(weekday: $0, startMinute: 9 * 60, endMinute: 17 * 60) }
    /// Slots start on the half hours of UTC.
    public static let stepMinutes = 30
    /// How far ahead slots are looked for.
    public static let horizonDays = 14
    /// The most slots returned.
    public static let limit = 20
    /// A distance to an edge beyond this counts as this.
    public static let comfortCapMinutes = 12 * 60

    /// The common free slots, most comfortable first, then earliest.
    /// - Parameters:
    ///   - busy: intervals when someone is already meeting (any member's scheduled meetings).
    public static func find(
        members: [Member], busy: [DateInterval], durationMinutes: Int, now: Date,
        horizonDays: Int = SlotFinder.horizonDays, limit: Int = SlotFinder.limit
    ) -> [Slot] {
        guard !members.isEmpty, durationMinutes > 0, limit > 0, horizonDays > 0 else { return [] }
        let from = seconds(now)
        let to = from + horizonDays * 86_400
        let days = LocalDays(from: from, to: to)
        var common = stretches(of: members[0], days: days)
        for member in members.dropFirst() {
            common = intersection(common, stretches(of: member, days: days))
            if common.isEmpty { return [] }
        }

        // Rounded outwards to whole seconds, so a meeting ending at 13:00:00.5 still takes 13:00.
        let taken = merged(
            busy.map { Span(start: seconds($0.start), end: Int($0.end.timeIntervalSince1970.rounded(.up))) }.filter { $0.end > $0.start })
        let duration = durationMinutes * 60
        let step = stepMinutes * 60
        let cap = comfortCapMinutes
        var candidates: [(start: Int, comfort: Int)] = []
        var busyIndex = 0
        for piece in common {
            let last = min(piece.end, to) - duration
            var start = ceiling(max(piece.start, from), to: step)
            while start <= last {
                let end = start + duration
                while busyIndex < taken.count, taken[busyIndex].end <= start { busyIndex += 1 }
                if busyIndex < taken.count, taken[busyIndex].start < end {
                    // Every later start before the meeting ends overlaps it too: jump past it.
                    start = max(start + step, ceiling(taken[busyIndex].end, to: step))
                    continue
                }
                let comfort = min(cap, (start - piece.start) / 60, (piece.end - end) / 60)
                candidates.append((start, comfort))
                start += step
            }
        }
        candidates.sort { $0.comfort != $1.comfort ? $0.comfort > $1.comfort : $0.start < $1.start }
        return candidates.prefix(limit).map {
            Slot(
                startsAt: Date(timeIntervalSince1970: TimeInterval($0.start)), endsAt: Date(timeIntervalSince1970: TimeInterval($0.start + duration)),
                comfortMinutes: $0.comfort)
        }
    }

    // MARK: Availability on the calendar

    /// A half-open interval of Unix seconds.
    struct Span: Equatable {
        var start: Int
        var end: Int
    }

    /// The calendar dates whose windows can matter: from two days before `from` to two days after
    /// `to` (UTC dates), which covers every zone's local dates (offsets are within ±14 hours) and
    /// keeps any cut-off edge of a stretch more than a day from every slot, beyond the comfort cap.
    struct LocalDays {
        /// Days since 1970-01-01 of the first and last date.
        let first: Int
        let last: Int

        init(from: Int, to: Int) {
            first = floorDiv(from, 86_400) - 2
            last = floorDiv(to, 86_400) + 2
        }
    }

    /// A member's stretches of availability, sorted, merged where they overlap or touch.
    static func stretches(of member: Member, days: LocalDays) -> [Span] {
        let windows = member.windows.isEmpty ? defaultWindows : member.windows
        var byWeekday = [[AvailabilityWindow]](repeating: [], count: 8)
        for window in windows where (1...7).contains(window.weekday) && window.endMinute > window.startMinute {
            byWeekday[window.weekday].append(window)
        }
        let zone = member.timeZone
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var spans: [Span] = []
        var midnight = localInstant(day: days.first, minute: 0, calendar: calendar)
        for day in days.first...days.last {
            let nextMidnight = localInstant(day: day + 1, minute: 0, calendar: calendar)
            let todays = byWeekday[isoWeekday(day)]
            if !todays.isEmpty {
                // Most days the offset is the same all day long: then local minute m is midnight + m
                // minutes, exactly what Calendar answers, without asking it for every edge.
                let steady =
                    nextMidnight - midnight == 86_400
                    && zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(midnight)))
                        == zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(nextMidnight - 1)))
                for window in todays {
                    let start = steady ? midnight + window.startMinute * 60 : localInstant(day: day, minute: window.startMinute, calendar: calendar)
                    let end = steady ? midnight + window.endMinute * 60 : localInstant(day: day, minute: window.endMinute, calendar: calendar)
                    if end > start { spans.append(Span(start: start, end: end)) }
                }
            }
            midnight = nextMidnight
        }
        return merged(spans)
    }

    /// The instant of local `minute` (0...1440; 1440 is the next midnight) on the date `day` days
    /// after 1970-01-01, as `calendar` (in the member's zone) reads that wall-clock time.
    static func localInstant(day: Int, minute: Int, calendar: Calendar) -> Int {
        if minute >= 1440 { return localInstant(day: day + 1, minute: minute - 1440, calendar: calendar) }
        let (year, month, date) = civilDate(day)
        let components = DateComponents(year: year, month: month, day: date, hour: minute / 60, minute: minute % 60)
        guard let instant = calendar.date(from: components) else {
            // Calendar answers for every valid Gregorian date; reading the wall time as UTC keeps
            // the result defined if it ever did not.
            return day * 86_400 + minute * 60
        }
        return seconds(instant)
    }

    /// Sorts and joins spans that overlap or touch.
    static func merged(_ spans: [Span]) -> [Span] {
        let sorted = spans.sorted { $0.start < $1.start }
        var result: [Span] = []
        result.reserveCapacity(sorted.count)
        for span in sorted {
            if let last = result.last, span.start <= last.end {
                result[result.count - 1].end = max(last.end, span.end)
            } else {
                result.append(span)
            }
        }
        return result
    }

    /// Where two sorted, disjoint lists of spans both hold.
    static func intersection(_ left: [Span], _ right: [Span]) -> [Span] {
        var result: [Span] = []
        var i = 0
        var j = 0
        while i < left.count, j < right.count {
            let start = max(left[i].start, right[j].start)
            let end = min(left[i].end, right[j].end)
            if end > start { result.append(Span(start: start, end: end)) }
            if left[i].end < right[j].end { i += 1 } else { j += 1 }
        }
        return result
    }

    // MARK: Arithmetic

    static func seconds(_ date: Date) -> Int { Int(date.timeIntervalSince1970.rounded(.down)) }

    static func ceiling(_ value: Int, to step: Int) -> Int { floorDiv(value + step - 1, step) * step }

    static func floorDiv(_ value: Int, _ divisor: Int) -> Int {
        let quotient = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    /// 1 = Monday … 7 = Sunday of the date `day` days after 1970-01-01 (a Thursday).
    static func isoWeekday(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 + 1 }

    /// Year, month and day of the date `day` days after 1970-01-01 (proleptic Gregorian;
    /// Howard Hinnant's `civil_from_days`).
    static func civilDate(_ day: Int) -> (Int, Int, Int) {
        let z = day + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPart = (5 * dayOfYear + 2) / 153
        let date = dayOfYear - (153 * monthPart + 2) / 5 + 1
        let month = monthPart < 10 ? monthPart + 3 : monthPart - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, date)
    }
}
