import FluentKit
import Foundation
import SQLKit

/// 032: invitations sent in bulk and programme launches.
///
/// - `invitations.pending_key` holds the lowercased address while an invitation may still be
///   used and is cleared when it is accepted, withdrawn or replaced after expiring; a unique
///   index on (organisation, pending_key) makes two pending invitations for one address
///   impossible, whatever races. Older duplicates are withdrawn here, the newest kept.
/// - `invitations.sealed_token` keeps the link's token sealed under `MUTUAL_SECRET` (like the
///   queued emails that carry it), so a reminder or a match email can send the same link again.
/// - `invitations.programme_id` sends someone invited to enrol straight to that programme.
/// - `programme_launches` and their recipients: who was emailed an invitation to enrol, when,
///   and so how many enrolled from each send.
struct AddBulkInvitationsAndLaunches032: AsyncMigration {
    var name: String { "032_add_bulk_invitations_and_launches" }

    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        try await database.schema(Invitation.schema).field("pending_key", .string).update()
        try await database.schema(Invitation.schema).field("sealed_token", .string).update()
        try await database.schema(Invitation.schema).field("programme_id", .uuid).update()
        try await database.schema(Invitation.schema).field("reminder_sent_at", .datetime).update()
        // Only pending invitations get a key; of several for one address, the newest keeps it.
        let pending = try await Invitation.query(on: database)
            .filter(\.$acceptedAt == nil).filter(\.$revokedAt == nil)
            .sort(\.$createdAt, .descending).all()
        var seen: Set<String> = []
        let now = Date()
        for invitation in pending {
            let key = "\(invitation.organisationID.uuidString)|\(invitation.email.lowercased())"
            if seen.insert(key).inserted {
                invitation.pendingKey = invitation.email.lowercased()
            } else {
                invitation.revokedAt = now
            }
            try await invitation.save(on: database)
        }
        try await database.schema(ProgrammeLaunch.schema)
            .id()
            .field("organisation_id", .uuid, .required, .references(Organisation.schema, .id, onDelete: .cascade))
            .field("programme_id", .uuid, .required, .references(Programme.schema, .id, onDelete: .cascade))
            .field("audience", .string, .required)
            .field("sent_by", .uuid)
            .field("sent_at", .datetime, .required)
            .field("recipient_count", .int, .required)
            .field("invited_count", .int, .required)
            .field("reminder_at", .datetime)
            .field("reminded_at", .datetime)
            .field("reminded_count", .int, .required)
            .create()
        try await database.schema(ProgrammeLaunchRecipient.schema)
            .id()
            .field("launch_id", .uuid, .required, .references(ProgrammeLaunch.schema, .id, onDelete: .cascade))
            .field("person_id", .uuid, .required, .references(Person.schema, .id, onDelete: .cascade))
            .unique(on: "launch_id", "person_id")
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "invitations_one_pending_per_address").unique().on(Invitation.schema)
            .column("organisation_id").column("pending_key").run()
        try await sql.create(index: "programme_launches_programme").on(ProgrammeLaunch.schema).column("programme_id").column("sent_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProgrammeLaunchRecipient.schema).delete()
        try await database.schema(ProgrammeLaunch.schema).delete()
        if let sql = database as? any SQLDatabase {
            try await sql.drop(index: "invitations_one_pending_per_address").run()
        }
        for field in ["pending_key", "sealed_token", "programme_id", "reminder_sent_at"] {
            try await database.schema(Invitation.schema).deleteField(.string(field)).update()
        }
    }
}
