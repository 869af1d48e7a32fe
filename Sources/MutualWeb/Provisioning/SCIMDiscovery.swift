import Foundation

/// The discovery documents SCIM clients read before provisioning (RFC 7644 §4):
/// `/ServiceProviderConfig`, `/ResourceTypes` and `/Schemas`, kept to what Mutual does.
enum SCIMDiscovery {
    static let listSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"

    static func serviceProviderConfig(baseURL: String) -> SCIMJSON {
        .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig")]),
            "documentationUri": .string("\(baseURL)/scim/v2/ServiceProviderConfig"),
            "patch": .object(["supported": .bool(true)]),
            "bulk": .object(["supported": .bool(false), "maxOperations": .number(0), "maxPayloadSize": .number(0)]),
            "filter": .object(["supported": .bool(true), "maxResults": .number(200)]),
            "changePassword": .object(["supported": .bool(false)]),
            "sort": .object(["supported": .bool(false)]),
            "etag": .object(["supported": .bool(false)]),
            "authenticationSchemes": .array([
                .object([
                    "type": .string("oauthbearertoken"), "name": .string("Bearer token"), "primary": .bool(true),
                    "description": .string("The organisation's provisioning token from Admin → Provisioning, sent as Authorization: Bearer scim_…"),
                ])
            ]),
            "meta": .object(["resourceType": .string("ServiceProviderConfig"), "location": .string("\(baseURL)/scim/v2/ServiceProviderConfig")]),
        ])
    }

    static func userResourceType(baseURL: String) -> SCIMJSON {
        .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:ResourceType")]),
            "id": .string("User"), "name": .string("User"), "endpoint": .string("/Users"),
            "description": .string("A person in the organisation's Mutual directory"),
            "schema": .string(SCIMUser.schema),
            "schemaExtensions": .array([.object(["schema": .string(SCIMUser.enterpriseSchema), "required": .bool(false)])]),
            "meta": .object(["resourceType": .string("ResourceType"), "location": .string("\(baseURL)/scim/v2/ResourceTypes/User")]),
        ])
    }

    static func attribute(
        _ name: String, type: String = "string", required: Bool = false, multiValued: Bool = false, mutability: String = "readWrite",
        uniqueness: String = "none", caseExact: Bool = false, subAttributes: [SCIMJSON] = []
    ) -> SCIMJSON {
        var members: [String: SCIMJSON] = [
            "name": .string(name), "type": .string(type), "multiValued": .bool(multiValued), "required": .bool(required),
            "mutability": .string(mutability), "returned": .string("default"), "uniqueness": .string(uniqueness), "caseExact": .bool(caseExact),
            "description": .string(""),
        ]
        if !subAttributes.isEmpty { members["subAttributes"] = .array(subAttributes) }
        return .object(members)
    }

    static func schemas(baseURL: String) -> [SCIMJSON] {
        let user: SCIMJSON = .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
            "id": .string(SCIMUser.schema), "name": .string("User"), "description": .string("A person in Mutual's directory"),
            "attributes": .array([
                attribute("userName", required: true, uniqueness: "server"),
                attribute("externalId", caseExact: true),
                attribute("name", type: "complex", subAttributes: [attribute("formatted"), attribute("givenName"), attribute("familyName")]),
                attribute("displayName"),
                attribute("active", type: "boolean"),
                attribute("timezone"),
                attribute("emails", type: "complex", multiValued: true, subAttributes: [attribute("value"), attribute("type"), attribute("primary", type: "boolean")]),
            ]),
            "meta": .object(["resourceType": .string("Schema"), "location": .string("\(baseURL)/scim/v2/Schemas/\(SCIMUser.schema)")]),
        ])
        let enterprise: SCIMJSON = .object([
            "schemas": .array([.string("urn:ietf:params:scim:schemas:core:2.0:Schema")]),
            "id": .string(SCIMUser.enterpriseSchema), "name": .string("EnterpriseUser"), "description": .string("Enterprise user"),
            "attributes": .array([
                attribute("department"),
                attribute("manager", type: "complex", subAttributes: [attribute("value"), attribute("$ref", type: "reference")]),
            ]),
            "meta": .object(["resourceType": .string("Schema"), "location": .string("\(baseURL)/scim/v2/Schemas/\(SCIMUser.enterpriseSchema)")]),
        ])
        return [user, enterprise]
    }

    static func list(_ resources: [SCIMJSON], total: Int? = nil, startIndex: Int = 1) -> SCIMJSON {
        .object([
            "schemas": .array([.string(listSchema)]), "totalResults": .number(Double(total ?? resources.count)),
            "startIndex": .number(Double(startIndex)), "itemsPerPage": .number(Double(resources.count)), "Resources": .array(resources),
        ])
    }
}
