import FluentKit
import Foundation
import SQLKit

extension Store {
    /// The path every feed URL starts with; the request log leaves out what follows it.
    public static let calendarFeedPath = "/calendar/"

    /// How far back and ahead a feed reaches: 90 days of past meetings, a year of coming ones.
    public static let calendarFeedPast: TimeInterval = 90 * 86_400
    public static let calendarFeedAhead: TimeInterval = 365 * 86_400

    /// The signed-in person's private feed URL (`<base URL>/calendar/<secret>.ics`), made the
    /// first time it is asked for. Of parallel first requests one inserts and all return its URL.
    public func calendarFeedURL(of identity: Identity) async throws -> String {
        let issued = try await issueCalendarFeed(for: identity, replacing: false)
        do {
            return feedURL(secret: try sealer.open(issued))
        } catch {
            // Sealed under another MUTUAL_SECRET: the URL cannot be shown again, so a new one is
            // made (the old one stops working, as after a rotation).
            return try await rotateCalendarFeed(of: identity)
        }
    }

    /// Gives the signed-in person a new feed URL; the old one answers 404 from now on. Parallel
    /// rotations each replace the secret in one update, so exactly one URL (the last) works.
    public func rotateCalendarFeed(of identity: Identity) async throws -> String {
        let sealed = try await issueCalendarFeed(for: identity, replacing: true)
        return feedURL(secret: try sealer.open(sealed))
    }

    /// The feed behind a URL's secret as iCalendar text, or nil when no feed has that secret
    /// (unknown, rotated away, or its person is no longer a member of the organisation).
    public func calendarFeed(secret: String) async throws -> String? {
        let database = try db()
        guard let feed = try await CalendarFeed.query(on: database).filter(\.$tokenDigest == SecretTokens.digest(secret)).first(),
            try await Account.query(on: database).filter(\.$personID == feed.personID)
                .filter(\.$organisationID == feed.organisationID).first() != nil
        else { return nil }
        let now = clock.now
        let meetings = try await calendarMeetings(
            ofPerson: feed.personID, organisationID: feed.organisationID, from: now.addingTimeInterval(-Self.calendarFeedPast),
            to: now.addingTimeInterval(Self.calendarFeedAhead), on: database)
        return MeetingCalendar(baseURL: mailSettings.baseURL).feed(meetings).rendered()
    }

    func feedURL(secret: String) -> String {
        mailSettings.baseURL + Self.calendarFeedPath + secret + ".ics"
    }

    /// Makes the person's feed row if there is none and, when `replacing`, gives it a new secret;
    /// returns the row's sealed secret. One transaction: the insert skips a row that exists
    /// (so parallel first requests make one), and the update replaces digest and sealed secret
    /// together (so they always belong to the same secret).
    private func issueCalendarFeed(for identity: Identity, replacing: Bool) async throws -> String {
        let secret = tokens.makeToken()
        let digest = SecretTokens.digest(secret)
        let sealed = try sealer.seal(secret)
        let now = clock.now
        return try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            try await sql.insert(into: CalendarFeed.schema)
                .columns("id", "organisation_id", "person_id", "token_digest", "sealed_token", "created_at", "rotated_at")
                .values(
                    SQLBind(UUID()), SQLBind(identity.organisationID), SQLBind(identity.personID), SQLBind(digest), SQLBind(sealed),
                    SQLBind(now), SQLBind(now)
                )
                .ignoringConflicts(with: ["person_id"]).run()
            if replacing {
                try await CalendarFeed.query(on: database).filter(\.$personID == identity.personID)
                    .set(\.$tokenDigest, to: digest).set(\.$sealedToken, to: sealed).set(\.$rotatedAt, to: now).update()
                return sealed
            }
            guard let feed = try await CalendarFeed.query(on: database).filter(\.$personID == identity.personID).first() else {
                throw StoreError.unavailable
            }
            return feed.sealedToken
        }
    }
}
