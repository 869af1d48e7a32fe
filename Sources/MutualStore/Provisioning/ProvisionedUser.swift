import Foundation

/// A person as the identity provider describes them through SCIM, in Mutual's terms: what
/// the provisioning store methods write. SCIM's wire format (names, paths, patch operations) is
/// the web layer's business; this is what is left once it has been read.
public struct ProvisionedUser: Sendable, Equatable {
    /// The CSV contract's `id` (SCIM `externalId`): the key SCIM and CSV imports share. Nil
    /// when the provider sends none; a new person then gets their email as their id.
    public var externalID: String?
    /// SCIM `userName`: the person's email address.
    public var email: String
    public var name: String
    public var active: Bool
    /// The enterprise extension's `department`; nil leaves the stored one.
    public var department: String?
    /// The enterprise extension's `manager.value`: the manager's SCIM id (their person id) or
    /// directory id; nil leaves the stored manager, an empty string removes it.
    public var managerReference: String?
    /// SCIM `timezone` (an IANA name); nil leaves the stored one.
    public var timeZone: String?

    public init(
        externalID: String?, email: String, name: String, active: Bool = true, department: String? = nil, managerReference: String? = nil,
        timeZone: String? = nil
    ) {
        self.externalID = externalID
        self.email = email
        self.name = name
        self.active = active
        self.department = department
        self.managerReference = managerReference
        self.timeZone = timeZone
    }
}

/// A person as SCIM reads them back.
public struct ProvisionedPerson: Sendable, Equatable {
    /// The SCIM `id`.
    public let id: UUID
    public let externalID: String
    /// Their email, or nil for a directory person without one (SCIM then has no `userName`).
    public let email: String?
    public let name: String
    public let active: Bool
    public let department: String
    public let managerID: UUID?
    public let timeZone: String
    public let createdAt: Date
    public let updatedAt: Date

    init(_ person: Person) throws {
        self.id = try person.requireID()
        self.externalID = person.externalID
        self.email = person.email
        self.name = person.name
        self.active = person.deactivatedAt == nil
        self.department = person.department
        self.managerID = person.managerID
        self.timeZone = person.timeZone
        self.createdAt = person.createdAt
        self.updatedAt = person.updatedAt ?? person.createdAt
    }

    /// The person as a change to start a replacement or a patch from.
    public var asUser: ProvisionedUser {
        ProvisionedUser(
            externalID: externalID, email: email ?? "", name: name, active: active, department: department,
            managerReference: managerID?.uuidString.lowercased() ?? "", timeZone: timeZone)
    }
}

/// Which people a SCIM list asks for (`filter=userName eq "…"` and its kin).
public enum ProvisioningFilter: Sendable, Equatable {
    case email(String)
    case externalID(String)
    case id(UUID)
    /// A filter on an id that is not a UUID: matches nobody.
    case nobody
}

/// The outcome of a SCIM create: the person, and whether they were new (201) or an existing
/// person with that `externalId`, linked and updated (200).
public struct ProvisioningResult: Sendable, Equatable {
    public let person: ProvisionedPerson
    public let created: Bool
}
