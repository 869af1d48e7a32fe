import FluentKit
import Foundation
@testable import MutualStore
import MutualTestSupport
import SQLKit
import Testing

/// One login (email and password), several organisations: invitations, switching, and the
/// ways an address could be used to reach someone else's account.
@Suite("Logins and memberships in the store")
struct LoginMembershipStoreTests {
    static func store(_ database: MutualDatabase, clock: TestClock = TestClock()) -> Store {
        Store(database: database, clock: clock.mutualClock, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
    }

    static func link(_ token: String) -> String { "http://mutual.test/invitations/\(token)" }

    @Test("An address with a login in another organisation is invited like any other and joins with its existing password", arguments: TestBackend.all)
    func inviteExistingLogin(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let a = try await Seeds.organisation("Acme", in: store)
            let b = try await Seeds.organisation("Bolt", in: store)
            let invitation = try await store.invite(email: a.participantEmail, role: .programmeManager, by: b.admin, acceptURL: Self.link)
            #expect(invitation.invitation.status(at: store.clock.now) == .pending)

            // A wrong password does not take the invitation, and no new login appears.
            await #expect(throws: StoreError.wrongCredentials) {
                _ = try await store.acceptInvitation(token: invitation.token, name: "Anyone", password: "not-the-password")
            }
            #expect(try await Login.query(on: database.database()).filter(\.$email == a.participantEmail).count() == 1)

            let joined = try await store.acceptInvitation(token: invitation.token, name: "Acme Participant", password: Seeds.password)
            #expect(joined.organisationID == b.admin.organisationID)
            #expect(joined.loginID == a.participant.loginID)
            #expect(joined.role == .programmeManager)
            let memberships = try await store.memberships(ofLogin: a.participant.loginID)
            #expect(Set(memberships.map(\.organisationName)) == ["Acme", "Bolt"])
            // Bolt sees the member with the login's email; Acme's membership is untouched.
            #expect(try await store.members(of: b.admin).contains { $0.email == a.participantEmail && $0.role == .programmeManager })
            #expect(try await store.member(id: a.participant.accountID, of: a.admin).role == .participant)
            // Inviting again to Bolt is now refused as this organisation's own business.
            await #expect(throws: StoreError.self) {
                _ = try await store.invite(email: a.participantEmail, role: .participant, by: b.admin, acceptURL: Self.link)
            }
        }
    }

    @Test("Switching issues a membership of the same login only", arguments: TestBackend.all)
    func switchWithinLogin(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let a = try await Seeds.organisation("Acme", in: store)
            let b = try await Seeds.organisation("Bolt", in: store)
            let issued = try await store.invite(email: a.participantEmail, role: .participant, by: b.admin, acceptURL: Self.link)
            let inBolt = try await store.acceptInvitation(token: issued.token, name: "Acme Participant", password: Seeds.password)
            let acme = try await store.identity(for: try #require(try await Account.find(a.participant.accountID, on: database.database())))
            #expect(acme.organisationCount == 2)
            let switched = try await store.switchMembership(to: try inBolt.requireID(), from: acme)
            #expect(switched.organisationID == b.admin.organisationID)
            // Another login's membership, in either organisation, is "not found".
            for other in [b.participant.accountID, a.admin.accountID] {
                await #expect(throws: StoreError.notFound(what: "organisation membership")) {
                    _ = try await store.switchMembership(to: other, from: acme)
                }
            }
        }
    }

    @Test("Squatting: another organisation accepting an invitation for an address does not stop its own organisation inviting it", arguments: TestBackend.all)
    func squattedAddressCanStillBeInvited(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let a = try await Seeds.organisation("Acme", in: store)
            let b = try await Seeds.organisation("Bolt", in: store)
            // Bolt's directory holds Dana, who has no account yet.
            let dana = Person(
                organisationID: b.admin.organisationID, externalID: "E-9", name: "Dana Bolt", email: "dana@bolt.example",
                department: "Ops", company: "Bolt", level: 3, timeZone: "UTC", location: "", languages: ["en"], createdAt: store.clock.now)
            try await dana.create(on: database.database())
            // Acme's admin invites Dana's address and accepts the link themself.
            let squat = try await store.invite(email: "dana@bolt.example", role: .participant, by: a.admin, acceptURL: Self.link)
            _ = try await store.acceptInvitation(token: squat.token, name: "Not Dana", password: "squatter-password")

            // Bolt can still invite her, and the invitation names Dana's person.
            let invitation = try await store.invite(email: "dana@bolt.example", role: .participant, by: b.admin, acceptURL: Self.link)
            #expect(invitation.invitation.personID == dana.id)
            // The login's password (after the real owner resets it, the owner's) joins Bolt as Dana.
            let joined = try await store.acceptInvitation(token: invitation.token, name: "Dana Bolt", password: "squatter-password")
            #expect(joined.organisationID == b.admin.organisationID)
            #expect(joined.personID == dana.id)
        }
    }

    @Test("Setting one's email to a pending invitee's address does not attach the invitee's account to one's person", arguments: TestBackend.all)
    func emailChangeDoesNotCaptureInvitation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            let invitation = try await store.invite(email: "newcomer@acme.example", role: .admin, by: org.admin, acceptURL: Self.link)
            // The participant moves her directory email to the invitee's address.
            let own = try await store.profile(personID: org.participant.personID, of: org.participant)
            _ = try await store.updateProfile(
                personID: org.participant.personID,
                with: ProfileUpdate(name: own.name, email: "newcomer@acme.example", level: 3, timeZone: "UTC", languages: ["en"]),
                by: org.participant)

            let account = try await store.acceptInvitation(token: invitation.token, name: "Newcomer", password: Seeds.password)
            #expect(account.personID != org.participant.personID, "the invitee's admin membership must not land on the participant's person")
            let onParticipant = try await Account.query(on: database.database()).filter(\.$personID == org.participant.personID).all()
            #expect(onParticipant.count == 1 && onParticipant.first?.role == .participant)
        }
    }

    /// Inserts a person with the columns `people` had before migration 030 (the model now also
    /// writes `deactivated_at`, which an older schema lacks).
    static func createBefore030(_ person: Person, on sql: any SQLDatabase) async throws {
        person.id = person.id ?? UUID()
        try await sql.insert(into: Person.schema)
            .columns(
                "id", "organisation_id", "external_id", "name", "email", "department", "company", "level", "timezone", "location", "languages",
                "interests", "exclude", "bio", "availability", "off_limits", "meeting_frequency", "formality", "created_at")
            .values(
                SQLBind(person.id), SQLBind(person.organisationID), SQLBind(person.externalID), SQLBind(person.name), SQLBind(person.email),
                SQLBind(person.department), SQLBind(person.company), SQLBind(person.level), SQLBind(person.timeZone), SQLBind(person.location),
                SQLBind(person.languages), SQLBind(person.interests), SQLBind(person.exclude), SQLBind(person.bio), SQLBind(person.availability),
                SQLBind(person.offLimits), SQLBind(person.meetingFrequency), SQLBind(person.formality), SQLBind(person.createdAt))
            .run()
    }

    @Test("Migration 016 gives every existing account a login: old passwords and sessions still work, no hash is left on the membership", arguments: TestBackend.all)
    func migrationKeepsSignIns(backend: TestBackend) async throws {
        try await backend.withDatabase(migrations: 15) { database in
            let store = Self.store(database)
            let fluent = try database.database()
            let sql = try #require(fluent as? any SQLDatabase)
            let now = store.clock.now
            let organisation = Organisation(name: "Old Org", slug: "old-org", createdAt: now)
            try await organisation.create(on: fluent)
            let organisationID = try organisation.requireID()
            var accounts: [(id: UUID, email: String, password: String)] = []
            for (index, name) in ["Ada", "Bo", "Cy"].enumerated() {
                let person = Person(
                    organisationID: organisationID, externalID: "P\(index)", name: name, email: "\(name.lowercased())@old.example",
                    department: "", company: "", level: 0, timeZone: "UTC", location: "", languages: [], createdAt: now)
                try await Self.createBefore030(person, on: sql)
                let id = UUID()
                let password = "old-password-\(index)-long"
                try await sql.insert(into: "accounts")
                    .columns("id", "organisation_id", "person_id", "email", "name", "password_hash", "role", "created_at")
                    .values(
                        SQLBind(id), SQLBind(organisationID), SQLBind(try person.requireID()), SQLBind("\(name.lowercased())@old.example"),
                        SQLBind(name), SQLBind(try await store.passwords.hash(password)), SQLBind(index == 0 ? "admin" : "participant"),
                        SQLBind(now)
                    )
                    .run()
                accounts.append((id, "\(name.lowercased())@old.example", password))
            }
            // A directory person without a membership, invited before the upgrade (the
            // invitation then had no person_id), and an earlier invitation already withdrawn.
            let dee = Person(
                organisationID: organisationID, externalID: "P9", name: "Dee Directory", email: "Dee@old.example",
                department: "Data", company: "", level: 0, timeZone: "UTC", location: "", languages: [], createdAt: now)
            try await Self.createBefore030(dee, on: sql)
            let deeID = try dee.requireID()
            let invitationToken = "invitation-before-upgrade"
            let withdrawnID = UUID()
            for (id, digest, revoked) in [(UUID(), SecretTokens.digest(invitationToken), false), (withdrawnID, SecretTokens.digest("withdrawn"), true)] {
                try await sql.insert(into: "invitations")
                    .columns("id", "organisation_id", "email", "role", "token_digest", "invited_by", "created_at", "expires_at", "revoked_at")
                    .values(
                        SQLBind(id), SQLBind(organisationID), SQLBind("dee@old.example"), SQLBind("participant"), SQLBind(digest),
                        SQLBind(accounts[0].id), SQLBind(now), SQLBind(now.addingTimeInterval(3600)), revoked ? SQLBind(now) : SQLBind(Date?.none))
                    .run()
            }

            // A browser signed in before the upgrade.
            let token = "session-before-upgrade"
            try await sql.insert(into: "sessions")
                .columns("token_digest", "organisation_id", "account_id", "created_at", "expires_at")
                .values(SQLBind(SecretTokens.digest(token)), SQLBind(organisationID), SQLBind(accounts[1].id), SQLBind(now), SQLBind(now.addingTimeInterval(3600)))
                .run()

            try await database.migrate()

            for account in accounts {
                let login = try await store.signIn(email: account.email, password: account.password, clientAddress: nil)
                let membership = try await store.defaultMembership(of: login)
                #expect(membership.id == account.id, "the membership keeps its id, so sessions, tokens and history still point at it")
                await #expect(throws: StoreError.wrongCredentials) {
                    _ = try await store.signIn(email: account.email, password: "wrong-password-here", clientAddress: nil)
                }
            }
            #expect(try await store.identity(forSessionToken: token)?.accountID == accounts[1].id)
            // The invitation open at the upgrade names Dee, so accepting it joins as Dee rather
            // than making a second person with her address; the withdrawn one is left alone.
            #expect(try await Invitation.find(withdrawnID, on: fluent)?.personID == nil)
            let joined = try await store.acceptInvitation(token: invitationToken, name: "Dee", password: "dee-password-long")
            #expect(joined.personID == deeID)
            #expect(try await Person.query(on: fluent).filter(\.$organisationID == organisationID).count() == 4, "Ada, Bo, Cy and Dee, no second Dee")
            #expect(try await store.members(of: try await store.identity(for: try #require(try await Account.find(accounts[0].id, on: fluent)))).count == 4, "Ada, Bo, Cy and Dee, who just joined")
            // The old credential columns are gone from the membership table.
            for column in ["password_hash", "email"] {
                await #expect(throws: (any Error).self) {
                    _ = try await sql.raw(SQLQueryString("SELECT \(unsafeRaw: column) FROM accounts")).all()
                }
            }
        }
    }

    /// What one of many simultaneous accepts came to: a membership, or a refusal a person can act on.
    enum AcceptOutcome: Sendable, Equatable { case joined, refused(String) }

    static func acceptAll(_ tokens: [String], password: @escaping @Sendable (Int) -> String, in store: Store) async throws -> [AcceptOutcome] {
        try await withThrowingTaskGroup(of: AcceptOutcome.self) { group in
            for (index, token) in tokens.enumerated() {
                group.addTask {
                    do {
                        _ = try await store.acceptInvitation(token: token, name: "New Comer", password: password(index))
                        return .joined
                    } catch let error as StoreError {
                        // Anything else (a database error: a 500) fails the test.
                        switch error {
                        // A loser that starts after the winner committed is an ordinary accept for
                        // an address that has a login: with another password, wrong credentials.
                        case .conflict, .tooManyAttempts, .gone, .wrongCredentials: return .refused(error.errorDescription ?? "")
                        default: throw error
                        }
                    }
                }
            }
            var outcomes: [AcceptOutcome] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
    }

    @Test("Invitations from 12 organisations to one new address, accepted at once: one login, no database error", arguments: TestBackend.all)
    func simultaneousAcceptsAcrossOrganisations(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            var tokens: [String] = []
            for index in 0..<12 {
                let org = try await Seeds.organisation("Org \(index)", in: store)
                tokens.append(try await store.invite(email: "racer@new.example", role: .participant, by: org.admin, acceptURL: Self.link).token)
            }
            // The same person, one password: the later accepts prove it and join with the one login.
            let outcomes = try await Self.acceptAll(tokens, password: { _ in Seeds.password }, in: store)
            let logins = try await Login.query(on: database.database()).filter(\.$email == "racer@new.example").all()
            #expect(logins.count == 1)
            let login = try #require(logins.first)
            let memberships = try await Account.query(on: database.database()).filter(\.$loginID == login.requireID()).count()
            #expect(memberships == outcomes.filter { $0 == .joined }.count)
            #expect(memberships >= 1)

            // Someone else, with another password, racing the owner for a second address: one
            // login, and whoever lost is told the address now has an account.
            var more: [String] = []
            for index in 0..<6 {
                let org = try await Seeds.organisation("More \(index)", in: store)
                more.append(try await store.invite(email: "contested@new.example", role: .participant, by: org.admin, acceptURL: Self.link).token)
            }
            let contested = try await Self.acceptAll(more, password: { "password-number-\($0)" }, in: store)
            #expect(try await Login.query(on: database.database()).filter(\.$email == "contested@new.example").count() == 1)
            #expect(contested.filter { $0 == .joined }.count >= 1)
            for case .refused(let message) in contested {
                #expect(message.contains("now has an account") || message.contains("Too many") || message.contains("try again"), "\(message)")
            }
        }
    }

    @Test("50 invitations of one address at once make one pending invitation; 12 accepts of its link at once make one membership", arguments: TestBackend.all)
    func simultaneousInvitationsAndAcceptsInOneOrganisation(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Self.store(database)
            let org = try await Seeds.organisation("Acme", in: store)
            // Before migration 032 one address could hold several pending invitations, each a
            // way in; now the unique pending key lets exactly one through, whatever the race.
            let results = await withTaskGroup(of: Result<String, StoreError>.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            return .success(try await store.invite(email: "twice@new.example", role: .participant, by: org.admin, acceptURL: Self.link).token)
                        } catch let error as StoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.unavailable)
                        }
                    }
                }
                var all: [Result<String, StoreError>] = []
                for await result in group { all.append(result) }
                return all
            }
            let tokens = results.compactMap { try? $0.get() }
            #expect(tokens.count == 1)
            for case .failure(let error) in results {
                guard case .conflict(_, let message) = error else {
                    Issue.record("a racing invitation failed with \(error), not a conflict")
                    continue
                }
                #expect(message.contains("was already invited on"), "\(message)")
            }
            #expect(try await Invitation.query(on: database.database()).filter(\.$email == "twice@new.example").count() == 1)
            let token = try #require(tokens.first)
            let outcomes = try await Self.acceptAll(Array(repeating: token, count: 12), password: { _ in Seeds.password }, in: store)
            #expect(outcomes.filter { $0 == .joined }.count == 1)
            let logins = try await Login.query(on: database.database()).filter(\.$email == "twice@new.example").all()
            #expect(logins.count == 1)
            let login = try #require(logins.first)
            #expect(try await Account.query(on: database.database()).filter(\.$loginID == login.requireID()).count() == 1)
        }
    }
}
