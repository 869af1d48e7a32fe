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
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        // The feed and its person's account in one lookup: a person who is no longer a member
        // of the organisation (no account there) has no feed.
        guard
            let owner = try await sql.select()
                .column(SQLColumn("person_id", table: "f")).column(SQLColumn("organisation_id", table: "f"))
                .from(SQLAlias(SQLIdentifier(CalendarFeed.schema), as: SQLIdentifier("f")))
                .join(
                    SQLAlias(SQLIdentifier(Account.schema), as: SQLIdentifier("a")),
                    on: SQLBinaryExpression(
                        SQLBinaryExpression(SQLColumn("person_id", table: "a"), .equal, SQLColumn("person_id", table: "f")), .and,
                        SQLBinaryExpression(SQLColumn("organisation_id", table: "a"), .equal, SQLColumn("organisation_id", table: "f"))))
                .where(SQLColumn("token_digest", table: "f"), .equal, SQLBind(SecretTokens.digest(secret)))
                .limit(1).first()
        else { return nil }
        let personID = try owner.decode(column: "person_id", as: UUID.self)
        let organisationID = try owner.decode(column: "organisation_id", as: UUID.self)
        let now = clock.now
        let meetings = try await calendarMeetings(
            ofPerson: personID, organisationID: organisationID, from: now.addingTimeInterval(-Self.calendarFeedPast),
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
