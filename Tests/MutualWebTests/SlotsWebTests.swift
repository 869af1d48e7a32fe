import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Find a time over the web and the API")
struct SlotsWebTests {
    /// Monday 4 January 2027, 00:00 UTC.
    static let monday = Date(timeIntervalSince1970: 1_799_020_800)

    /// Pia (Lisbon) and Max, moved to Kolkata so his local times differ by 5½ hours.
    func relationship(_ app: TestApp) async throws -> (SeededOrganisation, UUID) {
        let org = try await Seeds.organisation("Acme", in: app.store)
        let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
        _ = try await app.store.updateProfile(
            personID: org.manager.personID,
            with: ProfileUpdate(
                name: "Max Manager", email: org.managerEmail, level: 3, timeZone: "Asia/Kolkata", languages: ["en"],
                strengths: [("Hiring", 4)], wants: [("Statistics", 2)],
                availability: (1...5).map { AvailabilityWindow(weekday: $0, startMinute: 13 * 60, endMinute: 20 * 60) }),
            by: org.admin)
        return (org, id)
    }

    @Test("The slots API answers items with RFC 3339 starts and ends, names who has no availability, and refuses bad lengths", arguments: TestBackend.all)
    func slotsAPI(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.monday)) { app in
            let (org, id) = try await relationship(app)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let (response, body) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/slots?duration_minutes=45", token: pia)
            #expect(response.status == .ok, "\(response.text)")
            let items = try #require(body["items"] as? [[String: Any]])
            #expect(items.count == 20)
            // Kolkata 13:00–20:00 is 07:30–14:30 UTC, Lisbon's default 09:00–17:00 is 09:00–17:00 UTC
            // in winter: together 09:00–14:30. 11:30–12:15 is 150 minutes from 09:00 and 135 from
            // 14:30, the most comfortable, on each weekday; then 11:00–11:45 (120).
            let formatter = ISO8601DateFormatter()
            let starts = items.compactMap { ($0["starts_at"] as? String).flatMap(formatter.date(from:)) }
            let ends = items.compactMap { ($0["ends_at"] as? String).flatMap(formatter.date(from:)) }
            #expect(starts.count == 20 && ends.count == 20)
            #expect(items.first?["starts_at"] as? String == "2027-01-04T11:30:00Z")
            #expect(items.first?["ends_at"] as? String == "2027-01-04T12:15:00Z")
            #expect(items.first?["comfort_minutes"] as? Int == 135)
            #expect(items.prefix(10).allSatisfy { ($0["starts_at"] as? String)?.hasSuffix("T11:30:00Z") == true })
            #expect(items.suffix(10).allSatisfy { ($0["starts_at"] as? String)?.hasSuffix("T11:00:00Z") == true })
            #expect(zip(starts, ends).allSatisfy { $1.timeIntervalSince($0) == 45 * 60 })
            #expect(body["duration_minutes"] as? Int == 45)
            let without = try #require(body["members_without_availability"] as? [[String: Any]])
            #expect(without.map { $0["name"] as? String } == ["Pia Participant"])
            #expect(without.first?["time_zone"] as? String == "Europe/Lisbon")
            #expect(without.first?["person_id"] as? String == org.participant.personID.uuidString.lowercased() || without.first?["person_id"] as? String == org.participant.personID.uuidString)

            // Left out, the length is 45 minutes.
            let (_, defaulted) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/slots", token: pia)
            #expect(defaulted["duration_minutes"] as? Int == 45)

            for bad in ["0", "10", "50", "255", "abc", "45.0", "-15"] {
                let (refused, problem) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/slots?duration_minutes=\(bad)", token: pia)
                #expect(refused.status == .unprocessableContent, "\(bad): \(refused.text)")
                #expect(problem["field"] as? String == "duration_minutes")
                #expect((problem["detail"] as? String)?.contains("from 15 to 240 in steps of 15") == true)
            }

            // Another organisation's member gets 404 for the relationship, whatever the length.
            let globex = try await Seeds.organisation("Globex", in: app.store)
            let outsider = try await app.store.createAPIToken(named: "g", for: globex.admin).secret
            for query in ["duration_minutes=45", "duration_minutes=abc"] {
                let (notFound, _) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/slots?\(query)", token: outsider)
                #expect(notFound.status == .notFound)
            }
        }
    }

    @Test("Find a time lists slots in the viewer's zone with the other member's local time, and a slot's button schedules it", arguments: TestBackend.all)
    func findATimePage(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.monday)) { app in
            let (org, id) = try await relationship(app)
            let pia = try await app.signedIn(org.participantEmail)
            let page = try await pia.get("/relationships/\(id)/slots?duration_minutes=45")
            #expect(page.status == .ok)
            // Pia sees Lisbon time, and Max's beside it in Kolkata.
            #expect(page.text.contains("Monday 4 January 2027, 11:30–12:15 (Europe/Lisbon)"), "\(page.text)")
            #expect(page.text.contains("Max Manager: " + "Monday 4 January 2027, 17:00–17:45 (Asia/Kolkata)"))
            // She has not set her availability: the page says what was assumed and links her profile editor.
            #expect(page.text.contains("You have not set your availability"))
            #expect(page.text.contains("/people/\(org.participant.personID.uuidString)/edit"))
            #expect(page.text.contains("name=\"starts_at\" value=\"2027-01-04T11:30:00Z\""))

            // Max sees Pia named as the one without availability, in his own zone.
            let max = try await app.signedIn(org.managerEmail)
            let maxPage = try await max.get("/relationships/\(id)/slots")
            #expect(maxPage.text.contains("Pia Participant has not set their availability"))
            #expect(maxPage.text.contains("Pia Participant: " + "Monday 4 January 2027, 11:30–12:15 (Europe/Lisbon)"))

            // The slot's button posts the meetings form; the meeting is then scheduled and the slot gone.
            let booked = try await pia.post(
                "/relationships/\(id)/meetings", form: ["starts_at": "2027-01-04T11:30:00Z", "duration_minutes": "45", "place": "", "agenda": ""])
            #expect(booked.status.code < 400, "\(booked.text)")
            let meetings = try await app.store.meetings(inRelationship: id, of: org.participant)
            #expect(meetings.map(\.startsAt) == [Self.monday + 11.5 * 3600])
            let after = try await pia.get("/relationships/\(id)/slots?duration_minutes=45")
            #expect(!after.text.contains("value=\"2027-01-04T11:30:00Z\""))

            // A bad length is shown on the page with what to choose.
            let bad = try await pia.get("/relationships/\(id)/slots?duration_minutes=50")
            #expect(bad.status == .unprocessableContent && bad.text.contains("from 15 to 240 in steps of 15"))
            // An outsider, and another organisation, get not found.
            let globex = try await Seeds.organisation("Globex", in: app.store)
            let outsider = try await app.signedIn(globex.adminEmail)
            #expect(try await outsider.get("/relationships/\(id)/slots").status == .notFound)
            #expect(try await outsider.get("/relationships/\(id)/slots?duration_minutes=50").status == .notFound)
            // The relationship page links here.
            #expect(try await pia.get("/relationships/\(id)").text.contains("/relationships/\(id)/slots"))
        }
    }

    @Test("A member whose profile zone is an offset (UTC+05:30, or a bare +05:30 only the offset reading knows) gets slots and meeting times in that same zone", arguments: TestBackend.all)
    func offsetZoneIsOneZone(backend: TestBackend) async throws {
        try await withTestApp(backend, clock: TestClock(Self.monday)) { app in
            let (org, id) = try await relationship(app)
            // Max's 13:00–20:00 at +05:30 is 07:30–14:30 UTC, as in Kolkata: the best slot is 11:30 UTC, 17:00 for him.
            _ = try await app.store.updateProfile(
                personID: org.manager.personID,
                with: ProfileUpdate(
                    name: "Max Manager", email: org.managerEmail, level: 3, timeZone: "UTC+05:30", languages: ["en"],
                    strengths: [("Hiring", 4)], wants: [("Statistics", 2)],
                    availability: (1...5).map { AvailabilityWindow(weekday: $0, startMinute: 13 * 60, endMinute: 20 * 60) }),
                by: org.admin)
            let start = try #require(ISO8601DateFormatter().date(from: "2027-01-04T11:30:00Z"))
            let meeting = try #require(
                try await app.store.scheduleMeetings(in: id, MeetingDraft(startsAt: start.addingTimeInterval(7 * 86_400), durationMinutes: 45), by: org.participant).first)
            let max = try await app.signedIn(org.managerEmail)
            let forMax = "Monday 11 January 2027, 17:00–17:45 (GMT+0530)"

            // A bare "+05:30" (which the profile editor refuses, but the people import's offset
            // reading takes) used to find slots at +05:30 and show meetings in UTC.
            for stored in ["UTC+05:30", "+05:30"] {
                let person = try #require(try await Person.find(org.manager.personID, on: try app.store.database.database()))
                person.timeZone = stored
                try await person.save(on: try app.store.database.database())
                #expect(Store.timeZone(named: stored).secondsFromGMT() == 19_800)
                let found = try await app.store.suggestedSlots(relationshipID: id, durationMinutes: 45, of: org.manager)
                #expect(found.viewerTimeZone.secondsFromGMT() == 19_800, "\(stored)")
                #expect(found.slots.first?.startsAt == start, "\(stored)")
                #expect(try await app.store.timeZone(of: org.manager).identifier == found.viewerTimeZone.identifier, "\(stored)")

                let slots = try await max.get("/relationships/\(id)/slots?duration_minutes=45")
                #expect(slots.text.contains("Monday 4 January 2027, 17:00–17:45 (GMT+0530)"), "\(stored)")
                let page = try await max.get("/meetings/\(meeting.id)")
                #expect(page.text.contains(forMax), "\(stored): the meeting page shows Max's own zone")
                #expect(try await max.get("/relationships/\(id)").text.contains(forMax), "\(stored)")
                // Pia's page lists it in each member's zone: Max's is the same.
                let pia = try await app.signedIn(org.participantEmail)
                #expect(try await pia.get("/meetings/\(meeting.id)").text.contains(forMax), "\(stored)")
            }
        }
    }
}
