import FluentKit
import Foundation

/// A tenant: a company or a professional network. Every row that belongs to one carries its id.
public final class Organisation: Model, @unchecked Sendable {
    public static let schema = "organisations"

    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    /// URL-safe unique name, used to find the demo organisation again.
    @Field(key: "slug") public var slug: String
    @Field(key: "created_at") public var createdAt: Date

    public init() {}

    public init(id: UUID? = nil, name: String, slug: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.slug = slug
        self.createdAt = createdAt
    }
}
