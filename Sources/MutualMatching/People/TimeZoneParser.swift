/// Turns the `timezone` column into a UTC offset in minutes without Foundation.
///
/// Accepts `UTC`, `UTC+2`, `GMT-05:30`, `+0530`, `-5` and the IANA names of the cities
/// most HR systems use (standard time; daylight saving moves everyone in a region
/// together, so overlaps of working hours barely change).
public enum TimeZoneParser {
    /// Standard-time offsets of common IANA zones, in minutes.
    static let knownZones: [String: Int] = [
        "utc": 0, "gmt": 0, "etc/utc": 0, "z": 0,
        "europe/london": 0, "europe/dublin": 0, "europe/lisbon": 0, "africa/accra": 0, "atlantic/reykjavik": 0,
        "europe/paris": 60, "europe/berlin": 60, "europe/madrid": 60, "europe/rome": 60, "europe/amsterdam": 60,
        "europe/brussels": 60, "europe/vienna": 60, "europe/stockholm": 60, "europe/oslo": 60,
        "europe/copenhagen": 60, "europe/warsaw": 60, "europe/prague": 60, "europe/zurich": 60,
        "africa/lagos": 60, "europe/athens": 120, "europe/helsinki": 120, "europe/kiev": 120, "europe/kyiv": 120,
        "europe/bucharest": 120, "africa/cairo": 120, "africa/johannesburg": 120, "asia/jerusalem": 120,
        "europe/istanbul": 180, "europe/moscow": 180, "africa/nairobi": 180, "asia/riyadh": 180,
        "asia/dubai": 240, "asia/karachi": 300, "asia/kolkata": 330, "asia/calcutta": 330, "asia/dhaka": 360,
        "asia/bangkok": 420, "asia/jakarta": 420, "asia/ho_chi_minh": 420, "asia/singapore": 480,
        "asia/shanghai": 480, "asia/hong_kong": 480, "asia/manila": 480, "australia/perth": 480,
        "asia/tokyo": 540, "asia/seoul": 540, "australia/brisbane": 600, "australia/sydney": 600,
        "australia/melbourne": 600, "pacific/auckland": 720,
        "america/st_johns": -210, "america/halifax": -240, "america/sao_paulo": -180,
        "america/argentina/buenos_aires": -180, "america/new_york": -300, "america/toronto": -300,
        "america/bogota": -300, "america/lima": -300, "america/chicago": -360, "america/mexico_city": -360,
        "america/denver": -420, "america/phoenix": -420, "america/los_angeles": -480,
        "america/vancouver": -480, "america/anchorage": -540, "pacific/honolulu": -600,
    ]

    /// The offset in minutes, or `nil` when the text is not a time zone this parser knows.
    public static func offsetMinutes(_ text: String) -> Int? {
        let trimmed = text.trimmingSpaces().lowercased()
        if let known = knownZones[trimmed] { return known }
        var rest = Substring(trimmed)
        for prefix in ["utc", "gmt"] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
        }
        rest = Substring(String(rest).trimmingSpaces())
        guard let sign = rest.first, sign == "+" || sign == "-" || sign.isNumber else { return nil }
        let negative = sign == "-"
        if !sign.isNumber { rest = rest.dropFirst() }
        var hours = 0, minutes = 0
        if let colon = rest.firstIndex(of: ":") {
            guard let h = Int(rest[..<colon]), let m = Int(rest[rest.index(after: colon)...]) else { return nil }
            hours = h
            minutes = m
        } else if rest.count == 4, let value = Int(rest) {
            hours = value / 100
            minutes = value % 100
        } else if let h = Int(rest) {
            hours = h
        } else {
            return nil
        }
        guard (0...14).contains(hours), (0..<60).contains(minutes) else { return nil }
        let total = hours * 60 + minutes
        return negative ? -total : total
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (Foundation-free).
    func trimmingSpaces() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
