import FluentKit
import Foundation

/// The record of a message handed to the mail server: to whom, what, when, but not its body,
/// so the links it carried (an invitation's token) are not kept in the database. Its rows also
/// count towards the send-rate limit.
public final class SentEmail: Model, @unchecked Sendable {
    public static let schema = "sent_emails"

    @ID(key: .id) public var id: UUID?
    @OptionalField(key: "organisation_id") public var organisationID: UUID?
    /// The job that sent it (one record per job, however often it ran).
    @OptionalField(key: "job_id") public var jobID: UUID?
    @Field(key: "recipient") public var recipient: String
    @Field(key: "category") public var category: String
    @Field(key: "template") public var template: String
    @Field(key: "subject") public var subject: String
    @Field(key: "sent_at") public var sentAt: Date

    public init() {}
}
