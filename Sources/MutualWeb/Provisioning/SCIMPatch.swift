import Foundation
import MutualStore

/// A SCIM PatchOp request (RFC 7644 §3.5.2), read into operations that edit a
/// ``ProvisionedUser``. Both styles identity providers send are understood: Okta's
/// `{"op":"replace","value":{"active":false}}` (no path, an object of attributes) and Microsoft
/// Entra ID's `{"op":"Replace","path":"active","value":"False"}` with paths such as
/// `name.givenName`, `emails[type eq "work"].value` and
/// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`.
struct SCIMPatch: Sendable {
    static let schema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

    enum Kind: String, Sendable { case add, replace, remove }

    struct Operation: Sendable {
        let kind: Kind
        let path: String?
        let value: SCIMJSON?
    }

    let operations: [Operation]

    /// Attributes of the core and enterprise schemas that Mutual does not keep: accepted and
    /// left alone, so a provider's default mappings do not fail (`emails` among them, since a
    /// SCIM user's email is their `userName`).
    static let ignoredAttributes: Set<String> = [
        "emails", "title", "nickname", "locale", "preferredlanguage", "usertype", "profileurl", "phonenumbers", "addresses", "ims",
        "photos", "roles", "entitlements", "x509certificates", "groups", "password", "schemas",
        "enterprise.employeenumber", "enterprise.costcenter", "enterprise.organization", "enterprise.division",
        "name.middlename", "name.honorificprefix", "name.honorificsuffix",
    ]

    static let supportedPaths =
        "active, userName, externalId, displayName, name, name.formatted, name.givenName, name.familyName, timezone, \(SCIMUser.enterpriseSchema):department and \(SCIMUser.enterpriseSchema):manager"

    init(_ body: SCIMJSON) throws {
        guard let operations = body["Operations"], case .array(let items) = operations, !items.isEmpty else {
            throw SCIMError(
                status: .badRequest, scimType: "invalidSyntax",
                detail: "A PATCH body needs \"Operations\": a non-empty array such as [{\"op\":\"replace\",\"path\":\"active\",\"value\":false}] (with \"schemas\":[\"\(Self.schema)\"]).")
        }
        self.operations = try items.enumerated().map { index, item in
            guard item.objectMembers != nil, let op = item["op"], case .string(let name) = op, let kind = Kind(rawValue: name.lowercased()) else {
                throw SCIMError(
                    status: .badRequest, scimType: "invalidSyntax", detail: "Operations[\(index)].op must be \"add\", \"replace\" or \"remove\".")
            }
            var path: String?
            if let given = item["path"], !given.isNull {
                guard case .string(let text) = given, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw SCIMError(status: .badRequest, scimType: "invalidPath", detail: "Operations[\(index)].path must be a non-empty string.")
                }
                path = text.trimmingCharacters(in: .whitespaces)
            }
            let value = item["value"]
            if kind != .remove, value == nil {
                throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "Operations[\(index)] (\(kind.rawValue)) needs a value.")
            }
            if kind == .remove, path == nil {
                throw SCIMError(status: .badRequest, scimType: "noTarget", detail: "Operations[\(index)] (remove) needs a path naming what to remove.")
            }
            return Operation(kind: kind, path: path, value: value)
        }
    }

    /// Applies every operation in order.
    func apply(to user: inout ProvisionedUser) throws {
        for operation in operations {
            if let path = operation.path {
                try Self.set(path, operation.kind == .remove ? nil : operation.value, on: &user)
            } else {
                // No path: the value is an object of attributes (Okta), whose names may themselves
                // be paths (`name.givenName`, the enterprise URN with `:department`).
                guard let members = operation.value?.objectMembers else {
                    throw SCIMError(
                        status: .badRequest, scimType: "invalidValue",
                        detail: "An operation without a path needs an object value, e.g. {\"op\":\"replace\",\"value\":{\"active\":false}}.")
                }
                for key in members.keys.sorted() { try Self.set(key, members[key], on: &user) }
            }
        }
    }

    /// The path in lower case with the core schema's URN taken off and the enterprise one
    /// shortened to `enterprise.` (`enterprise` alone for the whole extension).
    static func normalised(_ path: String) -> String {
        var lowered = path.lowercased()
        let core = SCIMUser.schema.lowercased() + ":"
        let enterprise = SCIMUser.enterpriseSchema.lowercased()
        if lowered.hasPrefix(core) { lowered.removeFirst(core.count) }
        if lowered == enterprise { return "enterprise" }
        if lowered.hasPrefix(enterprise + ":") { return "enterprise." + lowered.dropFirst(enterprise.count + 1) }
        return lowered
    }

    /// Sets (or, for a nil value, removes) one attribute.
    static func set(_ path: String, _ value: SCIMJSON?, on user: inout ProvisionedUser) throws {
        let attribute = normalised(path)
        let value = value.flatMap { $0.isNull ? nil : $0 }
        // `emails[type eq "work"].value` and the like: the attribute before the filter decides.
        let root = String(attribute.prefix { $0 != "[" && $0 != "." })
        if attribute == "id" || root == "meta" {
            throw SCIMError(status: .badRequest, scimType: "mutability", detail: "\(path) is set by Mutual and cannot be changed.")
        }
        switch attribute {
        case "active":
            guard let value else { throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "active cannot be removed; replace it with true or false.") }
            user.active = try SCIMUser.bool(value, "active")
        case "username":
            guard let value else { throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "userName cannot be removed; it is the person's email.") }
            user.email = try SCIMUser.string(value, "userName")
        case "externalid":
            guard let value else {
                throw SCIMError(status: .badRequest, scimType: "mutability", detail: "externalId cannot be removed: it is the person's directory id. Replace it instead.")
            }
            user.externalID = try SCIMUser.string(value, "externalId")
        case "displayname", "name.formatted":
            guard let value else { throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "\(path) cannot be removed: Mutual needs a name.") }
            user.name = try SCIMUser.string(value, path)
        case "name":
            guard let value, value.objectMembers != nil else {
                throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "name must be an object such as {\"givenName\":\"Ana\",\"familyName\":\"Silva\"}.")
            }
            if let formatted = value["formatted"], !formatted.isNull {
                user.name = try SCIMUser.string(formatted, "name.formatted")
            } else {
                if let given = value["givenName"] { try set("name.givenname", given, on: &user) }
                if let family = value["familyName"] { try set("name.familyname", family, on: &user) }
            }
        case "name.givenname", "name.familyname":
            let part = try value.map { try SCIMUser.string($0, path).trimmingCharacters(in: .whitespaces) } ?? ""
            let (given, family) = SCIMUser.nameParts(user.name)
            let parts = attribute == "name.givenname" ? [part, family] : [given, part]
            user.name = parts.filter { !$0.isEmpty }.joined(separator: " ")
        case "timezone":
            user.timeZone = try value.map { try SCIMUser.string($0, "timezone") } ?? ""
        case "enterprise.department":
            user.department = try value.map { try SCIMUser.string($0, path) } ?? ""
        case "enterprise.manager", "enterprise.manager.value":
            user.managerReference = try value.map(SCIMUser.managerReference) ?? ""
        case "enterprise":
            guard let value else {
                user.department = ""
                user.managerReference = ""
                return
            }
            guard let members = value.objectMembers else {
                throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "\(SCIMUser.enterpriseSchema) must be an object.")
            }
            for key in members.keys.sorted() { try set("enterprise." + key.lowercased(), members[key], on: &user) }
        default:
            if ignoredAttributes.contains(attribute) || ignoredAttributes.contains(root)
                || (attribute.hasPrefix("enterprise.") && ignoredAttributes.contains(String(attribute.prefix { $0 != "[" })))
            {
                return
            }
            throw SCIMError(
                status: .badRequest, scimType: "invalidPath",
                detail: "Mutual does not know the attribute \(path). It keeps \(supportedPaths); other User attributes are accepted and ignored.")
        }
    }
}
