import FluentKit
import Foundation
import SQLKit

/// 033: programme managers scoped to the programmes they manage.
///
/// `programme_managers` records who manages which programme. Until now every programme
/// manager managed every programme of their organisation; so that nobody loses what they could
/// do on upgrade, each existing programme manager is recorded as a manager of each existing
/// programme of their organisation, and an admin narrows it from the programme's page.
struct AddProgrammeManagers033: AsyncMigration {
    var name: String { "033_add_programme_managers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(ProgrammeManager.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .field("added_at", .datetime, .required)
            .field("added_by", .uuid)
            .unique(on: "programme_id", "person_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        // "Which programmes does this person manage" is asked on every manager request.
        try await sql.create(index: "programme_managers_person").on(ProgrammeManager.schema).column("person_id").column("programme_id").run()
        let managers = try await Account.query(on: database).filter(\.$role == .programmeManager).all()
        let now = Date()
        for account in managers {
            let programmes = try await Programme.query(on: database).filter(\.$organisationID == account.organisationID).all()
            for programme in programmes {
                try await ProgrammeManager(
                    organisationID: account.organisationID, programmeID: try programme.requireID(), personID: account.personID,
                    addedAt: now, addedBy: nil
                ).create(on: database)
            }
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgrammeManager.schema).delete()
    }
}
