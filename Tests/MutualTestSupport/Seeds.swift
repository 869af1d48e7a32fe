import Foundation
import MutualStore

/// An organisation with one member of each role, all with the password `Seeds.password`.
public struct SeededOrganisation: Sendable {
    public let admin: Identity
    public let manager: Identity
    public let participant: Identity
    public let adminEmail: String
    public let managerEmail: String
    public let participantEmail: String
}

public enum Seeds {
    public static let password = "correct-horse-battery"

    /// Creates an organisation named `name` with an admin, a programme manager and a participant.
    public static func organisation(_ name: String, in store: Store) async throws -> SeededOrganisation {
        let slug = InputRules.slug(name)
        let adminEmail = "admin@\(slug).example"
        let admin = try await store.createOrganisation(
            SetupRequest(organisationName: name, adminName: "\(name) Admin", email: adminEmail, password: password), slug: slug)
        let adminIdentity = try await identity(for: admin, in: store)
        func member(_ local: String, _ role: Role) async throws -> (Identity, String) {
            let email = "\(local)@\(slug).example"
            let issued = try await store.invite(email: email, role: role, by: adminIdentity) { "http://mutual.test/invitations/\($0)" }
            let account = try await store.acceptInvitation(token: issued.token, name: "\(name) \(local.capitalized)", password: password)
            return (try await identity(for: account, in: store), email)
        }
        let (manager, managerEmail) = try await member("manager", .programmeManager)
        let (participant, participantEmail) = try await member("participant", .participant)
        return SeededOrganisation(
            admin: adminIdentity, manager: manager, participant: participant, adminEmail: adminEmail,
            managerEmail: managerEmail, participantEmail: participantEmail)
    }

    /// Invites and signs up one more participant in the organisation, with a profile that
    /// the matching rules accept (level 3, English, Lisbon) and the given skills.
    public static func participant(
        _ name: String, in org: SeededOrganisation, store: Store, strengths: [(String, Int)], wants: [(String, Int)]
    ) async throws -> Identity {
        let domain = org.adminEmail.split(separator: "@").last.map(String.init) ?? "example.test"
        let email = "\(name.lowercased())@\(domain)"
        let issued = try await store.invite(email: email, role: .participant, by: org.admin) { "http://mutual.test/invitations/\($0)" }
        let account = try await store.acceptInvitation(token: issued.token, name: name, password: password)
        let identity = try await identity(for: account, in: store)
        _ = try await store.updateProfile(
            personID: identity.personID,
            with: ProfileUpdate(
                name: name, email: email, level: 3, timeZone: "Europe/Lisbon", languages: ["en"], strengths: strengths, wants: wants),
            by: org.admin)
        return identity
    }

    public static func identity(for account: Account, in store: Store) async throws -> Identity {
        try await store.identity(for: account)
    }

    /// Signs a login in (as the sign-in page does) and returns the identity of the membership
    /// it enters by default (the one it used last).
    public static func signedIn(email: String, password: String, in store: Store) async throws -> Identity {
        let login = try await store.signIn(email: email, password: password, clientAddress: nil)
        return try await store.identity(for: try await store.defaultMembership(of: login))
    }
}
