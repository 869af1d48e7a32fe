import FluentKit
import Foundation

/// One failed sign-in, counted per account and per client address. Kept in the database so that
/// the limit holds across replicas.
public final class SignInFailure: Model, @unchecked Sendable {
    public static let schema = "sign_in_failures"

    @ID(key: .id) public var id: UUID?
    /// `account:<email>` or `address:<ip>`.
    @Field(key: "subject") public var subject: String
    @Field(key: "occurred_at") public var occurredAt: Date

    public init() {}

    public init(subject: String, occurredAt: Date) {
        self.subject = subject
        self.occurredAt = occurredAt
    }
}
