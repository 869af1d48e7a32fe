import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Migration 017: token scopes")
struct APITokenMigrationTests {
    @Test("Tokens made before scopes existed become admin for admins and write for everyone else, and do not expire", arguments: TestBackend.all)
    func existingTokensGetTheirOwnersScope(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            let org = try await Seeds.organisation("Acme", in: store)
            let admin = try await store.createAPIToken(named: "a", scope: .read, for: org.admin)
            let manager = try await store.createAPIToken(named: "m", scope: .read, for: org.manager)
            let participant = try await store.createAPIToken(named: "p", scope: .read, expiresAt: Date().addingTimeInterval(60), for: org.participant)
            // Back to the schema before 017 (the columns go), then forward again, as an upgrade runs it.
            let migration = try #require(MutualMigrations.all.first { $0.name.hasPrefix("017_") })
            try await migration.revert(on: try database.database()).get()
            let columns = try await database.sql().select().column("*").from(APIToken.schema).limit(1).all().first?.allColumns ?? []
            #expect(!columns.contains("scope"), "revert removed the column, so prepare starts from the old schema")
            try await migration.prepare(on: try database.database()).get()
            let tokens = try await APIToken.query(on: try database.database()).all()
            let scopes = Dictionary(uniqueKeysWithValues: tokens.map { ($0.id!, $0.scope) })
            #expect(scopes[try admin.token.requireID()] == .admin)
            #expect(scopes[try manager.token.requireID()] == .write)
            #expect(scopes[try participant.token.requireID()] == .write)
            #expect(tokens.allSatisfy { $0.expiresAt == nil })
            #expect(try await store.identity(forAPIToken: participant.secret)?.accountID == org.participant.accountID)
        }
    }
}
