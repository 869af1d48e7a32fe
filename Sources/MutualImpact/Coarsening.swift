/// How coarsely level and time zone are compared when matching (department and company are
/// always compared exactly). The finest is exact level and time zone to the hour; coarser
/// steps put neighbouring levels and nearby time zones together, so that a small organisation
/// still finds comparable colleagues for most participants.
public struct Coarsening: Sendable, Hashable, Codable {
    /// Levels per band: 1 is exact, 2 puts 1–2, 3–4, 5–6 together.
    public var levelBand: Int
    /// Hours of UTC offset per band: 1 is to the hour, 6 puts UTC+0…+5 together.
    public var timeZoneHours: Int

    public init(levelBand: Int = 1, timeZoneHours: Int = 1) {
        self.levelBand = max(1, levelBand)
        self.timeZoneHours = max(1, timeZoneHours)
    }

    /// Exact level, time zone to the hour.
    public static let finest = Coarsening()

    /// The steps tried, finest first, by ``ImpactStudy/init(subjects:minimumMatchedShare:)``.
    /// Time zone is coarsened before level: seniority drives both joining and HR outcomes far
    /// more than a few hours of offset do, so level stays exact as long as it can.
    public static let ladder: [Coarsening] = [
        Coarsening(levelBand: 1, timeZoneHours: 1),
        Coarsening(levelBand: 1, timeZoneHours: 3),
        Coarsening(levelBand: 1, timeZoneHours: 6),
        Coarsening(levelBand: 1, timeZoneHours: 12),
        Coarsening(levelBand: 2, timeZoneHours: 6),
        Coarsening(levelBand: 2, timeZoneHours: 12),
        Coarsening(levelBand: 3, timeZoneHours: 12),
    ]

    /// The band of a level; `nil` (unknown) stays a band of its own.
    public func levelBand(of level: Int?) -> Int? {
        level.map { floorDivide($0 - 1, levelBand) }
    }

    /// The band of a UTC offset: floor division, so UTC−0:30 falls below UTC+0.
    public func timeZoneBand(of minutes: Int?) -> Int? {
        minutes.map { floorDivide($0, 60 * timeZoneHours) }
    }

    /// In words, for the report: "level exactly, time zone to the hour".
    public var description: String {
        let level = levelBand == 1 ? "level exactly" : "level in bands of \(levelBand)"
        let zone = timeZoneHours == 1 ? "time zone to the hour" : "time zone within bands of \(timeZoneHours) hours"
        return "department and company exactly, \(level), \(zone)"
    }

    enum CodingKeys: String, CodingKey {
        case levelBand = "level_band"
        case timeZoneHours = "time_zone_hours"
    }
}

@inline(__always)
func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    let quotient = value / divisor
    return value % divisor != 0 && (value < 0) != (divisor < 0) ? quotient - 1 : quotient
}
