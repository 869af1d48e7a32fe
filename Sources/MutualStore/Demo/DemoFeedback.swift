import FluentKit
import Foundation

/// Feedback in the demo organisation: check-ins and fit checks after the past meetings of the
/// programme whose relationships met most (enough people that its usefulness and fit figures
/// show), a few pulses (fewer people than k, so the page shows "more responses needed"), and
/// the demo participant's latest check-in left open for "Feedback to give". Written as dated
/// rows without events or emails, like the rest of the demo's history.
enum DemoFeedback {
    /// People who answer a pulse: below the default k of 5 on purpose.
    static let pulseRespondents = 3
    static let comments = ["Clear next steps", "We ran out of time", "Practical and friendly", "Good questions", "Useful examples"]
}

extension Store {
    /// Runs after `loadDemoRelationshipLife`: see `DemoFeedback`.
    func loadDemoFeedback(admin: Identity) async throws {
        let database = try db()
        let now = clock.now
        let relationships = try await Relationship.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$status == .active).all()
        let relationshipIDs = try relationships.map { try $0.requireID() }
        guard !relationshipIDs.isEmpty else { return }
        let meetings = try await Meeting.query(on: database).filter(\.$relationshipID ~~ relationshipIDs).filter(\.$status == .scheduled)
            .filter(\.$startsAt < now).sort(\.$startsAt).all()
        let members = try await RelationshipMember.query(on: database).filter(\.$relationshipID ~~ relationshipIDs).sort(\.$position).all()
        let programmeOf = Dictionary(uniqueKeysWithValues: try relationships.map { (try $0.requireID(), $0.programmeID) })
        let met = Set(meetings.map(\.relationshipID))
        // The programme whose relationships that met have the most people.
        var peopleMet: [UUID: Set<UUID>] = [:]
        for member in members where met.contains(member.relationshipID) {
            if let programme = programmeOf[member.relationshipID] { peopleMet[programme, default: []].insert(member.personID) }
        }
        guard let chosen = peopleMet.max(by: { ($0.value.count, $0.key.uuidString) < ($1.value.count, $1.key.uuidString) })?.key else { return }
        let participant = try await Person.query(on: database).filter(\.$organisationID == admin.organisationID)
            .filter(\.$email == DemoOrganisation.participantEmail).first()?.requireID()
        let ownRelationships = Set(members.filter { $0.personID == participant }.map(\.relationshipID))
        let organisationID = admin.organisationID

        try await transaction { database in
            var answered = 0
            func ask(_ kind: FeedbackKind, _ relationshipID: UUID, _ personID: UUID, meeting: Meeting?, occasion: String, at date: Date) async throws -> UUID {
                let programmeID = programmeOf[relationshipID] ?? chosen
                let request = FeedbackRequest()
                request.id = UUID()
                request.organisationID = organisationID
                request.programmeID = programmeID
                request.relationshipID = relationshipID
                request.personID = personID
                request.kind = kind
                request.meetingID = try meeting?.requireID()
                request.requestKey = FeedbackOccasion(
                    organisationID: organisationID, programmeID: programmeID, relationshipID: relationshipID, personID: personID, kind: kind,
                    meetingID: request.meetingID, occasion: occasion
                ).key
                request.createdAt = date
                try await request.create(on: database)
                return try request.requireID()
            }
            func answer(_ requestID: UUID, _ relationshipID: UUID, _ personID: UUID, _ kind: FeedbackKind, score: Int?, fit: FitAnswer?, at date: Date) async throws {
                let response = FeedbackResponse()
                response.organisationID = organisationID
                response.programmeID = programmeOf[relationshipID] ?? chosen
                response.requestID = requestID
                response.personID = personID
                response.kind = kind
                response.score = score
                response.fit = fit?.rawValue ?? ""
                response.reasons = ""
                response.comment = answered % 2 == 0 ? DemoFeedback.comments[answered / 2 % DemoFeedback.comments.count] : ""
                response.story = ""
                response.shared = false
                response.answeredAt = date
                try await response.create(on: database)
                try await FeedbackRequest.query(on: database).filter(\.$id == requestID).set(\.$answeredAt, to: date).update()
                answered += 1
            }
            let latestOwn = meetings.last { ownRelationships.contains($0.relationshipID) }
            // Who answers a pulse; the chosen programme's other members have one open (and their
            // latest check-in), for the browser test and for a visitor who signs in as one of them.
            let chosenMembers = members.filter { programmeOf[$0.relationshipID] == chosen && met.contains($0.relationshipID) && $0.personID != participant }
            let pulsed = Array(chosenMembers.prefix(DemoFeedback.pulseRespondents))
            let waiting = Set(chosenMembers.dropFirst(DemoFeedback.pulseRespondents).map(\.personID))
            let latestMeeting = Dictionary(meetings.map { ($0.relationshipID, $0) }, uniquingKeysWith: { first, second in first.startsAt > second.startsAt ? first : second })
            var firstSeen: Set<UUID> = []
            for meeting in meetings where programmeOf[meeting.relationshipID] == chosen || ownRelationships.contains(meeting.relationshipID) {
                let ended = meeting.endsAt
                let isFirst = firstSeen.insert(meeting.relationshipID).inserted
                for member in members where member.relationshipID == meeting.relationshipID {
                    let meetingID = try meeting.requireID().uuidString.lowercased()
                    let checkIn = try await ask(.checkIn, meeting.relationshipID, member.personID, meeting: meeting, occasion: meetingID, at: ended)
                    let fitID = isFirst ? try await ask(.fitCheck, meeting.relationshipID, member.personID, meeting: meeting, occasion: "first", at: ended) : nil
                    // The demo participant's latest check-in stays open: "Feedback to give" on her dashboard.
                    if member.personID == participant, meeting.id == latestOwn?.id { continue }
                    if waiting.contains(member.personID), meeting.id == latestMeeting[meeting.relationshipID]?.id { continue }
                    let answeredAt = ended.addingTimeInterval(86_400)
                    try await answer(checkIn, meeting.relationshipID, member.personID, .checkIn, score: 3 + (answered % 3), fit: nil, at: answeredAt)
                    if let fitID {
                        try await answer(fitID, meeting.relationshipID, member.personID, .fitCheck, score: nil, fit: answered % 4 == 3 ? .notSure : .goodFit, at: answeredAt)
                    }
                }
            }
            // A few pulses: fewer people than k, so the manager's page says how many more are needed.
            for member in pulsed {
                let date = now.addingTimeInterval(-2 * 86_400)
                let id = try await ask(.pulse, member.relationshipID, member.personID, meeting: nil, occasion: "0", at: date.addingTimeInterval(-86_400))
                try await answer(id, member.relationshipID, member.personID, .pulse, score: 4, fit: nil, at: date)
            }
            for member in chosenMembers where waiting.contains(member.personID) {
                _ = try await ask(.pulse, member.relationshipID, member.personID, meeting: nil, occasion: "0", at: now.addingTimeInterval(-86_400))
            }
        }
    }
}
