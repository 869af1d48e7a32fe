import FluentKit
import Foundation

extension Store {
    /// The signed-in person's time zone from their profile (UTC when unset or unknown), so
    /// pages show times the way the reader's clock does.
    public func viewerTimeZone(of identity: Identity) async throws -> TimeZone {
        let person = try await Person.find(identity.personID, on: try db())
        return Self.timeZone(named: person?.timeZone ?? "")
    }

    /// "Mon 7 Dec, 10:05" in `zone`: how threads and lists show a time.
    public static func shortTime(_ date: Date, in zone: TimeZone) -> String {
        digestTime(date, in: zone)
    }
}
