import FluentKit
import Foundation
import SQLKit

extension Store {
    /// Whether an organisation requires two-factor sign-in of its admins.
    public func adminTwoFactorRequired(organisationID: UUID) async throws -> Bool {
        let sql = try database.sql()
        let row = try await sql.select().column("require_admin_two_factor").from(Organisation.schema)
            .where("id", .equal, SQLBind(organisationID)).first()
        return try row?.decode(column: "require_admin_two_factor", as: Bool.self) ?? false
    }

    /// Whether a member must set up two-factor sign-in before using admin pages: an admin of an
    /// organisation that requires it, whose login does not have it on. Other roles never must.
    public func mustEnrolInTwoFactor(_ identity: Identity) async throws -> Bool {
        guard identity.role == .admin else { return false }
        guard try await adminTwoFactorRequired(organisationID: identity.organisationID) else { return false }
        return try await !twoFactorEnabled(loginID: identity.loginID)
    }

    /// Turns the requirement on or off for the admin's organisation. Turning it on needs the
    /// admin doing it to have two-factor sign-in on, checked in the same transaction, so the
    /// setting can never lock every admin out. Records `organisation_settings.changed` when the
    /// value changes.
    public func setAdminTwoFactorRequired(_ required: Bool, by identity: Identity) async throws {
        guard identity.role == .admin else {
            throw StoreError.forbidden(message: "Only an organisation admin can change sign-in requirements.")
        }
        try await transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            if required {
                let enabled = try await LoginTwoFactor.query(on: transaction)
                    .filter(\.$id == identity.loginID).filter(\.$enabledAt != nil).count() > 0
                guard enabled else {
                    throw StoreError.conflict(
                        field: "require_admin_two_factor",
                        message: "Turn on two-factor sign-in for your own account first (Account → Two-factor sign-in), so that at least one admin can still sign in.")
                }
            }
            let changed = try await sql.update(Organisation.schema)
                .set("require_admin_two_factor", to: SQLBind(required))
                .where("id", .equal, SQLBind(identity.organisationID))
                .where("require_admin_two_factor", .notEqual, SQLBind(required))
                .returning("id").all()
            if !changed.isEmpty {
                try await self.record(
                    NewEvent(
                        .organisationSettingsChanged, organisationID: identity.organisationID, actor: identity.personID,
                        subject: identity.organisationID, payload: ["require_admin_two_factor": .bool(required)]),
                    on: transaction)
            }
        }
    }
}
