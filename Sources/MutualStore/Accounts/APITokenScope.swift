/// What an API token may do, on top of (never beyond) its owner's current role.
///
/// - `read`: only `GET` and `HEAD`.
/// - `write`: every route the owner's role may call, except those for organisation admins.
/// - `admin`: admin routes too; only an admin can make one, and it stops working on admin
///   routes the moment its owner stops being an admin (the role is checked on every call).
public enum APITokenScope: String, Codable, Sendable, CaseIterable {
    case read
    case write
    case admin

    /// The scope a token gets when none is chosen, and the one migration 017 gave the tokens
    /// made before scopes existed: what those tokens could already do.
    public static func `default`(for role: Role) -> APITokenScope {
        role == .admin ? .admin : .write
    }

    /// The scopes a member with `role` may give a token.
    public static func offered(to role: Role) -> [APITokenScope] {
        role == .admin ? [.read, .write, .admin] : [.read, .write]
    }

    /// Words for people.
    public var label: String {
        switch self {
        case .read: "Read"
        case .write: "Write"
        case .admin: "Admin"
        }
    }

    /// What the scope allows, in words for the tokens page.
    public var explanation: String {
        switch self {
        case .read: "read only (GET)"
        case .write: "read and change, except admin-only routes"
        case .admin: "everything your role allows, admin routes included"
        }
    }
}
