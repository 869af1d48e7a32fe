import FluentKit
import Foundation

/// A person's private calendar feed (migration 022): the URL's secret kept as a SHA-256 digest
/// (what the feed is looked up by) and sealed under `MUTUAL_SECRET` (so its owner can be shown
/// the URL again). One per person; rotating replaces the secret.
public final class CalendarFeed: Model, @unchecked Sendable {
    public static let schema = "calendar_feeds"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "token_digest") public var tokenDigest: String
    @Field(key: "sealed_token") public var sealedToken: String
    @Field(key: "created_at") public var createdAt: Date
    @Field(key: "rotated_at") public var rotatedAt: Date

    public init() {}
}
