import FluentKit
import Foundation
import MutualStore
import MutualTestSupport
import SQLKit
import Testing

@Suite("Privacy: erasure, deletion requests, exports and retention")
struct PrivacyStoreTests {
    static let needles = [PrivacyFixture.name, PrivacyFixture.email, "Zephyrine", "Quillfeather", "zeph.quill"]

    @Test("An erased person leaves no personal data in any table: a scan of every column of every table finds their name and email before and nothing after", arguments: TestBackend.all)
    func erasureLeavesNoPersonalData(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let before = try await PrivacyFixture.scan(database, for: Self.needles)
            // The seed reached the tables the issue names, so the scan can fail.
            for column in [
                "people.name", "people.email", "people.bio", "logins.email", "accounts.name", "invitations.email", "sent_emails.recipient",
                "outbox_messages.recipient", "relationship_messages.body", "feedback_responses.comment",
                "meeting_logs.commitment", "meeting_log_entries.note", "goals.title", "meetings.agenda", "domain_events.payload",
                "audit_entries.payload", "jobs.payload",
            ] {
                #expect(before.contains(column), "the seed put the person in \(column): \(before)")
            }

            // Others' email names them too, sealed or in base64, where the column scan cannot read.
            let mailBefore = try await PrivacyFixture.scanMail(database, store: fixture.store, for: Self.needles)
            #expect(mailBefore == ["jobs.payload (sealed message)", "outbox_messages.attachments (decoded)"], "\(mailBefore)")

            let report = try await fixture.store.erasePerson(fixture.target.personID, by: fixture.base.org.admin)
            try await fixture.store.runDueJobs()
            #expect(report.accounts == 1)
            let after = try await PrivacyFixture.scan(database, for: Self.needles)
            #expect(after.isEmpty, "still found in \(after)")
            let mailAfter = try await PrivacyFixture.scanMail(database, store: fixture.store, for: Self.needles)
            #expect(mailAfter.isEmpty, "still found in \(mailAfter)")

            // Their place in history is kept, by id, with one audit entry naming nobody.
            let events = try await database.sql().raw("SELECT payload, actor_person_id FROM domain_events WHERE type = 'person.erased'").all()
            #expect(events.count == 1)
            let audit = try await database.sql().raw("SELECT subject_id FROM audit_entries WHERE type = 'person.erased'").all()
            #expect(try audit.map { try $0.decode(column: "subject_id", as: String.self) } == [fixture.target.personID.uuidString.lowercased()])
            // They cannot sign in any more.
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.signIn(email: PrivacyFixture.email, password: Seeds.password, clientAddress: nil)
            }
        }
    }

    @Test("After an erasure the other member's relationship still opens and shows a former member, with the thread's message removed", arguments: TestBackend.all)
    func otherMemberKeepsTheirHistory(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            _ = try await fixture.store.erasePerson(fixture.target.personID, by: fixture.base.org.admin)
            let view = try await fixture.store.relationship(id: fixture.relationshipID, of: fixture.partner)
            #expect(view.members.map(\.name).sorted() == ["Partner", Store.formerMemberName].sorted())
            let messages = try await database.sql().raw("SELECT body FROM relationship_messages ORDER BY created_at").all()
                .map { try $0.decode(column: "body", as: String.self) }
            #expect(messages == [Store.removedMessage, "Thanks \(Store.formerMemberName)!"])
        }
    }

    @Test("Erasure leaves the programme's dashboard and feedback figures as they were", arguments: TestBackend.all)
    func aggregatesAreUnchanged(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let manager = fixture.base.org.manager
            let dashboard = try await fixture.store.programmeDashboard(id: fixture.base.programmeID, of: manager)
            let feedback = try await fixture.store.feedbackSummary(programmeID: fixture.base.programmeID, of: manager)
            _ = try await fixture.store.erasePerson(fixture.target.personID, by: fixture.base.org.admin)
            let dashboardAfter = try await fixture.store.programmeDashboard(id: fixture.base.programmeID, of: manager)
            let feedbackAfter = try await fixture.store.feedbackSummary(programmeID: fixture.base.programmeID, of: manager)
            // Field by field (the measures are a dictionary, whose printed order is not stable).
            func figures(_ d: ProgrammeDashboard) -> [String] {
                ["\(d.funnel)", "\(d.meetingsByMonth)", "\(d.skillsGrowth)", "\(d.kpis)"]
                    + d.measures.map { "\($0.key): \($0.value)" }.sorted()
            }
            #expect(figures(dashboardAfter) == figures(dashboard))
            #expect(feedbackAfter.measures == feedback.measures)
            #expect(feedbackAfter.usefulnessByMonth == feedback.usefulnessByMonth)
            #expect(feedbackAfter.waitingAnswers == feedback.waitingAnswers)
            let answers = try await database.sql().raw("SELECT COUNT(*) AS n FROM feedback_responses").first()?.decode(column: "n", as: Int.self)
            #expect(answers == 2)
        }
    }

    @Test("A participant or a manager cannot erase anyone, and an admin cannot erase themself", arguments: TestBackend.all)
    func onlyAnotherAdminErases(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            for caller in [fixture.partner, fixture.base.org.manager] {
                await #expect(throws: StoreError.self) { _ = try await fixture.store.erasePerson(fixture.target.personID, by: caller) }
            }
            await #expect(throws: StoreError.self) {
                _ = try await fixture.store.erasePerson(fixture.base.org.admin.personID, by: fixture.base.org.admin)
            }
            let names = try await database.sql().raw("SELECT name FROM people WHERE id = \(bind: fixture.target.personID)").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(names == [PrivacyFixture.name])
        }
    }

    @Test("A deletion request cancelled within the 14 days is never carried out", arguments: TestBackend.all)
    func cancelledRequestIsNotExecuted(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let request = try await fixture.store.requestDeletion(by: fixture.target)
            #expect(request.dueAt == fixture.base.clock.now.addingTimeInterval(14 * 86_400))
            let mail = try await fixture.store.outboxAfterJobs().filter { $0.recipient == PrivacyFixture.email && $0.subject.contains("will be deleted") }
            #expect(mail.count == 1)
            #expect(mail.first?.body.contains("/account/privacy") == true, "the email says how to cancel")
            fixture.base.clock.advance(by: 10 * 86_400)
            try await fixture.store.cancelDeletion(by: fixture.target)
            fixture.base.clock.advance(by: 5 * 86_400)
            try await fixture.store.runDueJobs()
            let people = try await database.sql().raw("SELECT name FROM people WHERE id = \(bind: fixture.target.personID)").all()
                .map { try $0.decode(column: "name", as: String.self) }
            #expect(people == [PrivacyFixture.name])
            #expect(try await fixture.store.deletionRequest(of: fixture.target) == nil)
            let types = try await database.sql().raw("SELECT type FROM domain_events WHERE type LIKE 'privacy.%' OR type = 'person.erased' ORDER BY occurred_at").all()
                .map { try $0.decode(column: "type", as: String.self) }
            #expect(types == ["privacy.deletion_requested", "privacy.deletion_cancelled"])
        }
    }

    @Test("A deletion request is carried out by its durable job once 14 days have passed, not before", arguments: TestBackend.all)
    func requestIsExecutedAfterFourteenDays(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            try await fixture.store.requestDeletion(by: fixture.target)
            fixture.base.clock.advance(by: 13 * 86_400)
            try await fixture.store.runDueJobs()
            func name() async throws -> String? {
                try await database.sql().raw("SELECT name FROM people WHERE id = \(bind: fixture.target.personID)").first()?.decode(column: "name", as: String.self)
            }
            #expect(try await name() == PrivacyFixture.name)
            fixture.base.clock.advance(by: 1 * 86_400 + 60)
            try await fixture.store.runDueJobs()
            #expect(try await name() == Store.formerMemberName)
            #expect(try await PrivacyFixture.scan(database, for: Self.needles).isEmpty)
        }
    }

    @Test("An admin confirms a pending deletion before it is due; the job then finds nothing to do", arguments: TestBackend.all)
    func adminConfirmsSooner(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let request = try await fixture.store.requestDeletion(by: fixture.target)
            let pending = try await fixture.store.pendingDeletionRequests(of: fixture.base.org.admin)
            #expect(pending.map(\.personName) == [PrivacyFixture.name])
            _ = try await fixture.store.confirmDeletion(request.id, by: fixture.base.org.admin)
            #expect(try await fixture.store.pendingDeletionRequests(of: fixture.base.org.admin).isEmpty)
            await #expect(throws: StoreError.self) { _ = try await fixture.store.confirmDeletion(request.id, by: fixture.base.org.admin) }
            fixture.base.clock.advance(by: 15 * 86_400)
            try await fixture.store.runDueJobs()
            let erased = try await database.sql().raw("SELECT COUNT(*) AS n FROM domain_events WHERE type = 'person.erased'").first()?.decode(column: "n", as: Int.self)
            #expect(erased == 1)
        }
    }

    @Test("The organisation's only admin cannot ask for their account's deletion", arguments: TestBackend.all)
    func onlyAdminCannotAskForDeletion(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            await #expect(throws: StoreError.self) { try await fixture.store.requestDeletion(by: fixture.base.org.admin) }
            #expect(try await fixture.store.deletionRequest(of: fixture.base.org.admin) == nil)
        }
    }

    @Test("Fifty simultaneous deletion requests by one person make one request, one job and one email", arguments: TestBackend.all)
    func parallelRequestsMakeOne(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 { group.addTask { _ = try await fixture.store.requestDeletion(by: fixture.target) } }
                try await group.waitForAll()
            }
            let sql = try database.sql()
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM deletion_requests").first()?.decode(column: "n", as: Int.self) == 1)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'privacy.erase'").first()?.decode(column: "n", as: Int.self) == 1)
            #expect(try await sql.raw("SELECT COUNT(*) AS n FROM domain_events WHERE type = 'privacy.deletion_requested'").first()?.decode(column: "n", as: Int.self) == 1)
        }
    }

    @Test("A person's export holds their own data and the other member's name, and not the other member's feedback", arguments: TestBackend.all)
    func exportHoldsOwnDataOnly(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let json = try await fixture.store.personalExport(of: fixture.target)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect((object["profile"] as? [[String: Any]])?.first?["email"] as? String == PrivacyFixture.email)
            #expect((object["feedback_given"] as? [[String: Any]])?.count == 1)
            #expect((object["messages_written"] as? [[String: Any]])?.count == 1)
            #expect((object["relationship_partners"] as? [[String: Any]])?.first?["name"] as? String == "Partner")
            #expect((object["emails_sent_to_you"] as? [[String: Any]])?.isEmpty == false)
            #expect((object["sign_in"] as? [[String: Any]])?.first?["email"] as? String == PrivacyFixture.email)
            #expect(json.contains("\(PrivacyFixture.name) found it helpful"))
            #expect(!json.contains(PrivacyFixture.partnerComment))
            #expect(!json.contains("password_hash") && !json.contains("token_digest") && !json.contains("sealed"))
        }
    }

    @Test("The organisation export is one JSON document of every organisation table, without secrets", arguments: TestBackend.all)
    func organisationExport(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let collected = Collected()
            try await fixture.store.exportOrganisation(of: fixture.base.org.admin) { await collected.add($0) }
            let text = await collected.text
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let tables = try #require(object["tables"] as? [String: [[String: Any]]])
            #expect(tables["people"]?.count == 5)
            #expect(tables["feedback_responses"]?.count == 2)
            #expect(tables["audit_entries"]?.isEmpty == false)
            #expect(tables["deletion_requests"] != nil)
            #expect(!text.contains("token_digest") && !text.contains("password_hash") && !text.contains("\"secret\""))
            await #expect(throws: StoreError.self) { try await fixture.store.exportOrganisation(of: fixture.partner) { _ in } }
        }
    }

    @Test("The nightly retention job empties feedback comments older than the setting and sent-mail bodies older than theirs, and nothing newer", arguments: TestBackend.all)
    func retention(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            let fixture = try await PrivacyFixture.make(database)
            let store = fixture.store
            try await store.setRetentionSettings(RetentionSettings(feedbackCommentMonths: 6, sentMailDays: 30), by: fixture.base.org.admin)
            #expect(try await store.retentionSettings(organisationID: fixture.base.org.admin.organisationID) == RetentionSettings(feedbackCommentMonths: 6, sentMailDays: 30))
            await #expect(throws: StoreError.self) {
                try await store.setRetentionSettings(RetentionSettings(feedbackCommentMonths: 0), by: fixture.base.org.admin)
            }
            await #expect(throws: StoreError.self) {
                try await store.setRetentionSettings(RetentionSettings(feedbackCommentMonths: 6), by: fixture.partner)
            }
            fixture.base.clock.advance(by: 40 * 86_400)
            // A newer answer, which must stay.
            let newer = try await fixture.base.request(.pulse, for: fixture.partner, in: fixture.relationshipID)
            try await store.answerFeedback(requestID: newer, FeedbackAnswer(score: 3, comment: "Recent words", shared: false), by: fixture.partner)
            // The mail bodies are 40 days old: past 30 days.
            let first = try await store.applyRetention()
            #expect(first.values.first?.feedbackComments == 0)
            #expect((first.values.first?.mailBodies ?? 0) > 0)
            fixture.base.clock.advance(by: 150 * 86_400)
            // The nightly job, as the worker runs it.
            try await store.enqueue(try #require(Store.jobSchedules.first { $0.kind == JobKind.privacyRetention }).job(forSlotContaining: fixture.base.clock.now))
            try await store.runDueJobs()
            let comments = try await database.sql().raw("SELECT comment FROM feedback_responses ORDER BY answered_at").all()
                .map { try $0.decode(column: "comment", as: String.self) }
            #expect(comments == ["", "", "Recent words"])
            let scores = try await database.sql().raw("SELECT COUNT(*) AS n FROM feedback_responses WHERE score IS NOT NULL").first()?.decode(column: "n", as: Int.self)
            #expect(scores == 3)
            let applied = try await database.sql().raw("SELECT COUNT(*) AS n FROM domain_events WHERE type = 'privacy.retention_applied'").first()?.decode(column: "n", as: Int.self)
            #expect(applied == 2)
        }
    }
}

/// Collects a streamed export's pieces.
actor Collected {
    private(set) var text = ""
    func add(_ piece: String) { text += piece }
}
