import FluentKit
import Foundation

/// What the first-run setup page asks for.
public struct SetupRequest: Sendable {
    public var organisationName: String
    public var adminName: String
    public var email: String
    public var password: String

    public init(organisationName: String, adminName: String, email: String, password: String) {
        self.organisationName = organisationName
        self.adminName = adminName
        self.email = email
        self.password = password
    }
}

extension Store {
    /// Whether any organisation exists yet; until one does, `/` leads to the setup page.
    public func isSetUp() async throws -> Bool {
        try await Organisation.query(on: try db()).count() > 0
    }

    /// Creates the very first organisation and its admin. Refused once any organisation exists.
    public func setUpFirstOrganisation(_ request: SetupRequest) async throws -> Account {
        guard try await !isSetUp() else {
            throw StoreError.conflict(field: nil, message: "Mutual is already set up. Sign in instead, or ask your admin for an invitation.")
        }
        return try await createOrganisation(request, slug: nil)
    }

    /// Creates an organisation with its first admin (used by setup, the demo and tests).
    public func createOrganisation(_ request: SetupRequest, slug: String?) async throws -> Account {
        let organisationName = try InputRules.requiredText(
            request.organisationName, field: "organisation_name", label: "the organisation's name")
        let name = try InputRules.requiredText(request.adminName, field: "name", label: "your name")
        let email = try InputRules.email(request.email)
        try PasswordHasher.validate(request.password)
        if try await Login.query(on: try db()).filter(\.$email == email).first() != nil {
            throw StoreError.conflict(field: "email", message: "An account with \(email) already exists. Use another address or sign in.")
        }
        let hash = try await passwords.hash(request.password)
        let now = clock.now
        let baseSlug = slug ?? InputRules.slug(organisationName)
        return try await transaction { transaction in
            var candidate = baseSlug
            var suffix = 2
            while try await Organisation.query(on: transaction).filter(\.$slug == candidate).first() != nil {
                candidate = "\(baseSlug)-\(suffix)"
                suffix += 1
            }
            let organisation = Organisation(name: organisationName, slug: candidate, createdAt: now)
            try await organisation.create(on: transaction)
            let organisationID = try organisation.requireID()
            try await Self.seedStarterTaxonomy(organisationID: organisationID, on: transaction)
            let person = Person(
                organisationID: organisationID, externalID: "admin-\(email)", name: name, email: email,
                department: "", company: organisationName, level: 0, timeZone: "UTC", location: "",
                languages: [], createdAt: now)
            try await person.create(on: transaction)
            let login = Login(email: email, passwordHash: hash, createdAt: now)
            try await login.create(on: transaction)
            let account = Account(
                organisationID: organisationID, personID: try person.requireID(), loginID: try login.requireID(), name: name,
                role: .admin, createdAt: now)
            try await account.create(on: transaction)
            return account
        }
    }

    /// Gives a new organisation the starter skills and their common aliases.
    static func seedStarterTaxonomy(organisationID: UUID, on database: any Database) async throws {
        var ids: [String: UUID] = [:]
        for entry in StarterTaxonomy.entries {
            let skill = Skill(organisationID: organisationID, slug: SkillResolver.slug(entry.name), name: entry.name, family: entry.family)
            try await skill.create(on: database)
            ids[entry.name] = try skill.requireID()
        }
        for (alias, name) in StarterTaxonomy.aliases {
            guard let skillID = ids[name] else { continue }
            try await SkillAlias(organisationID: organisationID, skillID: skillID, slug: SkillResolver.slug(alias)).create(on: database)
        }
    }

    /// The organisation with this id.
    public func organisation(id: UUID) async throws -> Organisation {
        guard let organisation = try await Organisation.find(id, on: try db()) else {
            throw StoreError.notFound(what: "organisation")
        }
        return organisation
    }
}
