import FluentKit
import Foundation
import SQLKit

/// The programmes a member may manage: every programme for an admin, the recorded ones for a
/// programme manager, none for a participant.
public enum ManagedProgrammes: Sendable, Equatable {
    case all
    case only(Set<UUID>)

    /// Whether the member manages this programme.
    public func contains(_ programmeID: UUID) -> Bool {
        switch self {
        case .all: true
        case .only(let ids): ids.contains(programmeID)
        }
    }

    /// The ids to filter a query by, or nil when nothing needs filtering.
    public var ids: Set<UUID>? {
        switch self {
        case .all: nil
        case .only(let ids): ids
        }
    }
}

extension Store {
    /// Which programmes the member manages. Every check of a programme manager's power over a
    /// programme, a run, a match or a relationship goes through this (or ``managedProgramme(id:of:)``).
    public func managedProgrammes(of identity: Identity) async throws -> ManagedProgrammes {
        switch identity.role {
        case .admin: return .all
        case .participant: return .only([])
        case .programmeManager:
            let rows = try await ProgrammeManager.query(on: try db()).filter(\.$organisationID == identity.organisationID)
                .filter(\.$personID == identity.personID).all()
            return .only(Set(rows.map(\.programmeID)))
        }
    }

    /// A programme the member manages. Another organisation's programme is "not found"; a
    /// programme of theirs that this manager does not manage is refused with who can change that.
    func managedProgramme(id: UUID, of identity: Identity) async throws -> Programme {
        try requireRole(.programmeManager, identity)
        let programme = try await scopedProgramme(id: id, of: identity)
        try await requireManager(of: programme, identity)
        return programme
    }

    /// Refuses a programme manager who does not manage this programme (admins manage all).
    func requireManager(ofProgrammeID programmeID: UUID, _ identity: Identity) async throws {
        try requireRole(.programmeManager, identity)
        guard identity.role < .admin else { return }
        try await requireManager(of: try await scopedProgramme(id: programmeID, of: identity), identity)
    }

    private func requireManager(of programme: Programme, _ identity: Identity) async throws {
        guard identity.role < .admin else { return }
        let recorded = try await ProgrammeManager.query(on: try db()).filter(\.$programmeID == (try programme.requireID()))
            .filter(\.$personID == identity.personID).first()
        guard recorded == nil else { return }
        throw StoreError.forbidden(
            message: "You are not a manager of “\(programme.name)”: a programme manager manages only the programmes an admin assigned them, and the ones they created. Ask an organisation admin to add you on the programme's page.")
    }

    /// Whether the member manages the programme (false, not an error, for anyone who does not).
    func manages(programmeID: UUID, _ identity: Identity) async throws -> Bool {
        guard identity.role >= .programmeManager else { return false }
        return try await managedProgrammes(of: identity).contains(programmeID)
    }

    /// The programme's managers, for admins and the programme's own managers.
    public func programmeManagers(ofProgramme programmeID: UUID, by identity: Identity) async throws -> [ProgrammeManagerSummary] {
        _ = try await managedProgramme(id: programmeID, of: identity)
        let database = try db()
        let rows = try await ProgrammeManager.query(on: database).filter(\.$programmeID == programmeID).all()
        guard !rows.isEmpty else { return [] }
        let people = try await Person.query(on: database).filter(\.$id ~~ rows.map(\.personID)).all()
        let names = Dictionary(uniqueKeysWithValues: try people.map { (try $0.requireID(), $0) })
        return rows.map { row in
            ProgrammeManagerSummary(personID: row.personID, name: names[row.personID]?.name ?? "A former member", email: names[row.personID]?.email, addedAt: row.addedAt)
        }
        .sorted { ($0.name.lowercased(), $0.personID.uuidString) < ($1.name.lowercased(), $1.personID.uuidString) }
    }

    /// The members who could be made managers of a programme: those with the programme manager
    /// role who do not manage it yet (admins manage every programme already).
    public func programmeManagerCandidates(ofProgramme programmeID: UUID, by identity: Identity) async throws -> [ProgrammeManagerSummary] {
        try requireRole(.admin, identity)
        _ = try await scopedProgramme(id: programmeID, of: identity)
        let database = try db()
        let current = Set(try await ProgrammeManager.query(on: database).filter(\.$programmeID == programmeID).all().map(\.personID))
        let accounts = try await Account.query(on: database).filter(\.$organisationID == identity.organisationID)
            .filter(\.$role == .programmeManager).all()
        return accounts.filter { !current.contains($0.personID) }
            .map { ProgrammeManagerSummary(personID: $0.personID, name: $0.name, email: nil, addedAt: $0.createdAt) }
            .sorted { ($0.name.lowercased(), $0.personID.uuidString) < ($1.name.lowercased(), $1.personID.uuidString) }
    }

    /// Makes a member with the programme manager role a manager of the programme. Admins only;
    /// adding someone who already manages it changes nothing.
    public func addProgrammeManager(personID: UUID, toProgramme programmeID: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        let programme = try await scopedProgramme(id: programmeID, of: identity)
        guard let account = try await Account.query(on: try db()).filter(\.$organisationID == identity.organisationID)
            .filter(\.$personID == personID).first()
        else { throw StoreError.notFound(what: "member") }
        guard account.role == .programmeManager else {
            let why = account.role == .admin
                ? "\(account.name) is an organisation admin and manages every programme already."
                : "\(account.name) is a participant. Change their role to programme manager on the members page first, then add them here."
            // A state of the directory, not a malformed request: the same id works once their role changes.
            throw StoreError.conflict(field: "person_id", message: why)
        }
        try await transaction { transaction in
            // The existence check and the insert are one step under the programme's row lock, so
            // two admins adding the same manager at once record them once.
            try await Self.lockRows(Programme.schema, where: "id", equals: programmeID, on: transaction)
            let existing = try await ProgrammeManager.query(on: transaction).filter(\.$programmeID == programmeID)
                .filter(\.$personID == personID).first()
            guard existing == nil else { return }
            try await self.recordManager(personID: personID, of: programme, by: identity.personID, on: transaction)
        }
    }

    /// Stops a manager managing the programme. Admins only.
    public func removeProgrammeManager(personID: UUID, fromProgramme programmeID: UUID, by identity: Identity) async throws {
        try requireRole(.admin, identity)
        _ = try await scopedProgramme(id: programmeID, of: identity)
        try await transaction { transaction in
            guard let row = try await ProgrammeManager.query(on: transaction).filter(\.$programmeID == programmeID)
                .filter(\.$personID == personID).first()
            else { throw StoreError.notFound(what: "manager of this programme") }
            try await row.delete(on: transaction)
            try await self.record(
                NewEvent(.programmeManagerRemoved, organisationID: identity.organisationID, actor: identity.personID, subject: programmeID, payload: ["person_id": .id(personID)]),
                on: transaction)
        }
    }

    /// Records a manager of a programme, with its event, inside the caller's transaction.
    func recordManager(personID: UUID, of programme: Programme, by actor: UUID?, on database: any Database) async throws {
        let programmeID = try programme.requireID()
        try await ProgrammeManager(organisationID: programme.organisationID, programmeID: programmeID, personID: personID, addedAt: clock.now, addedBy: actor)
            .create(on: database)
        try await record(
            NewEvent(.programmeManagerAdded, organisationID: programme.organisationID, actor: actor, subject: programmeID, payload: ["person_id": .id(personID)]),
            on: database)
    }
}
