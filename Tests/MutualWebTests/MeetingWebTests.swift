import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MutualStore
import MutualTestSupport
import Testing

@Suite("Meetings over the web")
struct MeetingWebTests {
    @Test("A member schedules from the relationship page; everyone sees it in their own time zone; reschedule and cancel", arguments: TestBackend.all)
    func schedulePages(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.signedIn(org.participantEmail)  // Europe/Lisbon
            let page = try await pia.get("/relationships/\(id)")
            #expect(page.text.contains("Nothing scheduled yet.") && page.text.contains("/relationships/\(id)/meetings/new"))
            let form = try await pia.get("/relationships/\(id)/meetings/new")
            #expect(form.status == .ok && form.text.contains("Starts (your time, Europe/Lisbon)"))

            // A start that is not a time is refused with how to write one, keeping what was typed.
            let bad = try await pia.post(
                "/relationships/\(id)/meetings", form: ["starts_at": "next Tuesday", "duration_minutes": "45", "place": "Room 2", "repeats": "1"])
            #expect(bad.status == .unprocessableContent && bad.text.contains("is not a start time") && bad.text.contains("value=\"Room 2\""))

            let made = try await pia.post(
                "/relationships/\(id)/meetings",
                form: ["starts_at": "2027-03-15T10:00", "duration_minutes": "45", "place": "https://meet.example/pia-max", "agenda": "Interviews", "repeats": "1"])
            let location = try #require(made.location)
            #expect(location.hasPrefix("/meetings/") && location.hasSuffix("?done=scheduled"))
            let meetingPath = String(location.prefix(while: { $0 != "?" }))
            let shown = try await pia.get(location)
            #expect(shown.text.contains("Meeting scheduled."))
            // Pia's 10:00 in Lisbon is Max's 11:00 in Berlin.
            #expect(shown.text.contains("Monday 15 March 2027, 10:00–10:45 (Europe/Lisbon)"))
            #expect(shown.text.contains("Max Manager: Monday 15 March 2027, 11:00–11:45 (Europe/Berlin)"))
            let max = try await app.signedIn(org.managerEmail)
            let maxView = try await max.get(meetingPath)
            #expect(maxView.text.contains("<strong>Monday 15 March 2027, 11:00–11:45 (Europe/Berlin)</strong>"))
            #expect(try await max.get("/relationships/\(id)").text.contains("Monday 15 March 2027, 11:00–11:45 (Europe/Berlin)"))

            let moved = try await max.post(meetingPath, form: ["starts_at": "2027-03-16T12:00", "duration_minutes": "60", "place": "Café", "agenda": "Interviews"])
            #expect(moved.location == "\(meetingPath)?done=changed")
            #expect(try await pia.get(meetingPath).text.contains("Tuesday 16 March 2027, 11:00–12:00 (Europe/Lisbon)"))
            let tooLong = try await pia.post(meetingPath, form: ["starts_at": "2027-03-16T12:00", "duration_minutes": "600"])
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("A meeting lasts 15 to 480 minutes"))

            let cancelled = try await pia.post("\(meetingPath)/cancel", form: ["note": "Flu"])
            #expect(cancelled.location == "\(meetingPath)?done=cancelled")
            let after = try await pia.get(meetingPath)
            #expect(after.text.contains("Cancelled: Meeting") && after.text.contains("“Flu”") && !after.text.contains("id=\"cancel-form\""))

            // Somebody else in the organisation cannot see it.
            _ = try await Seeds.participant("Olga", in: org, store: app.store, strengths: [], wants: [])
            let olga = try await app.signedIn("olga@acme.example")
            #expect(try await olga.get(meetingPath).status == .notFound)
            #expect(try await olga.post("/relationships/\(id)/meetings", form: ["starts_at": "2027-03-15T10:00", "duration_minutes": "45"]).status == .notFound)
        }
    }

    @Test("The meetings API schedules, reschedules (sequence up) and cancels with an empty body", arguments: TestBackend.all)
    func meetingsAPI(backend: TestBackend) async throws {
        try await withTestApp(backend) { app in
            let org = try await Seeds.organisation("Acme", in: app.store)
            let (_, id) = try await ProgrammeSeeds.relationship(app.store, org)
            let pia = try await app.store.createAPIToken(named: "p", for: org.participant).secret
            let admin = try await app.store.createAPIToken(named: "a", for: org.admin).secret

            let (created, meeting) = try await app.callAPI(
                .post, "/api/v1/relationships/\(id)/meetings", token: pia,
                json: #"{"starts_at": "2027-03-15T10:00:00Z", "duration_minutes": 45, "agenda": "Interviews"}"#)
            #expect(created.status == .created)
            let meetingID = try #require(meeting["id"] as? String)
            #expect(meeting["ends_at"] as? String == "2027-03-15T10:45:00Z" && meeting["sequence"] as? Int == 0)
            #expect((meeting["meetings"] as? [[String: Any]])?.count == 1)

            let (moved, movedBody) = try await app.callAPI(.patch, "/api/v1/meetings/\(meetingID)", token: pia, json: #"{"starts_at": "2027-03-15T12:00:00+01:00"}"#)
            #expect(moved.status == .ok && movedBody["sequence"] as? Int == 1 && movedBody["starts_at"] as? String == "2027-03-15T11:00:00Z")
            let (again, againBody) = try await app.callAPI(.patch, "/api/v1/meetings/\(meetingID)", token: pia, json: #"{"starts_at": "2027-03-15T12:00:00Z"}"#)
            #expect(again.status == .ok && againBody["sequence"] as? Int == 2)

            let (tooShort, problem) = try await app.callAPI(
                .post, "/api/v1/relationships/\(id)/meetings", token: pia, json: #"{"starts_at": "2027-03-15T10:00:00Z", "duration_minutes": 5}"#)
            #expect(tooShort.status == .unprocessableContent && problem["field"] as? String == "duration_minutes")
            // The admin may read but is not a member.
            let (forbidden, _) = try await app.callAPI(
                .post, "/api/v1/relationships/\(id)/meetings", token: admin, json: #"{"starts_at": "2027-03-15T10:00:00Z", "duration_minutes": 30}"#)
            #expect(forbidden.status == .forbidden)
            #expect(try await app.callAPI(.get, "/api/v1/meetings/\(meetingID)", token: admin).0.status == .ok)

            // Only cancel reads a missing body as {}; elsewhere the document's required body is required.
            #expect(try await app.callAPI(.patch, "/api/v1/meetings/\(meetingID)", token: pia).0.status == .badRequest)
            let (cancelled, cancelledBody) = try await app.callAPI(.post, "/api/v1/meetings/\(meetingID)/cancel", token: pia)
            #expect(cancelled.status == .ok && cancelledBody["status"] as? String == "cancelled" && cancelledBody["sequence"] as? Int == 3)
            let (list, listed) = try await app.callAPI(.get, "/api/v1/relationships/\(id)/meetings", token: pia)
            #expect(list.status == .ok && (listed["items"] as? [[String: Any]])?.map { $0["status"] as? String } == ["cancelled"])
            #expect(try await app.callAPI(.post, "/api/v1/meetings/\(meetingID)/cancel", token: pia).0.status == .conflict)

            // The agreement's cadence is a structured choice in the API too.
            let (agreement, relationship) = try await app.callAPI(
                .put, "/api/v1/relationships/\(id)/agreement", token: pia, json: #"{"cadence_interval": "custom", "cadence_days": 10}"#)
            #expect(agreement.status == .ok)
            let chosen = relationship["agreement"] as? [String: Any]
            #expect(chosen?["cadence_interval"] as? String == "custom" && chosen?["cadence_days"] as? Int == 10)
            let (noDays, _) = try await app.callAPI(.put, "/api/v1/relationships/\(id)/agreement", token: pia, json: #"{"cadence_interval": "custom"}"#)
            #expect(noDays.status == .unprocessableContent)
        }
    }
}
