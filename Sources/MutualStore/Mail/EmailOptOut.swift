import FluentKit
import Foundation

/// A person's choice not to receive one category of email.
public final class EmailOptOut: Model, @unchecked Sendable {
    public static let schema = "email_opt_outs"

    @ID(key: .id) public var id: UUID?
    @Field(key: "person_id") public var personID: UUID
    @Field(key: "category") public var category: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}
}
