import Foundation
import MutualStore
import MutualTestSupport
@testable import MutualWeb
import Testing

/// My matches in plain words for the person reading it, Decline kept apart from Accept, and
/// the confirmation before publishing a run.
@Suite("A match described for the person reading it")
struct MatchDescriptionWebTests {
    /// Gives Max Manager no wants, so in the accounts programme only Pia learns (from him).
    static func makeMaxWantNothing(_ app: TestApp, _ org: SeededOrganisation) async throws {
        _ = try await app.store.updateProfile(
            personID: org.manager.personID,
            with: ProfileUpdate(
                name: "Max Manager", email: org.managerEmail, level: 3, timeZone: "Europe/Berlin", languages: ["en"],
                strengths: [("Hiring", 4)], wants: []),
            by: org.admin)
    }

    /// The page with apostrophes as typed (Mustache escapes them as `&#39;`).
    static func page(_ browser: BrowserSession, _ path: String) async throws -> String {
        try await browser.get(path).text.replacingOccurrences(of: "&#39;", with: "'")
    }

    @Test("Each side of a two-way pair reads what they will learn from the other and what they can teach, with levels in words", arguments: TestBackend.all)
    func twoWayPair(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)

            // Pia: Statistics 4, wants Hiring (1 now). Max: Hiring 4, wants Statistics (2 now).
            let pia = try await Self.page(try await app.signedIn(org.participantEmail), "/matches")
            #expect(pia.contains("You and Max Manager"))
            #expect(pia.contains("<h3>What you'll learn from Max Manager</h3>"))
            #expect(pia.contains("<strong>Hiring</strong>: Max Manager is strong; you are a beginner"))
            #expect(pia.contains("<h3>What you can teach Max Manager</h3>"))
            #expect(pia.contains("<strong>Statistics</strong>: you are strong; Max Manager is developing"))
            #expect(pia.contains("<h3>Why you two</h3>"))
            #expect(pia.contains("You both speak English."))
            #expect(pia.contains("Your working hours overlap by 7 hours a day"))
            #expect(!pia.contains("one-way") && !pia.contains("P00") && !pia.contains("→"))

            let max = try await Self.page(try await app.signedIn(org.managerEmail), "/matches")
            #expect(max.contains("<h3>What you'll learn from Pia Participant</h3>"))
            #expect(max.contains("<strong>Statistics</strong>: Pia Participant is strong; you are developing"))
            #expect(max.contains("<h3>What you can teach Pia Participant</h3>"))
            #expect(max.contains("<strong>Hiring</strong>: you are strong; Pia Participant is a beginner"))
            #expect(!max.contains("one-way"))
        }
    }

    @Test("The score is a quiet figure after the words, not the headline", arguments: TestBackend.all)
    func scoreIsSecondary(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)
            let match = try #require(try await app.store.myMatches(of: org.participant).first)
            let page = try await Self.page(try await app.signedIn(org.participantEmail), "/matches")
            let score = "<p class=\"muted match-score\">match score \(match.score) of 100</p>"
            #expect(page.contains(score))
            #expect(!page.contains("Match score"))
            let scoreAt = try #require(page.range(of: score)).lowerBound
            let learnAt = try #require(page.range(of: "What you'll learn from")).lowerBound
            let whyAt = try #require(page.range(of: "Why you two")).lowerBound
            #expect(learnAt < scoreAt && whyAt < scoreAt)
        }
    }

    @Test("A one-way pair is explained kindly to both sides, each with the right direction", arguments: TestBackend.all)
    func oneWayPair(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            try await Self.makeMaxWantNothing(app, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)

            let pia = try await Self.page(try await app.signedIn(org.participantEmail), "/matches")
            #expect(pia.contains(
                "This pairing is one-way: you'll mostly be learning from Max Manager this time. Programmes sometimes pair this way when no two-way match was available."))
            #expect(pia.contains("<strong>Hiring</strong>: Max Manager is strong; you are a beginner"))
            #expect(!pia.contains("What you can teach"))

            let max = try await Self.page(try await app.signedIn(org.managerEmail), "/matches")
            #expect(max.contains(
                "This pairing is one-way: you'll mostly be teaching Pia Participant this time, and teaching is one of the best ways to learn."))
            #expect(max.contains("<h3>What you can teach Pia Participant</h3>"))
            #expect(max.contains("<strong>Hiring</strong>: you are strong; Pia Participant is a beginner"))
            #expect(!max.contains("What you'll learn from"))

            // The email that tells each of them says the same, in the same words, not the engine's.
            let outbox = try await app.store.outboxAfterJobs()
            let piaEmail = try #require(outbox.first { $0.recipient == org.participantEmail && $0.body.contains("you are matched with") })
            #expect(piaEmail.body.contains("you'll mostly be learning from Max Manager this time"))
            #expect(piaEmail.body.contains("What you'll learn from Max Manager:\n- Hiring: Max Manager is strong; you are a beginner"))
            #expect(!piaEmail.body.contains("What you can teach") && !piaEmail.body.contains("only Pia"), "\(piaEmail.body)")
            let maxEmail = try #require(outbox.first { $0.recipient == org.managerEmail && $0.body.contains("you are matched with") })
            #expect(maxEmail.body.contains("you'll mostly be teaching Pia Participant this time"))
            #expect(maxEmail.body.contains("What you can teach Pia Participant:\n- Hiring: you are strong; Pia Participant is a beginner"))
            #expect(maxEmail.body.contains("Why you two:\n- You both speak English."))
        }
    }

    @Test("Where the rules ask for two-way pairs, a pair that became one-way is not excused as usual", arguments: TestBackend.all)
    func oneWayWhereRulesForbidIt(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let rules = try await app.store.checkRules(#"{"reciprocity": 100}"#, programmeID: programme.id, by: org.manager)
            _ = try await app.store.setProgrammeRules(rules, programmeID: programme.id, by: org.manager)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)
            // Published two-way; then Max's profile changes.
            try await Self.makeMaxWantNothing(app, org)
            let pia = try await Self.page(try await app.signedIn(org.participantEmail), "/matches")
            #expect(pia.contains("you'll mostly be learning from Max Manager, although Swap pairs people who both learn"))
            #expect(!pia.contains("Programmes sometimes pair this way"))
        }
    }

    @Test("Decline sits behind “Not a good fit?”, apart from Accept, and works with and without a reason", arguments: TestBackend.all, ["", "Away for most of the cycle"])
    func decline(backend: TestBackend, reason: String) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            _ = try await app.store.publishMatchRun(id: run.id, by: org.manager)
            let match = try #require(try await app.store.myMatches(of: org.participant).first)
            let participant = try await app.signedIn(org.participantEmail)
            let page = try await Self.page(participant, "/matches")
            // Accept's form closes before the disclosure that holds Decline and its reason opens.
            let acceptForm = try #require(page.range(of: "action=\"/matches/\(match.id)/accept\""))
            let disclosure = try #require(page.range(of: "<details class=\"decline\">\n    <summary>Not a good fit?</summary>"))
            let declineForm = try #require(page.range(of: "action=\"/matches/\(match.id)/decline\""))
            let reasonField = try #require(page.range(of: "<textarea id=\"reason-\(match.id)\" name=\"reason\""))
            let declineButton = try #require(page.range(of: "<button type=\"submit\" class=\"danger\">Decline this match</button>"))
            let acceptFormEnd = try #require(page.range(of: "</form>", range: acceptForm.upperBound..<page.endIndex))
            #expect(acceptFormEnd.upperBound <= disclosure.lowerBound)
            #expect(disclosure.upperBound < declineForm.lowerBound && declineForm.upperBound < reasonField.lowerBound)
            #expect(reasonField.upperBound < declineButton.lowerBound)

            let declined = try await participant.post("/matches/\(match.id)/decline", form: reason.isEmpty ? [:] : ["reason": reason])
            #expect(declined.status == .ok && declined.text.contains("You declined the match."))
            #expect(try await app.store.myMatches(of: org.participant).first?.status == .declined)
            let summary = try await app.store.publishedMatches(in: programme.id, by: org.manager)
            #expect(summary.declined == 1)
            #expect(summary.declineReasons == (reason.isEmpty ? [] : [reason]))
        }
    }

    @Test("Before publishing, the run page says how many people are told and how, and publishes only from the confirmation", arguments: TestBackend.all)
    func publishConfirmation(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let programme = try await ProgrammeSeeds.accountsProgramme(app.store, org)
            let run = try await ProgrammeSeeds.run(app.store, programme, org)
            #expect(run.groups.count == 2)
            let manager = try await app.signedIn(org.managerEmail)
            let page = try await manager.get("/runs/\(run.id)").text
            // Pia and Max (accounts, emails) and C1 and D1 (imported without either).
            #expect(page.contains("<summary>Publish these matches…</summary>"))
            #expect(page.contains("Publishing tells <strong id=\"publish-people\">4 people</strong> about their <strong>2 matches</strong>"))
            #expect(page.contains("each of the 2 with an email address is sent one"))
            #expect(page.contains("2 of them have no account here yet"))
            #expect(page.contains("2 of them have no email address on file"))
            #expect(page.contains("Publish and tell 4 people</button>"))
            let details = try #require(page.range(of: "<details class=\"confirm-publish\" id=\"publish-confirm\">"))
            let form = try #require(page.range(of: "<form method=\"post\" action=\"/runs/\(run.id)/publish\""))
            #expect(details.upperBound < form.lowerBound)

            let preview = try await app.store.publishPreview(of: run, by: org.manager)
            #expect(preview == PublishPreview(matches: 2, people: 4, withEmail: 2, withAccount: 2))
            let published = try await manager.post("/runs/\(run.id)/publish")
            #expect(published.text.contains("Published 2 matches."))
            #expect(!published.text.contains("publish-confirm"))
        }
    }

    @Test("A group's match reads as what you'll learn in this group, naming who teaches what")
    func groupWords() {
        let explanation = MatchExplanation(
            kind: .group,
            learning: [.init(name: "Olga Petrova", skills: [.init(name: "SQL", teacherLevel: 5, learnerLevel: 0, relatedSkill: nil)])],
            teaching: [.init(name: "Ben Okafor", skills: [.init(name: "Python", teacherLevel: 4, learnerLevel: 1, relatedSkill: nil)])],
            direction: .twoWay, oneWayAllowed: true,
            reasons: [.sharedLanguages(["en", "pt"]), .workingHoursOverlap(180), .departments(["Data", "Legal", "Sales"])])
        let words = MatchDescription(explanation, others: ["Olga Petrova", "Ben Okafor", "Caro Lima"], programme: "Masterminds")
        #expect(words.learnHeading == "What you'll learn in this group")
        #expect(words.learn.map(\.detail) == ["from Olga Petrova: Olga Petrova is an expert; you are new to it"])
        #expect(words.teachHeading == "What you can teach in this group")
        #expect(words.teach.map(\.detail) == ["for Ben Okafor: you are strong; Ben Okafor is a beginner"])
        #expect(words.whyHeading == "Why this group")
        #expect(words.why == [
            "Everyone in the group speaks English and Portuguese.", "Every two of you share at least 3 hours of working time a day.",
            "The group brings together Data, Legal and Sales.",
        ])
        #expect(words.direction.isEmpty)
    }
}
