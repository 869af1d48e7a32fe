import FluentKit
import Foundation

extension Store {
    /// A person of the caller's organisation with skills, manager and boundaries.
    public func profile(personID: UUID, of identity: Identity) async throws -> Profile {
        let db = try db()
        let person = try await scopedPerson(id: personID, of: identity)
        let rows = try await PersonSkill.query(on: db).filter(\.$personID == personID).all()
        let skills = try await Skill.query(on: db).filter(\.$id ~~ Set(rows.map(\.skillID))).all()
        let skillByID = Dictionary(uniqueKeysWithValues: skills.compactMap { skill in skill.id.map { ($0, skill) } })
        func levels(_ kind: PersonSkill.Kind) -> [Profile.SkillLevel] {
            rows.filter { $0.kind == kind }.compactMap { row in
                guard let skill = skillByID[row.skillID] else { return nil }
                return Profile.SkillLevel(skillID: row.skillID, name: skill.name, family: skill.family, level: row.level, priority: row.priority)
            }
            .sorted { ($1.level, $0.name) < ($0.level, $1.name) }
        }
        let manager = try await person.managerID.asyncMap { try await Person.find($0, on: db) } ?? nil
        let hasAccount = try await Account.query(on: db).filter(\.$personID == personID).count() > 0
        return Profile(
            id: personID, externalID: person.externalID, name: person.name, email: person.email, department: person.department,
            company: person.company, level: person.level, managerID: person.managerID, managerName: manager?.name,
            location: person.location, timeZone: person.timeZone, languages: person.languageList, strengths: levels(.strength),
            wants: levels(.want), interests: person.interestList, availability: AvailabilityWindow.decodeList(person.availability),
            bio: person.bio, offLimits: person.offLimitsList, meetingFrequency: person.meetingFrequency,
            formality: person.formality, hasAccount: hasAccount)
    }

    /// Whether `identity` may edit this person's profile: their own, or anyone's as an admin.
    public func canEditProfile(personID: UUID, by identity: Identity) -> Bool {
        identity.personID == personID || identity.role >= .admin
    }

    /// Validates and saves a profile. Every problem names its field; nothing is written unless
    /// everything is valid.
    public func updateProfile(personID: UUID, with update: ProfileUpdate, by identity: Identity) async throws -> Profile {
        let person = try await scopedPerson(id: personID, of: identity)
        guard canEditProfile(personID: personID, by: identity) else {
            throw StoreError.forbidden(message: "You can edit your own profile; only an admin can edit someone else's.")
        }
        let db = try db()
        let name = try InputRules.requiredText(update.name, field: "name", label: "a name", maxLength: TextLimits.name)
        let department = try InputRules.optionalText(update.department, field: "department", label: "the department", maxLength: TextLimits.department)
        let company = try InputRules.optionalText(update.company, field: "company", label: "the company", maxLength: TextLimits.department)
        let location = try InputRules.optionalText(update.location, field: "location", label: "the location", maxLength: TextLimits.department)
        let languages = try InputRules.listItems(update.languages, field: "languages", label: "languages")
        let interests = try InputRules.listItems(update.interests, field: "interests", label: "interests")
        let offLimits = try InputRules.listItems(update.offLimits, field: "off_limits", label: "topics that are off limits")
        let bio = try InputRules.longText(update.bio, field: "bio", label: "the text about you", maxLength: TextLimits.bio)
        for (field, entries) in [("strengths", update.strengths.map(\.skill)), ("wants", update.wants.map(\.skill))] {
            _ = try InputRules.listItems(entries, field: field, label: "skills under \(field)", maxItemLength: TextLimits.skillName)
        }
        var email: String?
        if let raw = update.email, !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            email = try InputRules.email(raw)
        }
        guard (0...20).contains(update.level) else {
            throw StoreError.invalid(field: "level", message: "Seniority level must be a whole number from 0 to 20.")
        }
        let timeZone = try InputRules.optionalText(update.timeZone, field: "timezone", label: "the time zone", maxLength: TextLimits.timeZone)
        guard TimeZone(identifier: timeZone) != nil else {
            throw StoreError.invalid(
                field: "timezone", message: "\"\(timeZone)\" is not a time zone. Use an IANA name such as Europe/Lisbon or America/New_York.")
        }
        for (index, strength) in update.strengths.enumerated() where !(1...5).contains(strength.level) {
            throw StoreError.invalid(
                field: "strengths[\(index)]", message: "The level of \(strength.skill) must be from 1 (beginner) to 5 (expert), not \(strength.level).")
        }
        for (index, want) in update.wants.enumerated() where !(0...4).contains(want.level) {
            throw StoreError.invalid(
                field: "wants[\(index)]", message: "Your current level in \(want.skill) must be from 0 (new to it) to 4, not \(want.level).")
        }
        for (index, window) in update.availability.enumerated() {
            guard (1...7).contains(window.weekday), window.startMinute < window.endMinute, window.endMinute <= 24 * 60 else {
                throw StoreError.invalid(
                    field: "availability[\(index)]", message: "Each availability window needs a weekday and a start time before its end time.")
            }
        }
        guard ProfileUpdate.meetingFrequencies.contains(update.meetingFrequency) else {
            throw StoreError.invalid(field: "meeting_frequency", message: "Choose weekly, fortnightly, monthly or as needed.")
        }
        guard ProfileUpdate.formalities.contains(update.formality) else {
            throw StoreError.invalid(field: "formality", message: "Choose formal or informal.")
        }
        if let managerID = update.managerID {
            try await validateManager(managerID, for: personID, organisationID: identity.organisationID, on: db)
        }
        let resolver = try await skillResolver(for: identity.organisationID)
        let organisationID = identity.organisationID
        let checkedEmail = email
        let now = clock.now
        try await transaction { transaction in
            // Two saves of one profile at once would each delete the skill rows and insert their
            // own: on PostgreSQL the second insert hits the first's rows. One at a time per person.
            try await Self.lockRows(Person.schema, where: "id", equals: personID, on: transaction)
            if let checkedEmail {
                // Checked under the organisation's lock, in the transaction that writes: two
                // people given one address at once cannot both keep it.
                try await Self.lockRows(Organisation.schema, where: "id", equals: organisationID, on: transaction)
                let clash = try await Person.query(on: transaction)
                    .filter(\.$organisationID == organisationID)
                    .filter(\.$email == checkedEmail)
                    .filter(\.$id != personID)
                    .first()
                if let clash {
                    throw StoreError.conflict(field: "email", message: "\(checkedEmail) already belongs to \(clash.name) in this organisation.")
                }
            }
            person.name = name
            person.email = checkedEmail
            person.department = department
            person.company = company
            person.level = update.level
            person.managerID = update.managerID
            person.location = location
            person.timeZone = timeZone
            person.languages = Self.joinList(languages)
            person.interests = Self.joinList(interests)
            person.availability = AvailabilityWindow.encodeList(update.availability)
            person.bio = bio
            person.offLimits = Self.joinList(offLimits)
            person.meetingFrequency = update.meetingFrequency
            person.formality = update.formality
            person.updatedAt = now
            try await person.save(on: transaction)
            try await PersonSkill.query(on: transaction).filter(\.$personID == personID).delete()
            var seen: Set<String> = []
            for (kind, entries) in [(PersonSkill.Kind.strength, update.strengths), (.want, update.wants)] {
                for entry in entries {
                    guard let skillID = try await resolver.skillID(for: entry.skill, on: transaction),
                        seen.insert("\(kind.rawValue)|\(skillID)").inserted
                    else { continue }
                    try await PersonSkill(
                        organisationID: organisationID, personID: personID, skillID: skillID, kind: kind, level: entry.level
                    ).create(on: transaction)
                }
            }
        }
        directoryFacetCache.forget(identity.organisationID)
        return try await profile(personID: personID, of: identity)
    }

    /// A manager must be another person of the same organisation, and making them the manager
    /// must not close a loop in the reporting line.
    func validateManager(_ managerID: UUID, for personID: UUID, organisationID: UUID, on db: any Database) async throws {
        guard managerID != personID else {
            throw StoreError.invalid(field: "manager_id", message: "A person cannot be their own manager.")
        }
        guard let manager = try await Person.query(on: db)
            .filter(\.$id == managerID)
            .filter(\.$organisationID == organisationID)
            .first()
        else {
            throw StoreError.invalid(field: "manager_id", message: "The manager must be someone in your organisation's directory.")
        }
        var current: Person? = manager
        var visited: Set<UUID> = [personID]
        while let step = current, let next = step.managerID {
            if next == personID {
                throw StoreError.invalid(
                    field: "manager_id", message: "\(manager.name) reports (directly or through others) to this person, so they cannot also be their manager.")
            }
            guard visited.insert(next).inserted else { break }
            current = try await Person.find(next, on: db)
        }
    }

    func scopedPerson(id: UUID, of identity: Identity) async throws -> Person {
        guard let person = try await Person.query(on: db())
            .filter(\.$id == id)
            .filter(\.$organisationID == identity.organisationID)
            .first()
        else { throw StoreError.notFound(what: "person") }
        return person
    }

    static func joinList(_ items: [String]) -> String {
        var seen: Set<String> = []
        return items.map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ";", with: ",") }
            .filter { !$0.isEmpty && seen.insert($0.lowercased()).inserted }
            .joined(separator: ";")
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension Store {
    /// Finds a person of the caller's organisation by directory id (the CSV `id`) or email,
    /// as people type a manager's reference into a form.
    public func findPerson(reference: String, of identity: Identity) async throws -> Person? {
        let text = reference.trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return nil }
        let db = try db()
        if let byID = try await Person.query(on: db)
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$externalID == text)
            .first()
        {
            return byID
        }
        return try await Person.query(on: db)
            .filter(\.$organisationID == identity.organisationID)
            .filter(\.$email == text.lowercased())
            .first()
    }
}
