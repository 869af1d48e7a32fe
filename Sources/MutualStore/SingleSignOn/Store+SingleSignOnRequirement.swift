import FluentKit
import Foundation
import SQLKit

/// An organisation's single sign-on rule, as its settings page shows it.
public struct SingleSignOnRequirement: Sendable, Equatable {
    /// Password sign-in is off for the organisation's members.
    public let required: Bool
    /// The one admin membership that may still sign in with a password (for when the identity
    /// provider is down or misconfigured); nil for none.
    public let breakGlassAccountID: UUID?
}

extension Store {
    /// The organisation's single sign-on rule.
    public func singleSignOnRequirement(organisationID: UUID) async throws -> SingleSignOnRequirement {
        let row = try await database.sql().select().column("require_sso").column("sso_break_glass_account_id")
            .from(Organisation.schema).where("id", .equal, SQLBind(organisationID)).first()
        guard let row else { return SingleSignOnRequirement(required: false, breakGlassAccountID: nil) }
        let breakGlass = try row.decodeNil(column: "sso_break_glass_account_id") ? nil : try row.decode(column: "sso_break_glass_account_id", as: UUID.self)
        return SingleSignOnRequirement(required: try row.decode(column: "require_sso", as: Bool.self), breakGlassAccountID: breakGlass)
    }

    /// Turns "require single sign-on" on or off for the admin's organisation and names its
    /// break-glass admin. Turning it on needs a break-glass admin who is an admin of the
    /// organisation (checked in the same transaction, with the account's row locked), so a
    /// broken identity provider can never lock every admin out. Records
    /// `organisation_settings.changed` (audited) when anything changes.
    public func setSingleSignOnRequirement(required: Bool, breakGlassAccountID: UUID?, by identity: Identity) async throws {
        guard identity.role == .admin else {
            throw StoreError.forbidden(message: "Only an organisation admin can change sign-in requirements.")
        }
        try await transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw StoreError.unavailable }
            if let breakGlassAccountID {
                try await Self.lockRows(Account.schema, where: "id", equals: breakGlassAccountID, on: transaction)
                guard try await Account.query(on: transaction)
                    .filter(\.$id == breakGlassAccountID)
                    .filter(\.$organisationID == identity.organisationID)
                    .filter(\.$role == .admin)
                    .first() != nil
                else {
                    throw StoreError.invalid(
                        field: "break_glass_account_id",
                        message: "The break-glass account must be one of this organisation's admins. Choose an admin from the list.")
                }
            } else if required {
                throw StoreError.invalid(
                    field: "break_glass_account_id",
                    message: "Choose a break-glass admin before requiring single sign-on: they can still sign in with a password if the identity provider is down.")
            }
            let before = try await sql.select().column("require_sso").column("sso_break_glass_account_id").from(Organisation.schema)
                .where("id", .equal, SQLBind(identity.organisationID)).first()
            let wasRequired = try before?.decode(column: "require_sso", as: Bool.self) ?? false
            let previousBreakGlass: UUID? =
                try before.flatMap { try $0.decodeNil(column: "sso_break_glass_account_id") ? nil : try $0.decode(column: "sso_break_glass_account_id", as: UUID.self) }
            guard wasRequired != required || previousBreakGlass != breakGlassAccountID else { return }
            try await sql.update(Organisation.schema)
                .set("require_sso", to: SQLBind(required))
                .set("sso_break_glass_account_id", to: breakGlassAccountID.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
                .where("id", .equal, SQLBind(identity.organisationID))
                .run()
            var payload: [String: EventValue] = ["require_sso": .bool(required)]
            if let breakGlassAccountID { payload["sso_break_glass_account_id"] = .id(breakGlassAccountID) }
            try await self.record(
                NewEvent(
                    .organisationSettingsChanged, organisationID: identity.organisationID, actor: identity.personID,
                    subject: identity.organisationID, payload: payload),
                on: transaction)
        }
    }

    /// Refuses a correct password when one of the login's organisations requires single sign-on
    /// and this login is not that organisation's break-glass admin (still an admin). Checked
    /// after the password, so the answer reveals nothing to someone who does not know it.
    func refusePasswordIfSingleSignOnRequired(loginID: UUID) async throws {
        let accounts = try await Account.query(on: try db()).filter(\.$loginID == loginID).all()
        for account in accounts {
            let rule = try await singleSignOnRequirement(organisationID: account.organisationID)
            guard rule.required else { continue }
            if rule.breakGlassAccountID == account.id && account.role == .admin { continue }
            let name = try await Organisation.find(account.organisationID, on: try db())?.name ?? "Your organisation"
            throw StoreError.forbidden(
                message: "\(name) signs in with single sign-on, so passwords are turned off. Use the “Sign in with …” button on this page instead. If it does not work, ask your organisation's Mutual admin.")
        }
    }
}
