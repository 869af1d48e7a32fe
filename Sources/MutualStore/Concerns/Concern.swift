import FluentKit
import Foundation

/// A concern a participant raised confidentially with their programme's support contact: only
/// the support contact (or, when the programme names none, the organisation's admins) reads it;
/// the other members of the relationship are never told, and its event carries neither the
/// person nor the words.
public final class Concern: Model, @unchecked Sendable {
    public static let schema = "concerns"

    @ID(key: .id) public var id: UUID?
    @Field(key: "organisation_id") public var organisationID: UUID
    @Field(key: "programme_id") public var programmeID: UUID
    /// The relationship it is about, when the person chose one.
    @OptionalField(key: "relationship_id") public var relationshipID: UUID?
    @Field(key: "raised_by") public var raisedBy: UUID
    @Field(key: "body") public var body: String
    @Field(key: "created_at") public var createdAt: Date
    @OptionalField(key: "resolved_at") public var resolvedAt: Date?
    @OptionalField(key: "resolved_by") public var resolvedBy: UUID?

    public init() {}
}

/// A concern as its reader sees it.
public struct ConcernView: Sendable, Equatable {
    public let id: UUID
    public let programmeID: UUID
    public let programmeName: String
    public let relationshipID: UUID?
    public let raisedByName: String
    public let raisedByEmail: String?
    public let body: String
    public let createdAt: Date
    public let resolvedAt: Date?
}

/// Who reads a programme's concerns.
public struct SupportContact: Sendable, Equatable {
    public let personID: UUID
    public let name: String
}
