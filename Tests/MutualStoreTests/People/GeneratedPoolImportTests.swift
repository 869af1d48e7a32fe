import FluentKit
import Foundation
import MutualMatching
import MutualStore
import MutualTestSupport
import Testing

@Suite("Generated people files")
struct GeneratedPoolImportTests {
    @Test("A file from mutual generate people imports into the demo organisation without a refused row")
    func generatedFileImportsIntoTheDemo() async throws {
        try await TestBackend.sqlite.withDatabase { database in
            let store = Store(database: database, passwords: PasswordHasher(cost: 4), logger: .init(label: "test"))
            _ = try await store.loadDemo()
            let organisation = try await Organisation.query(on: try database.database()).filter(\.$slug == DemoOrganisation.slug).first()
            let organisationID = try #require(organisation?.id)
            // What `mutual generate people --count 5000 --seed 1` writes.
            let csv = PeopleCSVWriter.write(SyntheticPoolGenerator.generate(count: 5000, seed: 1), includeMentoringColumns: true)
            let report = try await store.importPeople(into: organisationID, csv: csv, options: .init(mode: .allOrNothing, dryRun: true))
            #expect(report.rejectedCount == 0, "\(report.summary)")
            #expect(report.created == 5000)
        }
    }
}
