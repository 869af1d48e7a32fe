import Foundation
import MutualStore

/// The SCIM User resource (RFC 7643 §4.1, with the enterprise extension's `department` and
/// `manager`) as Mutual writes and reads it: a directory person.
enum SCIMUser {
    static let schema = "urn:ietf:params:scim:schemas:core:2.0:User"
    static let enterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

    /// The person as a SCIM User, with `meta.location` under `baseURL`.
    static func document(_ person: ProvisionedPerson, baseURL: String) -> SCIMJSON {
        let id = person.id.uuidString.lowercased()
        let (given, family) = nameParts(person.name)
        var members: [String: SCIMJSON] = [
            "schemas": .array([.string(schema), .string(enterpriseSchema)]),
            "id": .string(id),
            "externalId": .string(person.externalID),
            "name": .object(["formatted": .string(person.name), "givenName": .string(given), "familyName": .string(family)]),
            "displayName": .string(person.name),
            "active": .bool(person.active),
            "meta": .object([
                "resourceType": .string("User"),
                "created": .string(timestamp(person.createdAt)),
                "lastModified": .string(timestamp(person.updatedAt)),
                "location": .string("\(baseURL)/scim/v2/Users/\(id)"),
            ]),
        ]
        if let email = person.email {
            members["userName"] = .string(email)
            members["emails"] = .array([.object(["value": .string(email), "type": .string("work"), "primary": .bool(true)])])
        }
        if !person.timeZone.isEmpty { members["timezone"] = .string(person.timeZone) }
        var enterprise: [String: SCIMJSON] = [:]
        if !person.department.isEmpty { enterprise["department"] = .string(person.department) }
        if let manager = person.managerID {
            let managerID = manager.uuidString.lowercased()
            enterprise["manager"] = .object(["value": .string(managerID), "$ref": .string("\(baseURL)/scim/v2/Users/\(managerID)")])
        }
        members[enterpriseSchema] = .object(enterprise)
        return .object(members)
    }

    /// A name split the way SCIM shows it: the first word as `givenName`, the rest as
    /// `familyName`. Mutual keeps one name, so a patch of one part changes that part of it.
    static func nameParts(_ name: String) -> (given: String, family: String) {
        let words = name.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        return (words.first.map(String.init) ?? "", words.count > 1 ? String(words[1]) : "")
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Reads a User body (create or replace) onto `user`: what the body holds replaces what
    /// `user` had; the enterprise extension's `department`, `manager` and `timezone` change only
    /// when present. `userName` is required.
    static func read(_ body: SCIMJSON, onto user: inout ProvisionedUser) throws {
        guard let userName = body["userName"] else {
            throw SCIMError(
                status: .badRequest, scimType: "invalidValue", detail: "userName is required: send the person's email address as userName.")
        }
        user.email = try string(userName, "userName")
        if let externalID = body["externalId"], !externalID.isNull { user.externalID = try string(externalID, "externalId") }
        if let active = body["active"], !active.isNull { user.active = try bool(active, "active") }
        let displayName = try body["displayName"].flatMap { $0.isNull ? nil : try string($0, "displayName") }
        var formatted: String?
        var given = "", family = ""
        if let name = body["name"], !name.isNull {
            guard name.objectMembers != nil else {
                throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "name must be an object such as {\"givenName\":\"Ana\",\"familyName\":\"Silva\"}.")
            }
            formatted = try name["formatted"].flatMap { $0.isNull ? nil : try string($0, "name.formatted") }
            given = try name["givenName"].flatMap { $0.isNull ? nil : try string($0, "name.givenName") } ?? ""
            family = try name["familyName"].flatMap { $0.isNull ? nil : try string($0, "name.familyName") } ?? ""
        }
        let composed = [given, family].map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        let name = [formatted, displayName, composed].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
        user.name = name ?? ""
        if let timeZone = body["timezone"] { user.timeZone = timeZone.isNull ? "" : try string(timeZone, "timezone") }
        if let enterprise = body[enterpriseSchema], !enterprise.isNull {
            if let department = enterprise["department"] {
                user.department = department.isNull ? "" : try string(department, "\(enterpriseSchema):department")
            }
            if let manager = enterprise["manager"] { user.managerReference = try managerReference(manager) }
        }
    }

    /// A manager given as `{"value": id}` (RFC 7643) or as the id alone; null removes it.
    static func managerReference(_ value: SCIMJSON) throws -> String {
        switch value {
        case .null: return ""
        case .string(let id): return id
        case .object:
            guard let id = value["value"], !id.isNull else { return "" }
            return try string(id, "\(enterpriseSchema):manager.value")
        default:
            throw SCIMError(
                status: .badRequest, scimType: "invalidValue",
                detail: "\(enterpriseSchema):manager must be an object {\"value\": \"<the manager's id>\"}.")
        }
    }

    static func string(_ value: SCIMJSON, _ attribute: String) throws -> String {
        switch value {
        case .string(let text): return text
        case .number(let number) where number == number.rounded() && abs(number) < 1e15: return String(Int(number))
        default:
            throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "\(attribute) must be a string.")
        }
    }

    /// A boolean, or the strings "true" and "false" in any case (Microsoft Entra ID sends `"False"`).
    static func bool(_ value: SCIMJSON, _ attribute: String) throws -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where text.lowercased() == "true": return true
        case .string(let text) where text.lowercased() == "false": return false
        default:
            throw SCIMError(status: .badRequest, scimType: "invalidValue", detail: "\(attribute) must be true or false.")
        }
    }
}
