import FluentKit
import Foundation
import SQLKit

/// SCIM provisioning (issue 17, point 2): the identity provider creates, changes, deactivates
/// and reactivates the organisation's people. A SCIM user is a directory person: their SCIM
/// `id` is the person's id, `externalId` the CSV contract's `id` (`people.external_id`) and
/// `userName` their email, so SCIM and CSV imports update the same people. SCIM writes only what
/// it owns (name, email, department, manager, time zone, active); skills and everything else a
/// profile holds are left alone, as a CSV without those columns leaves them.
extension Store {
    /// The most people one list answers (SCIM `count` above it is lowered to it).
    public static let provisioningPageLimit = 200

    /// The organisation's people as SCIM lists them, by creation then id, from `startIndex`
    /// (1-based, as SCIM counts), at most `count`; with the total that match.
    public func provisionedPeople(organisationID: UUID, filter: ProvisioningFilter?, startIndex: Int, count: Int) async throws
        -> (total: Int, people: [ProvisionedPerson])
    {
        func scoped() throws -> QueryBuilder<Person> {
            let query = Person.query(on: try db()).filter(\.$organisationID == organisationID)
            switch filter {
            case nil: break
            case .email(let email): query.filter(\.$email == email.lowercased())
            case .externalID(let id): query.filter(\.$externalID == id)
            case .id(let id): query.filter(\.$id == id)
            case .nobody: query.filter(\.$id == UUID())
            }
            return query
        }
        let total = try await scoped().count()
        let count = max(0, min(count, Self.provisioningPageLimit))
        guard count > 0 else { return (total, []) }
        let people = try await scoped().sort(\.$createdAt).sort(\.$id).offset(max(0, startIndex - 1)).limit(count).all()
        return (total, try people.map(ProvisionedPerson.init))
    }

    /// One person of the organisation by SCIM id.
    public func provisionedPerson(id: UUID, organisationID: UUID) async throws -> ProvisionedPerson {
        guard let person = try await Person.query(on: try db()).filter(\.$id == id).filter(\.$organisationID == organisationID).first() else {
            throw StoreError.notFound(what: "user")
        }
        return try ProvisionedPerson(person)
    }

    /// SCIM create. A person whose directory id is the user's `externalId` already (from a CSV
    /// import, or an earlier create) is updated instead of duplicated; otherwise a person is
    /// made. An email that belongs to another person is a conflict (409 `uniqueness`), as is a
    /// create without `externalId` for an email that exists: the provider should find that
    /// person with `filter=userName eq "…"` and update them.
    ///
    /// Everything is checked and written in one transaction under the organisation's row lock,
    /// so parallel creates of one user make one person.
    public func provisionPerson(_ user: ProvisionedUser, organisationID: UUID) async throws -> ProvisioningResult {
        let checked = try CheckedProvisionedUser(user)
        defer { directoryFacetCache.forget(organisationID) }
        return try await transaction { database in
            try await Self.lockRows(Organisation.schema, where: "id", equals: organisationID, on: database)
            var existing: Person?
            if let externalID = checked.externalID {
                existing = try await Person.query(on: database).filter(\.$organisationID == organisationID)
                    .filter(\.$externalID == externalID).first()
            }
            let person = try await self.writeProvisioned(checked, to: existing, organisationID: organisationID, on: database)
            return ProvisioningResult(person: try ProvisionedPerson(person), created: existing == nil)
        }
    }

    /// SCIM replace (PUT), patch (PATCH) and delete: `change` edits the person as they are
    /// inside the transaction (their row locked), so two patches at once each see the other's
    /// result, and the outcome is written as a create's would be.
    public func updateProvisionedPerson(
        id: UUID, organisationID: UUID, _ change: @escaping @Sendable (inout ProvisionedUser) throws -> Void
    ) async throws -> ProvisionedPerson {
        // After the transaction (a defer runs once it returned or threw): the directory's menus
        // may show the changed department or time zone.
        defer { directoryFacetCache.forget(organisationID) }
        return try await transaction { database in
            try await Self.lockRows(Organisation.schema, where: "id", equals: organisationID, on: database)
            guard let person = try await Person.query(on: database).filter(\.$id == id).filter(\.$organisationID == organisationID).first()
            else { throw StoreError.notFound(what: "user") }
            var user = try ProvisionedPerson(person).asUser
            try change(&user)
            // A directory person without an email (imported without one) keeps having none until
            // the provider sends a userName.
            let checked = try CheckedProvisionedUser(user, emailMayBeMissing: person.email == nil)
            return try ProvisionedPerson(try await self.writeProvisioned(checked, to: person, organisationID: organisationID, on: database))
        }
    }

    /// Checks `user` against the organisation and writes it to `existing` (or a new person),
    /// with its events; deactivates or reactivates when `active` changes. Runs in the caller's
    /// transaction, after the organisation's row is locked.
    private func writeProvisioned(_ user: CheckedProvisionedUser, to existing: Person?, organisationID: UUID, on database: any Database)
        async throws -> Person
    {
        let personID = existing?.id ?? UUID()
        let externalID =
            user.externalID ?? existing?.externalID
            ?? (user.email.map { $0.count <= TextLimits.externalID ? $0 : nil } ?? nil) ?? personID.uuidString.lowercased()
        if let email = user.email,
            let holder = try await Person.query(on: database).filter(\.$organisationID == organisationID).filter(\.$email == email)
                .filter(\.$id != personID).first()
        {
            throw StoreError.conflict(
                field: "userName",
                message:
                    "\(email) already belongs to another person in this organisation (SCIM id \(holder.id?.uuidString.lowercased() ?? "?"), externalId \(holder.externalID)). Find them with filter=userName eq \"\(email)\" and update that user, or use another userName."
            )
        }
        if let holder = try await Person.query(on: database).filter(\.$organisationID == organisationID).filter(\.$externalID == externalID)
            .filter(\.$id != personID).first()
        {
            throw StoreError.conflict(
                field: "externalId",
                message: "externalId \(externalID) already belongs to another person (SCIM id \(holder.id?.uuidString.lowercased() ?? "?")). Each externalId is one person's directory id; use that user or another externalId.")
        }
        var managerID = existing?.managerID
        if let reference = user.managerReference {
            managerID = try await provisionedManager(reference, of: personID, organisationID: organisationID, on: database)
        }

        let now = clock.now
        let person = existing ?? Person()
        var changed: [String] = []
        // Which columns differ from what is stored (all of them for a new person). Assigned one
        // by one: a key path's setter reads the field first, which a new model has not got.
        func differs<Value: Equatable>(_ stored: Value?, _ value: Value, _ name: String) -> Bool {
            guard existing == nil || stored != value else { return false }
            changed.append(name)
            return true
        }
        if existing == nil {
            person.id = personID
            person.organisationID = organisationID
            person.company = ""
            person.level = 0
            person.location = ""
            person.languages = ""
            person.interests = ""
            person.exclude = ""
            person.bio = ""
            person.availability = ""
            person.offLimits = ""
            person.meetingFrequency = ""
            person.formality = ""
            person.createdAt = now
            person.department = ""
            person.timeZone = ""
        }
        if differs(existing?.externalID, externalID, "external_id") { person.externalID = externalID }
        if differs(existing?.name, user.name, "name") { person.name = user.name }
        if differs(existing?.email, user.email, "email") { person.email = user.email }
        if let department = user.department, differs(existing?.department, department, "department") { person.department = department }
        if differs(existing?.managerID, managerID, "manager_id") { person.managerID = managerID }
        if let timeZone = user.timeZone, differs(existing?.timeZone, timeZone, "timezone") { person.timeZone = timeZone }
        let wasActive = existing.map { $0.deactivatedAt == nil } ?? true
        if existing == nil || !changed.isEmpty || wasActive != user.active { person.updatedAt = now }
        if existing == nil {
            person.deactivatedAt = user.active ? nil : now
            try await person.create(on: database)
        } else if !changed.isEmpty {
            try await person.save(on: database)
        }
        if existing == nil || !changed.isEmpty {
            try await record(
                NewEvent(
                    .personProvisioned, organisationID: organisationID, actor: nil, subject: personID,
                    payload: ["created": .bool(existing == nil), "changed": .string(changed.joined(separator: ","))]),
                on: database)
        }
        if existing != nil, wasActive != user.active {
            if user.active {
                try await reactivate(person, on: database)
            } else {
                try await deactivate(person, on: database)
            }
        }
        return person
    }

    /// The manager a SCIM `manager.value` names: a person's SCIM id, or their directory id.
    private func provisionedManager(_ reference: String, of personID: UUID, organisationID: UUID, on database: any Database) async throws
        -> UUID?
    {
        guard !reference.isEmpty else { return nil }
        let query = Person.query(on: database).filter(\.$organisationID == organisationID)
        if let id = UUID(uuidString: reference) {
            query.group(.or) { $0.filter(\.$id == id).filter(\.$externalID == reference) }
        } else {
            query.filter(\.$externalID == reference)
        }
        guard let manager = try await query.first(), let managerID = manager.id else {
            throw StoreError.invalid(
                field: "manager",
                message: "No user with id or externalId \(reference) exists in this organisation, so it cannot be the manager. Provision the manager first, or leave the manager out.")
        }
        guard managerID != personID else {
            throw StoreError.invalid(field: "manager", message: "A person cannot be their own manager. Send another manager, or none.")
        }
        return managerID
    }
}

/// A ``ProvisionedUser`` whose texts passed the same rules as the people import's.
struct CheckedProvisionedUser {
    let externalID: String?
    /// Nil only for a person who had no email and still has none (``init(_:emailMayBeMissing:)``).
    let email: String?
    let name: String
    let active: Bool
    let department: String?
    let managerReference: String?
    let timeZone: String?

    init(_ user: ProvisionedUser, emailMayBeMissing: Bool = false) throws {
        if let externalID = user.externalID {
            let checked = try InputRules.requiredText(externalID, field: "externalId", label: "an externalId (the person's directory id)", maxLength: TextLimits.externalID)
            self.externalID = checked
        } else {
            self.externalID = nil
        }
        if user.email.trimmingCharacters(in: .whitespaces).isEmpty {
            guard emailMayBeMissing else {
                throw StoreError.invalid(field: "userName", message: "userName is required: send the person's email address, like name@example.org.")
            }
            self.email = nil
        } else {
            do {
                self.email = try InputRules.email(user.email, field: "userName")
            } catch let error as StoreError {
                throw StoreError.invalid(
                    field: "userName",
                    message: "userName must be the person's email address; \"\(user.email.prefix(80))\" is not usable: \(error.errorDescription ?? "")")
            }
        }
        self.name = try InputRules.requiredText(user.name, field: "name", label: "the person's name (name.formatted, or name.givenName and name.familyName)", maxLength: TextLimits.name)
        self.active = user.active
        self.department = try user.department.map {
            try InputRules.optionalText($0, field: "department", label: "the department", maxLength: TextLimits.department)
        }
        self.managerReference = try user.managerReference.map {
            try InputRules.optionalText($0, field: "manager", label: "the manager's id", maxLength: TextLimits.externalID)
        }
        self.timeZone = try user.timeZone.map { value in
            let zone = try InputRules.optionalText(value, field: "timezone", label: "the time zone", maxLength: TextLimits.timeZone)
            guard zone.isEmpty || TimeZone(identifier: zone) != nil else {
                throw StoreError.invalid(field: "timezone", message: "\(zone) is not a time zone Mutual knows. Send an IANA name like Europe/Lisbon, or leave timezone out.")
            }
            return zone
        }
    }
}
