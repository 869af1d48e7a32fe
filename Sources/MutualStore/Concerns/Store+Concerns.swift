import FluentKit
import Foundation
import SQLKit

extension Store {
    /// A programme's named support contact, when it has one.
    public func supportContact(programmeID: UUID, of identity: Identity) async throws -> SupportContact? {
        _ = try await scopedProgramme(id: programmeID, of: identity)
        return try await supportContact(programmeID: programmeID, on: try db())
    }

    func supportContact(programmeID: UUID, on database: any Database) async throws -> SupportContact? {
        guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
        guard
            let row = try await sql.raw(
                """
                SELECT p.id, p.name FROM \(ident: Programme.schema) g JOIN \(ident: Person.schema) p ON p.id = g.support_person_id \
                WHERE g.id = \(bind: programmeID)
                """
            ).first()
        else { return nil }
        return SupportContact(personID: try row.decode(column: "id", as: UUID.self), name: try row.decode(column: "name", as: String.self))
    }

    /// Who may be named support contact: the organisation's programme managers and admins, by name.
    public func supportContactCandidates(of identity: Identity) async throws -> [SupportContact] {
        try requireRole(.programmeManager, identity)
        return try await Account.query(on: try db()).filter(\.$organisationID == identity.organisationID).all()
            .filter { $0.role >= .programmeManager }
            .map { SupportContact(personID: $0.personID, name: $0.name) }
            .sorted { $0.name.lowercased() < $1.name.lowercased() }
    }

    /// Names (or, with `nil`, removes) the person who reads a programme's concerns: someone in
    /// the organisation with a programme manager's or an admin's account. Programme managers and admins.
    public func setSupportContact(programmeID: UUID, personID: UUID?, by identity: Identity) async throws {
        _ = try await managedProgramme(id: programmeID, of: identity)
        if let personID {
            let account = try await Account.query(on: try db()).filter(\.$organisationID == identity.organisationID)
                .filter(\.$personID == personID).first()
            guard let account, account.role >= .programmeManager else {
                throw StoreError.invalid(
                    field: "support_person_id",
                    message: "The support contact must be a programme manager or an admin of your organisation. Choose one from the list, or invite them first.")
            }
        }
        try await transaction { database in
            guard let sql = database as? any SQLDatabase else { throw StoreError.unavailable }
            try await sql.update(Programme.schema).set("support_person_id", to: personID).where("id", .equal, programmeID).run()
            try await self.record(
                NewEvent(
                    .programmeChanged, organisationID: identity.organisationID, actor: identity.personID, subject: programmeID,
                    payload: ["support_contact": personID.map { .id($0) } ?? .string("")]),
                on: database)
        }
    }

    /// Raises a concern with the programme's support contact (or the organisation's admins when
    /// it names none): someone enrolled in the programme or in one of its relationships may. The
    /// readers are emailed that a concern arrived, with a link and without its words; the event
    /// says only that one was raised in the programme. Returns who will read it.
    @discardableResult
    public func raiseConcern(programmeID: UUID, relationshipID: UUID?, text: String, by identity: Identity) async throws -> String {
        let body = try InputRules.longText(text, field: "body", label: "your concern", maxLength: TextLimits.message)
        guard !body.isEmpty else {
            throw StoreError.invalid(field: "body", message: "Write what worries you. Only the programme's support contact will read it.")
        }
        let programme = try await scopedProgramme(id: programmeID, of: identity)
        let database = try db()
        let enrolled = try await Enrolment.query(on: database).filter(\.$programmeID == programmeID).filter(\.$personID == identity.personID).first() != nil
        let memberships = try await RelationshipMember.query(on: database).filter(\.$personID == identity.personID).all().map(\.relationshipID)
        let ownRelationships = memberships.isEmpty
            ? [] : try await Relationship.query(on: database).filter(\.$id ~~ memberships).filter(\.$programmeID == programmeID).all().compactMap(\.id)
        guard enrolled || !ownRelationships.isEmpty else {
            throw StoreError.forbidden(message: "Only people taking part in \(programme.name) can raise a concern about it.")
        }
        if let relationshipID, !ownRelationships.contains(relationshipID) {
            throw StoreError.invalid(field: "relationship_id", message: "Choose one of your own relationships in \(programme.name), or none.")
        }
        let readers = try await concernReaders(programmeID: programmeID, organisationID: identity.organisationID, on: database)
        let concern = Concern()
        concern.organisationID = identity.organisationID
        concern.programmeID = programmeID
        concern.relationshipID = relationshipID
        concern.raisedBy = identity.personID
        concern.body = body
        concern.createdAt = clock.now
        let base = mailSettings.baseURL
        try await transaction { database in
            try await concern.create(on: database)
            let id = try concern.requireID()
            try await self.record(NewEvent(.concernRaised, organisationID: identity.organisationID, actor: nil, subject: programmeID), on: database)
            for reader in readers {
                guard let email = reader.email else { continue }
                _ = try await self.queueEmail(
                    template: "concern-raised", category: .essential, to: EmailRecipient(personID: reader.personID, email: email, name: reader.name),
                    organisationID: identity.organisationID,
                    values: ["name": reader.name, "programme": programme.name, "link": "\(base)/concerns/\(id.uuidString)", "action": "Read the concern"],
                    uniqueKey: "email:concern:\(id.uuidString.lowercased()):\(reader.personID.uuidString.lowercased())", on: database)
            }
        }
        return readers.map(\.name).joined(separator: ", ")
    }

    /// The concerns the signed-in person reads: those of programmes naming them as support
    /// contact, and for an admin those of programmes that name nobody. Newest first.
    public func concerns(of identity: Identity) async throws -> [ConcernView] {
        try requireRole(.programmeManager, identity)
        guard let sql = try db() as? any SQLDatabase else { throw StoreError.unavailable }
        let adminClause: SQLQueryString = identity.role >= .admin ? " OR g.support_person_id IS NULL" : ""
        return try await sql.raw(
            """
            SELECT c.id, c.programme_id, g.name AS programme_name, c.relationship_id, p.name AS person_name, p.email, c.body, c.created_at, c.resolved_at \
            FROM \(ident: Concern.schema) c JOIN \(ident: Programme.schema) g ON g.id = c.programme_id JOIN \(ident: Person.schema) p ON p.id = c.raised_by \
            WHERE c.organisation_id = \(bind: identity.organisationID) AND (g.support_person_id = \(bind: identity.personID)\(adminClause)) \
            ORDER BY c.created_at DESC
            """
        ).all().map { row in
            ConcernView(
                id: try row.decode(column: "id", as: UUID.self), programmeID: try row.decode(column: "programme_id", as: UUID.self),
                programmeName: try row.decode(column: "programme_name", as: String.self), relationshipID: try row.decode(column: "relationship_id", as: UUID?.self),
                raisedByName: try row.decode(column: "person_name", as: String.self), raisedByEmail: try row.decode(column: "email", as: String?.self),
                body: try row.decode(column: "body", as: String.self), createdAt: try row.decode(column: "created_at", as: Date.self),
                resolvedAt: try row.decode(column: "resolved_at", as: Date?.self))
        }
    }

    /// Marks a concern dealt with; only one of its readers may.
    public func resolveConcern(id: UUID, by identity: Identity) async throws {
        guard try await concerns(of: identity).contains(where: { $0.id == id }) else { throw StoreError.notFound(what: "concern") }
        try await Concern.query(on: try db()).filter(\.$id == id).filter(\.$resolvedAt == nil)
            .set(\.$resolvedAt, to: clock.now).set(\.$resolvedBy, to: identity.personID).update()
    }

    /// How many concerns a programme has had and how many are resolved, for its evidence pack (no contents).
    func concernCounts(programmeID: UUID) async throws -> (raised: Int, resolved: Int) {
        let all = try await Concern.query(on: try db()).filter(\.$programmeID == programmeID).all()
        return (all.count, all.filter { $0.resolvedAt != nil }.count)
    }

    private struct Reader { let personID: UUID, name: String, email: String? }

    /// The support contact, or every admin when the programme names none.
    private func concernReaders(programmeID: UUID, organisationID: UUID, on database: any Database) async throws -> [Reader] {
        if let contact = try await supportContact(programmeID: programmeID, on: database) {
            let email = try await Person.find(contact.personID, on: database)?.email
            return [Reader(personID: contact.personID, name: contact.name, email: email)]
        }
        let admins = try await Account.query(on: database).filter(\.$organisationID == organisationID).filter(\.$role == .admin).all()
        var readers: [Reader] = []
        for account in admins {
            let person = try await Person.find(account.personID, on: database)
            readers.append(Reader(personID: account.personID, name: account.name, email: person?.email))
        }
        return readers
    }
}
